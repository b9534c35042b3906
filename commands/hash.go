package commands

import (
	"fmt"
	"strings"
)

// hashValue is a hash key's value: its fields in a dense slice, which keeps
// the order Redis shows and lets HSCAN and HRANDFIELD index fields in O(1).
//
// It follows Redis 7.0's two encodings so that OBJECT ENCODING, the field
// order and HSCAN's paging match:
//
//   - listpack (index == nil): a small hash keeps insertion order (an update
//     keeps the field's place, a delete closes the gap), lookups scan the
//     slice as Redis scans its listpack, and HSCAN returns everything at once
//     with cursor 0.
//   - hashtable (index != nil): once a hash holds more than
//     hash-max-listpack-entries fields, or a field or value longer than
//     hash-max-listpack-value bytes is stored, a map indexes the slice. A delete
//     moves the last field into the hole, which only ever moves a field to a
//     lower index; HSCAN walks the slice downwards, so a field present for a
//     whole scan is always returned, the guarantee Redis's SCAN gives (the
//     same scheme as DB). Like Redis, a hash never converts back, except when
//     loaded from a snapshot (as Redis converts when loading its RDB).
type hashValue struct {
	fields []hashField
	index  map[string]int32
}

type hashField struct {
	name  string
	value []byte
}

func newHash() *hashValue { return &hashValue{} }

// Len is the number of fields.
func (h *hashValue) Len() int { return len(h.fields) }

// listpack reports whether Redis would still hold the hash as a listpack.
func (h *hashValue) listpack() bool { return h.index == nil }

// encoding is OBJECT ENCODING's answer.
func (h *hashValue) encoding() string {
	if h.listpack() {
		return "listpack"
	}
	return "hashtable"
}

// find returns the position of field, or -1.
func (h *hashValue) find(field []byte) int {
	if h.index != nil {
		if i, ok := h.index[string(field)]; ok {
			return int(i)
		}
		return -1
	}
	for i := range h.fields {
		if h.fields[i].name == string(field) {
			return i
		}
	}
	return -1
}

// Get returns the value of field.
func (h *hashValue) Get(field []byte) ([]byte, bool) {
	if i := h.find(field); i >= 0 {
		return h.fields[i].value, true
	}
	return nil, false
}

// Set stores value (which the hash now owns) at field and reports whether
// the field is new. Like Redis's hashTypeSet, a long field or value turns a
// listpack into a hashtable first, and so does passing the entries limit.
func (h *hashValue) Set(field, value []byte, lim EncodingLimits) bool {
	if h.listpack() && (len(field) > lim.HashMaxListpackValue || len(value) > lim.HashMaxListpackValue) {
		h.convert()
	}
	if i := h.find(field); i >= 0 {
		h.fields[i].value = value
		return false
	}
	h.fields = append(h.fields, hashField{name: string(field), value: value})
	if h.index != nil {
		h.index[string(field)] = int32(len(h.fields) - 1)
	} else if len(h.fields) > lim.HashMaxListpackEntries {
		h.convert()
	}
	return true
}

// Delete removes field and reports whether it was there.
func (h *hashValue) Delete(field []byte) bool {
	i := h.find(field)
	if i < 0 {
		return false
	}
	last := len(h.fields) - 1
	if h.index == nil {
		copy(h.fields[i:], h.fields[i+1:])
	} else {
		delete(h.index, h.fields[i].name)
		if i != last {
			h.fields[i] = h.fields[last]
			h.index[h.fields[i].name] = int32(i)
		}
	}
	h.fields[last] = hashField{}
	h.fields = h.fields[:last]
	return true
}

// convert switches to the hashtable encoding.
func (h *hashValue) convert() {
	h.index = make(map[string]int32, len(h.fields))
	for i, f := range h.fields {
		h.index[f.name] = int32(i)
	}
}

// fitsListpack reports whether Redis, loading the hash from its RDB, would
// make it a listpack.
func (h *hashValue) fitsListpack(lim EncodingLimits) bool {
	if len(h.fields) > lim.HashMaxListpackEntries {
		return false
	}
	for _, f := range h.fields {
		if len(f.name) > lim.HashMaxListpackValue || len(f.value) > lim.HashMaxListpackValue {
			return false
		}
	}
	return true
}

// scan visits up to count fields from cursor and returns the next cursor
// (0 when done): one more than the next position to visit, walking
// downwards (see hashValue for why). A listpack is visited whole.
func (h *hashValue) scan(cursor uint64, count int, visit func(f *hashField)) uint64 {
	if h.listpack() {
		for i := range h.fields {
			visit(&h.fields[i])
		}
		return 0
	}
	var next int64
	if cursor == 0 || cursor > uint64(len(h.fields)) {
		next = int64(len(h.fields)) - 1
	} else {
		next = int64(cursor) - 1
	}
	for ; next >= 0 && count > 0; next-- {
		visit(&h.fields[next])
		count--
	}
	if next < 0 {
		return 0
	}
	return uint64(next) + 1
}

// hashOf returns the hash held by e: nil for a missing key, ErrWrongType
// for a key of another type.
func hashOf(e *entry) (*hashValue, error) {
	if e == nil {
		return nil, nil
	}
	h, ok := e.value.(*hashValue)
	if !ok {
		return nil, ErrWrongType
	}
	return h, nil
}

// readHash looks key up for a read (counting a hit or a miss) and returns
// its hash, nil when the key is missing, or ErrWrongType.
func (ctx *Context) readHash(key []byte) (*hashValue, error) {
	return hashOf(ctx.lookupRead(key))
}

// writeHash looks key up for a change and returns its hash, nil when the
// key is missing, or ErrWrongType.
func (ctx *Context) writeHash(key []byte) (*hashValue, error) {
	return hashOf(ctx.lookupWrite(key))
}

// writeHashOrCreate is Redis's hashTypeLookupWriteOrCreate: the hash at key,
// created empty (and stored) when the key is missing. The caller must leave
// it non-empty.
func (ctx *Context) writeHashOrCreate(key []byte) (*hashValue, error) {
	h, err := ctx.writeHash(key)
	if err != nil || h != nil {
		return h, err
	}
	h = newHash()
	ctx.addNewKey(ctx.DB(), key, h)
	return h, nil
}

// dumpHash renders a hash for Engine.Dump: its fields in the hash's order
// (the order HGETALL shows). The encoding is left out: a snapshot load
// recomputes it, as Redis's RDB load does, so it may legitimately change
// across a reload.
func dumpHash(b *strings.Builder, h *hashValue) {
	fmt.Fprintf(b, "hash len=%d [", h.Len())
	for _, f := range h.fields {
		fmt.Fprintf(b, " %q=%q", f.name, f.value)
	}
	b.WriteString(" ]")
}
