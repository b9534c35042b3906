package streams

// Consumer-group references to entries, for the reference policies of
// XDELEX, XACKDEL (Redis 8.2): KEEPREF deletes an entry and leaves the PELs
// alone, DELREF also drops it from every group's PEL, ACKED deletes it only
// when no group references it.

// EntryReferenced reports whether some consumer group still references
// entry id (t_stream.c streamEntryIsReferenced): a group has not read it yet
// (its last-delivered-id is below id), or it is in a group's PEL. With no
// groups nothing is referenced. It does not look at whether the entry exists.
func (s *Stream) EntryReferenced(id ID) bool {
	for _, g := range s.groups {
		if g.lastID.Less(id) || g.pel.has(id) {
			return true
		}
	}
	return false
}

// DropEntryRefs removes id from the PEL of every group (and of its owning
// consumer) and returns how many PEL entries went (streamCleanupEntryCGroupRefs).
func (s *Stream) DropEntryRefs(id ID) int {
	n := 0
	for _, g := range s.groups {
		n += g.Ack(id)
	}
	return n
}
