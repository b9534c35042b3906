package streams

// TrimSpec is the trimming part of XADD and XTRIM:
//
//	XTRIM key (MAXLEN | MINID) [= | ~] threshold [LIMIT count]
//	https://redis.io/commands/xtrim/
//
// ByMinID selects MINID (drop entries with ID < MinID) instead of MAXLEN
// (keep at most MaxLen entries). Approx is "~": only whole nodes are
// removed, and trimming stops at the first node that cannot go entirely.
//
// Limit caps the number of entries removed, and it is counted in whole
// nodes: trimming stops before a node whose entries would pass the cap.
// 0 means no cap. A negative Limit asks for Redis's default: no cap for an
// exact trim, ApproxTrimLimit(limits) for "~". Redis refuses LIMIT without
// "~" at parse time, so a caller passes Limit != 0 with Approx false only
// to replay (Redis clears the limit for commands from its master or AOF).
type TrimSpec struct {
	ByMinID bool
	MaxLen  uint64
	MinID   ID
	Approx  bool
	Limit   int64
	// Policy is the consumer-group reference policy (Redis 8.2): the zero
	// value, TrimKeepRef, is the classic trim described above.
	Policy TrimPolicy
}

// TrimPolicy is the reference policy of XADD and XTRIM trimming (Redis
// 8.2), the same words XDELEX and XACKDEL take per ID.
type TrimPolicy uint8

const (
	// TrimKeepRef (KEEPREF, the default) trims and leaves the PELs alone.
	TrimKeepRef TrimPolicy = iota
	// TrimDelRef (DELREF) also drops every trimmed entry from every PEL.
	TrimDelRef
	// TrimAcked (ACKED) trims only entries no group references
	// (EntryReferenced), and goes on past the ones it must keep.
	TrimAcked
)

// ApproxTrimLimit is the LIMIT Redis uses for "~" when none is given:
// 100 nodes' worth of entries, 100*stream-node-max-entries, or 10000 if
// that is not positive, at most 1000000 (streamParseAddOrTrimArgsOrReply).
func ApproxTrimLimit(limits NodeLimits) int64 {
	limit := 100 * int64(limits.MaxEntries)
	if limit <= 0 {
		limit = 10000
	}
	if limit > 1000000 {
		limit = 1000000
	}
	return limit
}

// Trim removes entries from the head of the stream as spec says and returns
// how many it removed, following t_stream.c streamTrim exactly so that
// lengths and node counts match Redis:
//
//   - Nodes are examined from the first. A node goes whole if the stream
//     keeps at least MaxLen entries without it (MAXLEN) or if its last
//     entry, deleted or not, is below MinID (MINID).
//   - Before a node is examined, trimming stops if removing all its live
//     entries would pass Limit.
//   - At the first node that cannot go whole, an approximate trim stops; an
//     exact trim flags entries of that node as deleted until the stream is
//     short enough or an entry >= MinID is reached, and stops there.
//
// So an exact MINID trim can leave a node with no live entries (its last
// entry was already deleted and is >= MinID); Redis keeps such a node, and
// so does Trim. recorded-first-entry-id is updated; max-deleted-entry-id is
// not (trimming is not XDEL). limits are only read for the default Limit.
func (s *Stream) Trim(spec TrimSpec, limits NodeLimits) int64 {
	removed, _, _ := s.TrimReport(spec, limits)
	return removed
}

// TrimReport is Trim, and also reports whether LIMIT stopped the trim
// before the node whose master ID is stopID (for the effect of a trim with
// a reference policy).
//
// With DELREF or ACKED (Redis 8.2 streamTrim) every entry is looked at, so
// "~" is ignored: a node that may go whole is walked entry by entry like
// the node an exact trim stops in, deleting (DELREF: and dropping the PEL
// references of) each live entry the strategy reaches, except, with ACKED,
// the entries some group still references. The node is removed when all
// its live entries went and it could have gone whole; and trimming goes on
// to the next node instead of stopping there, until the stream is short
// enough (MAXLEN), the nodes left hold no entry below MinID, or LIMIT stops
// it before a node as it does for KEEPREF.
func (s *Stream) TrimReport(spec TrimSpec, limits NodeLimits) (removed int64, stopID ID, limited bool) {
	if spec.Policy != TrimKeepRef {
		return s.trimWithRefs(spec, limits)
	}
	limit := spec.Limit
	if limit < 0 {
		limit = 0
		if spec.Approx {
			limit = ApproxTrimLimit(limits)
		}
	}
	for len(s.blocks) > 0 {
		if !spec.ByMinID && s.length <= spec.MaxLen {
			break
		}
		b := s.blocks[0]
		entries := int64(b.live)
		if limit != 0 && removed+entries > limit {
			stopID, limited = b.first, true
			break
		}
		var whole bool
		if spec.ByMinID {
			whole = b.last.Less(spec.MinID)
		} else {
			whole = s.length-uint64(entries) >= spec.MaxLen
		}
		if whole {
			s.removeBlock(0)
			s.length -= uint64(entries)
			removed += entries
			continue
		}
		if spec.Approx {
			break
		}
		removed += s.trimInside(b, spec)
		break
	}
	s.trimmed(removed)
	return removed, stopID, limited
}

// trimmed updates recorded-first-entry-id after a trim removed entries.
func (s *Stream) trimmed(removed int64) {
	if s.length == 0 {
		s.firstID = ID{}
	} else if removed > 0 {
		s.firstID, _ = s.FirstEntryID()
	}
}

// trimWithRefs is TrimReport for DELREF and ACKED.
func (s *Stream) trimWithRefs(spec TrimSpec, limits NodeLimits) (removed int64, stopID ID, limited bool) {
	limit := spec.Limit
	if limit < 0 {
		limit = 0
		if spec.Approx {
			limit = ApproxTrimLimit(limits)
		}
	}
	for i := 0; i < len(s.blocks); {
		if !spec.ByMinID && s.length <= spec.MaxLen {
			break
		}
		b := s.blocks[i]
		entries := int64(b.live)
		if limit != 0 && removed+entries > limit {
			stopID, limited = b.first, true
			break
		}
		var eligible bool
		if spec.ByMinID {
			eligible = b.last.Less(spec.MinID)
		} else {
			eligible = s.length-uint64(entries) >= spec.MaxLen
		}
		n := s.trimInsideRefs(b, spec)
		removed += n
		if eligible && n == entries {
			s.removeBlock(i)
			continue
		}
		i++
	}
	s.trimmed(removed)
	return removed, stopID, limited
}

// trimInsideRefs is trimInside with a reference policy: ACKED skips (keeps)
// the live entries a group references, DELREF drops the references of the
// entries it deletes.
func (s *Stream) trimInsideRefs(b *block, spec TrimSpec) int64 {
	var removed int64
	for off := b.headOff; off < len(b.data); {
		h := b.readHeader(off)
		if spec.ByMinID {
			if !h.id.Less(spec.MinID) {
				break
			}
		} else if s.length <= spec.MaxLen {
			break
		}
		off = b.skipBody(h)
		if b.data[h.off]&flagDeleted != 0 {
			continue
		}
		switch spec.Policy {
		case TrimAcked:
			if s.EntryReferenced(h.id) {
				continue
			}
		case TrimDelRef:
			s.DropEntryRefs(h.id)
		}
		if b.markDeleted(h, off) {
			s.length--
			removed++
		}
	}
	return removed
}

// trimInside flags the leading entries of b as deleted, for an exact trim
// that cannot remove b whole. Tombstones are walked too (and compared for
// MINID) but not counted, as in Redis. Starting at headOff instead of the
// first entry changes nothing: entries before it are tombstones with
// smaller IDs than the first live entry, so they neither count nor stop a
// MINID walk that the live entry would not stop.
func (s *Stream) trimInside(b *block, spec TrimSpec) int64 {
	var removed int64
	for off := b.headOff; off < len(b.data); {
		h := b.readHeader(off)
		if spec.ByMinID {
			if !h.id.Less(spec.MinID) {
				break
			}
		} else if s.length <= spec.MaxLen {
			break
		}
		off = b.skipBody(h)
		if b.markDeleted(h, off) {
			s.length--
			removed++
		}
	}
	return removed
}
