package streams

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// The snapshot encoding of a stream: its counters, its blocks byte for byte
// (so that a restored stream has the same nodes, tombstones and listpack
// accounting, and trims exactly as the original would), and its consumer
// groups with their consumers and PELs.
//
//	uvarint version (1)
//	uvarint length, ID last, ID first, ID max-deleted, uvarint entries-added
//	uvarint blocks; per block: ID first, ID last, uvarint live, deleted,
//	    lpRest, nmaster, headOff; bytes data
//	uvarint groups; per group: bytes name, ID last, varint entries-read,
//	    uvarint consumers; per consumer: bytes name, varint seen, varint active;
//	    uvarint pending; per entry: ID, uvarint consumer index, varint time,
//	    varint count
//	version 2 adds the idempotent-producer state after the groups (see
//	    idmpState.appendBinary); version 1 streams decode without it.
//	version 3 writes a PEL entry's consumer as index+1, 0 for an unowned
//	    entry (released by XNACK), which is followed by uvarint nack-order
//	    (its place in the group's NACK zone); versions 1 and 2 hold owned
//	    entries only, with the plain index.
//	version 4 adds the queue state of each group after the idempotent-
//	    producer state, groups in the same order (see appendQueue).
//
// IDs are two uvarints; bytes are a uvarint length and the bytes.

const codecVersion = 4

// ErrCorruptEncoding is returned by DecodeStream for bytes that are not a
// valid stream encoding.
var ErrCorruptEncoding = errors.New("streams: corrupt stream encoding")

// AppendBinary appends the stream's encoding to dst.
func (s *Stream) AppendBinary(dst []byte) []byte {
	return s.Freeze().AppendBinary(dst)
}

// Frozen is a point-in-time copy of a stream that can be encoded without
// the keyspace lock while the stream goes on changing: the block headers are
// copied, their bytes shared copy-on-write, and the (small) group state is
// encoded at once. Freeze costs O(blocks + pending entries), not O(entries).
type Frozen struct {
	length                        uint64
	lastID, firstID, maxDeletedID ID
	entriesAdded                  uint64
	blocks                        []block
	groups                        []byte
	idmp                          []byte
	queue                         []byte
}

// Freeze captures the stream for a later AppendBinary. The caller holds the
// keyspace lock; the Frozen may then be encoded from any goroutine.
func (s *Stream) Freeze() *Frozen {
	f := &Frozen{length: s.length, lastID: s.lastID, firstID: s.firstID,
		maxDeletedID: s.maxDeletedID, entriesAdded: s.entriesAdded}
	f.blocks = make([]block, len(s.blocks))
	for i, b := range s.blocks {
		b.frozen = true
		f.blocks[i] = *b
		f.blocks[i].data = b.data[:len(b.data):len(b.data)]
	}
	f.groups = s.appendGroups(nil)
	f.idmp = s.idmp.appendBinary(nil)
	f.queue = s.appendQueue(nil)
	return f
}

// AppendBinary appends the encoding of the frozen stream to dst. It makes
// room for the whole encoding first: grown by append, dst would be
// reallocated and copied a dozen times or more for a stream of a few MB,
// allocating several times the snapshot's size (a third of all bytes
// allocated by a server under XADD load, which snapshots every 100 ms).
func (f *Frozen) AppendBinary(dst []byte) []byte {
	dst = slices.Grow(dst, f.encodedSize())
	dst = binary.AppendUvarint(dst, codecVersion)
	dst = binary.AppendUvarint(dst, f.length)
	dst = appendID(dst, f.lastID)
	dst = appendID(dst, f.firstID)
	dst = appendID(dst, f.maxDeletedID)
	dst = binary.AppendUvarint(dst, f.entriesAdded)
	dst = binary.AppendUvarint(dst, uint64(len(f.blocks)))
	for i := range f.blocks {
		b := &f.blocks[i]
		dst = appendID(dst, b.first)
		dst = appendID(dst, b.last)
		dst = binary.AppendUvarint(dst, uint64(b.live))
		dst = binary.AppendUvarint(dst, uint64(b.deleted))
		dst = binary.AppendUvarint(dst, uint64(b.lpRest))
		dst = binary.AppendUvarint(dst, uint64(b.nmaster))
		dst = binary.AppendUvarint(dst, uint64(b.headOff))
		dst = appendBytes(dst, b.data)
	}
	dst = append(dst, f.groups...)
	dst = append(dst, f.idmp...)
	return append(dst, f.queue...)
}

// encodedSize is the number of bytes AppendBinary appends.
func (f *Frozen) encodedSize() int {
	n := uvarintLen(codecVersion) + uvarintLen(f.length) +
		idLen(f.lastID) + idLen(f.firstID) + idLen(f.maxDeletedID) +
		uvarintLen(f.entriesAdded) + uvarintLen(uint64(len(f.blocks)))
	for i := range f.blocks {
		b := &f.blocks[i]
		n += idLen(b.first) + idLen(b.last) +
			uvarintLen(uint64(b.live)) + uvarintLen(uint64(b.deleted)) +
			uvarintLen(uint64(b.lpRest)) + uvarintLen(uint64(b.nmaster)) +
			uvarintLen(uint64(b.headOff)) +
			uvarintLen(uint64(len(b.data))) + len(b.data)
	}
	return n + len(f.groups) + len(f.idmp) + len(f.queue)
}

// uvarintLen is the length of binary.AppendUvarint's encoding of v.
func uvarintLen(v uint64) int {
	return (bits.Len64(v|1) + 6) / 7
}

// idLen is the length of appendID's encoding of id.
func idLen(id ID) int { return uvarintLen(id.Ms) + uvarintLen(id.Seq) }

// appendGroups encodes the consumer groups (see the format above).
func (s *Stream) appendGroups(dst []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s.groups)))
	for _, g := range s.groups {
		dst = appendBytes(dst, []byte(g.name))
		dst = appendID(dst, g.lastID)
		dst = binary.AppendVarint(dst, g.entriesRead)
		dst = binary.AppendUvarint(dst, uint64(len(g.consumers)))
		index := make(map[*Consumer]int, len(g.consumers))
		for i, c := range g.consumers {
			index[c] = i
			dst = appendBytes(dst, []byte(c.name))
			dst = binary.AppendVarint(dst, c.seenTime)
			dst = binary.AppendVarint(dst, c.activeTime)
		}
		dst = binary.AppendUvarint(dst, uint64(g.pel.Len()))
		for p := range g.PEL(MinID) {
			dst = appendID(dst, p.ID)
			if p.Consumer == nil {
				dst = binary.AppendUvarint(dst, 0)
			} else {
				dst = binary.AppendUvarint(dst, uint64(index[p.Consumer])+1)
			}
			dst = binary.AppendVarint(dst, p.DeliveryTime)
			dst = binary.AppendVarint(dst, p.DeliveryCount)
			if p.Consumer == nil {
				dst = binary.AppendUvarint(dst, g.pel.get(p.ID).nackOrder)
			}
		}
	}
	return dst
}

// appendQueue encodes each group's queue state (queue.go):
//
//	byte policy (0 none, 1 set); if set: varint ack-wait, uvarint steps,
//	    varint per backoff step, varint max-deliver, bytes dlq,
//	    varint max-pending
//	varint delivered, redelivered, acked, dead-lettered
//	uvarint delays; per delay: ID, varint redeliver-at
func (s *Stream) appendQueue(dst []byte) []byte {
	for _, g := range s.groups {
		if g.policy == nil {
			dst = append(dst, 0)
		} else {
			p := g.policy
			dst = append(dst, 1)
			dst = binary.AppendVarint(dst, p.AckWait)
			dst = binary.AppendUvarint(dst, uint64(len(p.Backoff)))
			for _, step := range p.Backoff {
				dst = binary.AppendVarint(dst, step)
			}
			dst = binary.AppendVarint(dst, p.MaxDeliver)
			dst = appendBytes(dst, []byte(p.DLQ))
			dst = binary.AppendVarint(dst, p.MaxPending)
		}
		st := g.stats
		dst = binary.AppendVarint(dst, st.Delivered)
		dst = binary.AppendVarint(dst, st.Redelivered)
		dst = binary.AppendVarint(dst, st.Acked)
		dst = binary.AppendVarint(dst, st.DeadLettered)
		var delays []dueItem
		if g.due != nil {
			for it := g.pel.first(); it.valid(); it.next() {
				if at := it.val().redeliverAt; at != 0 {
					delays = append(delays, dueItem{at, it.id()})
				}
			}
		}
		dst = binary.AppendUvarint(dst, uint64(len(delays)))
		for _, dl := range delays {
			dst = appendID(dst, dl.id)
			dst = binary.AppendVarint(dst, dl.due)
		}
	}
	return dst
}

// decodeQueue reads one group's queue state (see appendQueue).
func decodeQueue(d *decoder, g *Group) {
	switch d.byte() {
	case 0:
	case 1:
		var p Policy
		p.AckWait = d.varint()
		steps := d.count()
		for i := 0; i < steps && d.err == nil; i++ {
			p.Backoff = append(p.Backoff, d.varint())
		}
		p.MaxDeliver = d.varint()
		p.DLQ = string(d.bytes())
		p.MaxPending = d.varint()
		g.policy = &p
	default:
		d.fail()
	}
	g.stats = GroupStats{Delivered: d.varint(), Redelivered: d.varint(), Acked: d.varint(), DeadLettered: d.varint()}
	delays := d.count()
	for i := 0; i < delays && d.err == nil; i++ {
		id := d.id()
		g.setRedeliverAt(id, d.varint())
	}
	if d.err == nil {
		g.rebuildDue()
	}
}

func appendID(dst []byte, id ID) []byte {
	dst = binary.AppendUvarint(dst, id.Ms)
	return binary.AppendUvarint(dst, id.Seq)
}

// DecodeStream rebuilds a stream from AppendBinary's encoding. The result
// does not alias b. Every block is walked and checked, so damaged input is
// an error, never a stream that panics later.
func DecodeStream(b []byte) (*Stream, error) {
	s, rest, err := DecodeStreamFrom(b)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrCorruptEncoding, len(rest))
	}
	return s, nil
}

// DecodeStreamFrom decodes the stream encoded at the start of b and returns
// the bytes after it: the encoding delimits itself, so a snapshot can hold
// streams back to back without length prefixes (and without an extra copy).
func DecodeStreamFrom(b []byte) (s *Stream, rest []byte, err error) {
	defer func() {
		// Block walking indexes into the data; a malformed block shows up
		// as an out-of-range access, which is corruption, not a crash.
		if r := recover(); r != nil {
			s, rest, err = nil, nil, fmt.Errorf("%w: %v", ErrCorruptEncoding, r)
		}
	}()
	d := decoder{b: b}
	version := d.uvarint()
	if version < 1 || version > codecVersion {
		return nil, nil, fmt.Errorf("%w: version %d", ErrCorruptEncoding, version)
	}
	s = New()
	s.length = d.uvarint()
	s.lastID = d.id()
	s.firstID = d.id()
	s.maxDeletedID = d.id()
	s.entriesAdded = d.uvarint()
	nblocks := d.count()
	s.blocks = make([]*block, 0, nblocks)
	var live uint64
	for i := 0; i < nblocks && d.err == nil; i++ {
		blk := &block{first: d.id(), last: d.id()}
		blk.live = int32(d.uvarint())
		blk.deleted = int32(d.uvarint())
		blk.lpRest = int(d.uvarint())
		blk.nmaster = int32(d.uvarint())
		blk.headOff = int(d.uvarint())
		blk.data = append([]byte(nil), d.bytes()...)
		if d.err != nil {
			break
		}
		if err := blk.check(); err != nil {
			return nil, nil, err
		}
		if n := len(s.blocks); n > 0 && !s.blocks[n-1].last.Less(blk.first) {
			return nil, nil, fmt.Errorf("%w: blocks out of order", ErrCorruptEncoding)
		}
		live += uint64(blk.live)
		s.blocks = append(s.blocks, blk)
	}
	if d.err == nil && live != s.length {
		return nil, nil, fmt.Errorf("%w: %d live entries, length %d", ErrCorruptEncoding, live, s.length)
	}
	ngroups := d.count()
	for i := 0; i < ngroups && d.err == nil; i++ {
		name := string(d.bytes())
		g, err := s.CreateGroup(name, d.id(), d.varint())
		if err != nil {
			return nil, nil, fmt.Errorf("%w: group %q: %v", ErrCorruptEncoding, name, err)
		}
		nconsumers := d.count()
		consumers := make([]*Consumer, 0, nconsumers)
		for j := 0; j < nconsumers && d.err == nil; j++ {
			cname := string(d.bytes())
			seen, active := d.varint(), d.varint()
			c, created := g.CreateConsumer(cname, seen)
			if !created {
				return nil, nil, fmt.Errorf("%w: consumer %q repeated", ErrCorruptEncoding, cname)
			}
			c.SetTimes(seen, active)
			consumers = append(consumers, c)
		}
		npending := d.count()
		for j := 0; j < npending && d.err == nil; j++ {
			id := d.id()
			owner := d.uvarint()
			deliveryTime, deliveryCount := d.varint(), d.varint()
			if version >= 3 {
				if owner == 0 { // unowned (XNACK)
					order := d.uvarint()
					if d.err != nil {
						break
					}
					g.setUnowned(id, deliveryTime, deliveryCount, order)
					continue
				}
				owner--
			}
			if d.err != nil || owner >= uint64(len(consumers)) {
				return nil, nil, fmt.Errorf("%w: PEL entry %s has no owner", ErrCorruptEncoding, id)
			}
			g.SetPending(consumers[owner], id, deliveryTime, deliveryCount)
		}
	}
	if version >= 2 && d.err == nil {
		s.idmp = decodeIdmp(&d)
	}
	if version >= 4 && d.err == nil {
		for _, g := range s.groups {
			decodeQueue(&d, g)
		}
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return s, d.b, nil
}

// check walks a decoded block and verifies that its counters, last ID and
// head offset agree with its data.
func (b *block) check() error {
	off := 0
	n, off := readUvarint(b.data, off)
	if n != uint64(b.nmaster) {
		return fmt.Errorf("%w: block %s master fields", ErrCorruptEncoding, b.first)
	}
	for i := uint64(0); i < n; i++ {
		_, off = readBytes(b.data, off)
	}
	if b.headOff < off || b.headOff > len(b.data) {
		return fmt.Errorf("%w: block %s head offset", ErrCorruptEncoding, b.first)
	}
	var live, deleted int32
	var last ID
	for off < len(b.data) {
		id, flags, next := b.step(off)
		if flags&flagDeleted != 0 {
			deleted++
		} else {
			if off < b.headOff {
				return fmt.Errorf("%w: block %s live entry before its head", ErrCorruptEncoding, b.first)
			}
			live++
		}
		if off > 0 && next <= off {
			return fmt.Errorf("%w: block %s entry at %d", ErrCorruptEncoding, b.first, off)
		}
		last = id
		off = next
	}
	if off != len(b.data) || live != b.live || deleted != b.deleted || last != b.last {
		return fmt.Errorf("%w: block %s counters", ErrCorruptEncoding, b.first)
	}
	return nil
}

// decoder reads the encoding, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = ErrCorruptEncoding
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length that must be plausible for the bytes left.
func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) id() ID { return ID{Ms: d.uvarint(), Seq: d.uvarint()} }

func (d *decoder) bytes() []byte {
	n := d.count()
	if d.err != nil {
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}
