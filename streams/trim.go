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
}

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
	limit := spec.Limit
	if limit < 0 {
		limit = 0
		if spec.Approx {
			limit = ApproxTrimLimit(limits)
		}
	}
	var removed int64
	for len(s.blocks) > 0 {
		if !spec.ByMinID && s.length <= spec.MaxLen {
			break
		}
		b := s.blocks[0]
		entries := int64(b.live)
		if limit != 0 && removed+entries > limit {
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
	if s.length == 0 {
		s.firstID = ID{}
	} else if removed > 0 {
		s.firstID, _ = s.FirstEntryID()
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
