package commands

import "encoding/binary"

// Snapshot encodings of lists and hashes (see snapshot.go for the frame):
//
//	list: uvarint n, then n × (uvarint len + bytes), head first
//	hash: uvarint n, then n × (uvarint len + field, uvarint len + value),
//	      in the hash's order
//
// A hash's encoding is not stored: loading recomputes it from its size and
// its longest field or value, as Redis does when it loads its RDB.
const (
	snapList byte = 'l'
	snapHash byte = 'h'
)

// appendSnapKey appends the part every key shares: type, name, TTL.
func appendSnapKey(dst []byte, typ byte, en *entry) []byte {
	dst = append(dst, typ)
	dst = appendBytes(dst, []byte(en.key))
	return binary.AppendVarint(dst, en.expireAt)
}

func appendListSnapshot(dst []byte, l *listValue) []byte {
	dst = binary.AppendUvarint(dst, uint64(l.Len()))
	for i := 0; i < l.Len(); i++ {
		dst = appendBytes(dst, l.At(i))
	}
	return dst
}

func appendHashSnapshot(dst []byte, h *hashValue) []byte {
	dst = binary.AppendUvarint(dst, uint64(h.Len()))
	for _, f := range h.fields {
		dst = appendBytes(dst, []byte(f.name))
		dst = appendBytes(dst, f.value)
	}
	return dst
}

// list decodes a list. An empty list is malformed: Spool never keeps one.
func (r *snapReader) list() *listValue {
	n := r.uvarint()
	if r.err != nil || n == 0 || n > uint64(len(r.b)) {
		r.err = errBadSnapshot
		return nil
	}
	l := newList()
	for i := uint64(0); i < n && r.err == nil; i++ {
		l.PushBack(copyBytes(r.bytes()))
	}
	return l
}

// hash decodes a hash. An empty hash or a repeated field is malformed.
func (r *snapReader) hash() *hashValue {
	n := r.uvarint()
	if r.err != nil || n == 0 || n > uint64(len(r.b)) {
		r.err = errBadSnapshot
		return nil
	}
	h := newHash()
	h.fields = make([]hashField, 0, n)
	seen := make(map[string]bool, n)
	for i := uint64(0); i < n && r.err == nil; i++ {
		name := string(r.bytes())
		value := copyBytes(r.bytes())
		if seen[name] {
			r.err = errBadSnapshot
			return nil
		}
		seen[name] = true
		h.fields = append(h.fields, hashField{name: name, value: value})
	}
	if !h.fitsListpack(r.limits) {
		h.convert()
	}
	return h
}
