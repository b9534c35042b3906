package streams

import "encoding/binary"

// A block holds the entries of one Redis stream node (one listpack in a rax
// leaf) in a single []byte, so that a tiny entry costs a few bytes and the
// garbage collector sees one pointer per block instead of several per entry.
//
// Layout of data, all integers unsigned varints:
//
//	master:  nfields, then nfields x (len, bytes)        the master field names
//	entry:   flags byte, msDelta, seqPart,
//	         SAMEFIELDS set:   nmaster x (len, value)
//	         SAMEFIELDS clear: nfields, nfields x (len, field, len, value)
//
// As in Redis, the master fields are those of the first entry appended to the
// block, an entry whose field names equal them sets SAMEFIELDS and stores
// values only, and IDs are deltas against the master ID (block.first):
// msDelta = Ms - first.Ms, and seqPart = Seq - first.Seq when msDelta is 0,
// else Seq itself (so that both are small and never negative).
// Deleting an entry only sets its DELETED flag, in place.
//
// Bytes already written are never changed again except the flags byte, so
// field and value slices handed out by iteration stay valid and unchanged
// for as long as the caller keeps them.
type block struct {
	first ID // master ID: the first entry ever appended here; the rax key
	last  ID // last entry appended here, deleted or not

	live    int32 // entries not deleted (the master entry's "count")
	deleted int32 // entries flagged deleted (the master entry's "deleted")

	// lpRest is the byte size of this node's Redis listpack minus header,
	// terminator, count and deleted elements: master fields, master
	// terminator, and every entry ever appended (flags do not change size).
	lpRest int

	nmaster int32 // number of master fields

	// headOff is an offset in data before which every entry is deleted (at
	// first, the end of the master fields), so scans start there: deleting
	// the oldest entries (queues, trims) then stays O(1) per entry instead of
	// rescanning the tombstones.
	headOff int

	data []byte

	// frozen is set while a snapshot may still be reading data outside the
	// keyspace lock (see Stream.Freeze): the one in-place write, a DELETED
	// flag, then copies data first. Appends never touch the bytes a frozen
	// copy covers, since it holds its own length.
	frozen bool
}

const (
	flagDeleted    = 1 << 0 // STREAM_ITEM_FLAG_DELETED
	flagSameFields = 1 << 1 // STREAM_ITEM_FLAG_SAMEFIELDS
)

// lpSize is the size of this node's listpack in Redis.
func (b *block) lpSize() int {
	return lpBytes(int(b.live), int(b.deleted), b.lpRest)
}

// total is the number of entries in the block, deleted or not.
func (b *block) total() int { return int(b.live) + int(b.deleted) }

// newBlock starts a block whose master entry is built from the fields of the
// entry with the given id, and appends that entry. capHint sizes the first
// allocation.
func newBlock(id ID, fv [][]byte, capHint int) *block {
	nfields := len(fv) / 2
	b := &block{first: id, nmaster: int32(nfields)}
	b.data = make([]byte, 0, capHint)
	b.data = binary.AppendUvarint(b.data, uint64(nfields))
	// Master entry in Redis: count, deleted, num-fields, fields..., 0.
	// count and deleted are accounted by lpSize.
	b.lpRest = lpIntSize(int64(nfields)) + lpIntSize(0)
	for i := 0; i < len(fv); i += 2 {
		b.data = appendBytes(b.data, fv[i])
		b.lpRest += lpStringSize(fv[i])
	}
	b.headOff = len(b.data)
	b.appendEntry(id, fv, true)
	return b
}

// sameFields reports whether the field names of fv equal the master fields.
func (b *block) sameFields(fv [][]byte) bool {
	if len(fv)/2 != int(b.nmaster) {
		return false
	}
	off := 0
	_, off = readUvarint(b.data, off)
	for i := 0; i < len(fv); i += 2 {
		n, o := readUvarint(b.data, off)
		end := o + int(n)
		if string(b.data[o:end]) != string(fv[i]) {
			return false
		}
		off = end
	}
	return true
}

// appendEntry appends an entry (the caller has checked id > b.last and the
// node limits) and accounts its Redis listpack size.
func (b *block) appendEntry(id ID, fv [][]byte, same bool) {
	nfields := len(fv) / 2
	flags := byte(0)
	if same {
		flags = flagSameFields
	}
	msDelta := id.Ms - b.first.Ms
	seqPart := id.Seq
	if msDelta == 0 {
		seqPart = id.Seq - b.first.Seq
	}
	b.data = append(b.data, flags)
	b.data = binary.AppendUvarint(b.data, msDelta)
	b.data = binary.AppendUvarint(b.data, seqPart)

	// Redis: flags, ms-diff, seq-diff, [num-fields], [field] value ..., lp-count.
	// The diffs are computed in uint64 and stored as int64, as Redis does.
	lp := lpIntSize(int64(flags)) + lpIntSize(int64(msDelta)) + lpIntSize(int64(id.Seq-b.first.Seq))
	lpCount := int64(nfields) + 3
	if same {
		for i := 1; i < len(fv); i += 2 {
			b.data = appendBytes(b.data, fv[i])
			lp += lpStringSize(fv[i])
		}
	} else {
		b.data = binary.AppendUvarint(b.data, uint64(nfields))
		lp += lpIntSize(int64(nfields))
		for i := 0; i < len(fv); i += 2 {
			b.data = appendBytes(b.data, fv[i])
			b.data = appendBytes(b.data, fv[i+1])
			lp += lpStringSize(fv[i]) + lpStringSize(fv[i+1])
		}
		lpCount += int64(nfields) + 1
	}
	lp += lpIntSize(lpCount)
	b.lpRest += lp
	b.live++
	b.last = id
}

// shrink drops spare capacity once the block can no longer grow, the way
// Redis calls lpShrinkToFit when it closes a node.
func (b *block) shrink() {
	if cap(b.data)-len(b.data) > len(b.data)/16 {
		b.data = append(make([]byte, 0, len(b.data)), b.data...)
	}
}

// entryHeader is the decoded fixed part of an entry.
type entryHeader struct {
	id    ID
	flags byte
	off   int // offset of the flags byte
	body  int // offset of the first byte after seqPart
}

// readHeader decodes the fixed part of the entry whose flags byte is at off.
func (b *block) readHeader(off int) entryHeader {
	h := entryHeader{flags: b.data[off], off: off}
	msDelta, p := readUvarint(b.data, off+1)
	seqPart, p := readUvarint(b.data, p)
	h.id = b.first.addDeltas(msDelta, seqPart)
	h.body = p
	return h
}

// addDeltas rebuilds an entry ID from the deltas stored against first.
func (first ID) addDeltas(msDelta, seqPart uint64) ID {
	if msDelta == 0 {
		return ID{first.Ms, first.Seq + seqPart}
	}
	return ID{first.Ms + msDelta, seqPart}
}

// skipBody returns the offset just past the entry with header h.
func (b *block) skipBody(h entryHeader) int {
	_, _, next := b.step(h.off)
	return next
}

// appendMaster appends the master field names to dst.
func (b *block) appendMaster(dst [][]byte) [][]byte {
	off := 0
	_, off = readUvarint(b.data, off)
	for i := 0; i < int(b.nmaster); i++ {
		var field []byte
		field, off = readBytes(b.data, off)
		dst = append(dst, field)
	}
	return dst
}

// appendFields appends the alternating field names and values of the entry
// with header h to dst. master must hold the block's master fields.
func (b *block) appendFields(h entryHeader, master, dst [][]byte) [][]byte {
	off := h.body
	if h.flags&flagSameFields != 0 {
		for _, field := range master {
			var value []byte
			value, off = readBytes(b.data, off)
			dst = append(dst, field, value)
		}
		return dst
	}
	nf, off := readUvarint(b.data, off)
	for i := uint64(0); i < nf; i++ {
		var field, value []byte
		field, off = readBytes(b.data, off)
		value, off = readBytes(b.data, off)
		dst = append(dst, field, value)
	}
	return dst
}

// seek returns the offset of the first entry, deleted or not, with an ID
// >= start (len(data) if none). It is the hot loop of XRANGE and XREAD.
func (b *block) seek(start ID) int {
	off := b.headOff
	if !b.first.Less(start) {
		return off
	}
	for off < len(b.data) {
		id, _, end := b.step(off)
		if !id.Less(start) {
			return off
		}
		off = end
	}
	return off
}

// liveOffsets appends, in order, the offsets of the live entries with
// IDs <= end to dst: the entries a reverse scan from end visits.
func (b *block) liveOffsets(end ID, dst []int) []int {
	for off := b.headOff; off < len(b.data); {
		id, flags, next := b.step(off)
		if end.Less(id) {
			break
		}
		if flags&flagDeleted == 0 {
			dst = append(dst, off)
		}
		off = next
	}
	return dst
}

// step decodes the ID and flags of the entry at off and returns the offset
// of the next entry: readHeader plus skipBody in one pass, with the one-byte
// varints decoded in place, because scans spend most of their time here.
func (b *block) step(off int) (id ID, flags byte, next int) {
	d := b.data
	flags = d[off]
	p := off + 1
	var msDelta, seqPart uint64
	if c := d[p]; c < 0x80 {
		msDelta, p = uint64(c), p+1
	} else {
		msDelta, p = readUvarintSlow(d, p)
	}
	if c := d[p]; c < 0x80 {
		seqPart, p = uint64(c), p+1
	} else {
		seqPart, p = readUvarintSlow(d, p)
	}
	id = b.first.addDeltas(msDelta, seqPart)
	n := int(b.nmaster)
	if flags&flagSameFields == 0 {
		var nf uint64
		nf, p = readUvarint(d, p)
		n = 2 * int(nf)
	}
	for ; n > 0; n-- {
		if c := d[p]; c < 0x80 {
			p += 1 + int(c)
		} else {
			var l uint64
			l, p = readUvarintSlow(d, p)
			p += int(l)
		}
	}
	return id, flags, p
}

// findLive returns the header of the live entry with exactly this id.
func (b *block) findLive(id ID) (entryHeader, bool) {
	if b.live == 0 || id.Less(b.first) || b.last.Less(id) {
		return entryHeader{}, false
	}
	for off := b.headOff; off < len(b.data); {
		h := b.readHeader(off)
		switch h.id.Compare(id) {
		case 0:
			return h, h.flags&flagDeleted == 0
		case 1:
			return entryHeader{}, false
		}
		off = b.skipBody(h)
	}
	return entryHeader{}, false
}

// firstLive returns the header of the first entry not deleted, and moves
// headOff up to it.
func (b *block) firstLive() (entryHeader, bool) {
	if b.live == 0 {
		return entryHeader{}, false
	}
	for off := b.headOff; off < len(b.data); {
		h := b.readHeader(off)
		if h.flags&flagDeleted == 0 {
			b.headOff = off
			return h, true
		}
		off = b.skipBody(h)
	}
	return entryHeader{}, false
}

// lastLive returns the header of the last entry not deleted.
func (b *block) lastLive() (entryHeader, bool) {
	if b.live == 0 {
		return entryHeader{}, false
	}
	var found entryHeader
	ok := false
	for off := b.headOff; off < len(b.data); {
		h := b.readHeader(off)
		if h.flags&flagDeleted == 0 {
			found, ok = h, true
		}
		off = b.skipBody(h)
	}
	return found, ok
}

// markDeleted flags the entry with header h, which ends at end, as deleted
// and fixes the counts. It reports false if the entry was already deleted.
func (b *block) markDeleted(h entryHeader, end int) bool {
	if b.data[h.off]&flagDeleted != 0 {
		return false
	}
	if b.frozen {
		data := make([]byte, len(b.data), cap(b.data))
		copy(data, b.data)
		b.data, b.frozen = data, false
	}
	b.data[h.off] |= flagDeleted
	b.live--
	b.deleted++
	if h.off == b.headOff {
		b.headOff = end
	}
	return true
}

func appendBytes(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// readUvarint decodes an unsigned varint written by binary.AppendUvarint,
// with a fast path for one-byte values, which dominate.
func readUvarint(data []byte, off int) (uint64, int) {
	if c := data[off]; c < 0x80 {
		return uint64(c), off + 1
	}
	return readUvarintSlow(data, off)
}

func readUvarintSlow(data []byte, off int) (uint64, int) {
	v, n := binary.Uvarint(data[off:])
	if n <= 0 {
		panic("streams: corrupt block varint")
	}
	return v, off + n
}

// readBytes decodes a length-prefixed byte string. The result is capped so
// that appending to it cannot overwrite the block.
func readBytes(data []byte, off int) ([]byte, int) {
	n, o := readUvarint(data, off)
	end := o + int(n)
	return data[o:end:end], end
}
