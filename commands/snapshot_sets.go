package commands

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Snapshot forms of sets and sorted sets (see snapshot.go for the frame),
// each a uvarint length and then the body:
//
//	set:  uvarint members, then per member: uvarint len + bytes
//	zset: uvarint members, then per member in score order: uvarint len +
//	      bytes, 8 bytes little-endian IEEE 754 score
//
// The encoding (intset, listpack...) is not stored: a loaded value gets the
// one Redis gives a value it loads from an RDB file, which depends only on
// its contents (rebuildEncoding).

// The type bytes of sets and sorted sets in the snapshot.
const (
	snapSet  byte = 's'
	snapZset byte = 'z'
)

func appendSetSnapshot(dst []byte, s *setObject) []byte {
	dst = binary.AppendUvarint(dst, uint64(s.len()))
	for _, m := range s.members {
		dst = appendBytes(dst, []byte(m))
	}
	return dst
}

func decodeSetSnapshot(b []byte, lim EncodingLimits) (*setObject, error) {
	r := snapReader{b: b}
	n := r.uvarint()
	if r.err != nil || n == 0 || n > uint64(len(b)) {
		return nil, errBadSnapshot
	}
	s := newSet()
	for i := uint64(0); i < n && r.err == nil; i++ {
		if m := r.bytes(); r.err == nil && !s.add(string(m), lim) {
			return nil, fmt.Errorf("duplicate set member %q: %w", m, errBadSnapshot)
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errBadSnapshot
	}
	s.rebuildEncoding(lim)
	return s, nil
}

func appendZsetSnapshot(dst []byte, z *zsetObject) []byte {
	dst = binary.AppendUvarint(dst, uint64(z.len()))
	for n := z.zsl.first(); n != nil; n = n.level[0].forward {
		dst = appendBytes(dst, []byte(n.member))
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(n.score))
	}
	return dst
}

func decodeZsetSnapshot(b []byte, lim EncodingLimits) (*zsetObject, error) {
	r := snapReader{b: b}
	n := r.uvarint()
	if r.err != nil || n == 0 || n > uint64(len(b)) {
		return nil, errBadSnapshot
	}
	z := newZset()
	z.listpack = false
	for i := uint64(0); i < n && r.err == nil; i++ {
		m := string(r.bytes())
		if r.err != nil || len(r.b) < 8 {
			return nil, errBadSnapshot
		}
		score := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
		r.b = r.b[8:]
		if math.IsNaN(score) {
			return nil, fmt.Errorf("sorted set member %q has a NaN score: %w", m, errBadSnapshot)
		}
		if _, dup := z.dict[m]; dup {
			return nil, fmt.Errorf("duplicate sorted set member %q: %w", m, errBadSnapshot)
		}
		z.insert(m, score, lim)
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errBadSnapshot
	}
	z.rebuildEncoding(lim)
	return z, nil
}

// dumpSet renders a set for Engine.Dump: its members in byte order.
func dumpSet(s *setObject) string {
	members := append([]string(nil), s.members...)
	sort.Strings(members)
	return fmt.Sprintf("set %q", members)
}

// dumpZset renders a sorted set for Engine.Dump: members in order with
// their exact scores ("-0" stays visible).
func dumpZset(z *zsetObject) string {
	b := []byte("zset [")
	for n := z.zsl.first(); n != nil; n = n.level[0].forward {
		b = fmt.Appendf(b, " %q %s", n.member, strconv.FormatFloat(n.score, 'g', -1, 64))
	}
	return string(append(b, " ]"...))
}
