package commands

import (
	"bytes"
	"fmt"
	"strings"
)

// listValue is a list key's value: a ring buffer of elements. Pushes and
// pops at either end are O(1) amortised, reading or replacing the element at
// an index is O(1) (Redis's quicklist walks to it in O(n)), and inserting or
// removing in the middle shifts the shorter side. Elements are never shared
// with the command's arguments: callers copy what they push.
//
// OBJECT ENCODING says "quicklist" for every list, as Redis 7.0 does (the
// listpack encoding for small lists came with 7.2).
type listValue struct {
	items [][]byte // len(items) is 0 or a power of two
	head  int      // position of element 0 in items
	n     int
}

// minListCap is the smallest ring a list allocates, and the size below
// which it never shrinks.
const minListCap = 8

func newList() *listValue { return &listValue{} }

// Len is the number of elements.
func (l *listValue) Len() int { return l.n }

// pos maps index i (0 <= i < n) to its position in items.
func (l *listValue) pos(i int) int { return (l.head + i) & (len(l.items) - 1) }

// At returns element i, 0 <= i < Len.
func (l *listValue) At(i int) []byte { return l.items[l.pos(i)] }

// Set replaces element i, 0 <= i < Len.
func (l *listValue) Set(i int, v []byte) { l.items[l.pos(i)] = v }

// resize moves the elements into a ring of capacity c (a power of two, at
// least n), element 0 first.
func (l *listValue) resize(c int) {
	items := make([][]byte, c)
	if l.n > 0 {
		first := copy(items, l.items[l.head:min(l.head+l.n, len(l.items))])
		copy(items[first:], l.items[:l.n-first])
	}
	l.items, l.head = items, 0
}

func (l *listValue) growIfFull() {
	if l.n == len(l.items) {
		l.resize(max(minListCap, 2*len(l.items)))
	}
}

// shrinkIfSparse halves the ring while it is at most a quarter full, so a
// list that grew large and drained does not keep its peak memory.
func (l *listValue) shrinkIfSparse() {
	c := len(l.items)
	for c > minListCap && l.n <= c/4 {
		c /= 2
	}
	if c != len(l.items) {
		l.resize(c)
	}
}

// PushFront adds v before element 0.
func (l *listValue) PushFront(v []byte) {
	l.growIfFull()
	l.head = (l.head - 1) & (len(l.items) - 1)
	l.items[l.head] = v
	l.n++
}

// PushBack adds v after the last element.
func (l *listValue) PushBack(v []byte) {
	l.growIfFull()
	l.items[l.pos(l.n)] = v
	l.n++
}

// PopFront removes and returns element 0; the list must not be empty.
func (l *listValue) PopFront() []byte {
	v := l.items[l.head]
	l.items[l.head] = nil
	l.head = (l.head + 1) & (len(l.items) - 1)
	l.n--
	l.shrinkIfSparse()
	return v
}

// PopBack removes and returns the last element; the list must not be empty.
func (l *listValue) PopBack() []byte {
	p := l.pos(l.n - 1)
	v := l.items[p]
	l.items[p] = nil
	l.n--
	l.shrinkIfSparse()
	return v
}

// Push adds v at the head (left) or the tail.
func (l *listValue) Push(v []byte, left bool) {
	if left {
		l.PushFront(v)
	} else {
		l.PushBack(v)
	}
}

// Pop removes an element from the head (left) or the tail; the list must
// not be empty.
func (l *listValue) Pop(left bool) []byte {
	if left {
		return l.PopFront()
	}
	return l.PopBack()
}

// Insert puts v at index i (0 <= i <= Len), shifting the shorter side.
func (l *listValue) Insert(i int, v []byte) {
	if i == 0 {
		l.PushFront(v)
		return
	}
	if i == l.n {
		l.PushBack(v)
		return
	}
	l.growIfFull()
	if i < l.n/2 {
		// Open a slot at the front and move elements 0..i-1 down one.
		l.head = (l.head - 1) & (len(l.items) - 1)
		l.n++
		for j := 0; j < i; j++ {
			l.items[l.pos(j)] = l.items[l.pos(j+1)]
		}
	} else {
		l.n++
		for j := l.n - 1; j > i; j-- {
			l.items[l.pos(j)] = l.items[l.pos(j-1)]
		}
	}
	l.items[l.pos(i)] = v
}

// TrimFront drops the first k elements, TrimBack the last k (0 <= k <= Len).
func (l *listValue) TrimFront(k int) {
	for j := 0; j < k; j++ {
		l.items[l.pos(j)] = nil
	}
	if len(l.items) > 0 {
		l.head = l.pos(k)
	}
	l.n -= k
	l.shrinkIfSparse()
}

func (l *listValue) TrimBack(k int) {
	for j := l.n - k; j < l.n; j++ {
		l.items[l.pos(j)] = nil
	}
	l.n -= k
	l.shrinkIfSparse()
}

// RemoveEqual removes elements equal to v, as LREM does: the first count
// from the head when count > 0, the last -count from the tail when
// count < 0, all of them when count is 0. It returns how many it removed.
func (l *listValue) RemoveEqual(v []byte, count int64) int {
	// from is the lowest index that may be removed: with a negative count
	// only the last -count matches go, so find the first of those.
	from, limit := 0, l.n
	if count < 0 {
		seen := int64(0)
		from = l.n
		for j := l.n - 1; j >= 0 && seen < -count; j-- {
			if bytes.Equal(l.At(j), v) {
				seen++
				from = j
			}
		}
		if seen == 0 {
			return 0
		}
	} else if count > 0 && count < int64(limit) {
		limit = int(count)
	}
	removed, w := 0, from
	for r := from; r < l.n; r++ {
		e := l.At(r)
		if removed < limit && bytes.Equal(e, v) {
			removed++
			continue
		}
		l.Set(w, e)
		w++
	}
	for j := w; j < l.n; j++ {
		l.Set(j, nil)
	}
	l.n = w
	l.shrinkIfSparse()
	return removed
}

// Index finds element v: the first match scanning from the head (or from
// the tail when fromTail), or -1.
func (l *listValue) Index(v []byte, fromTail bool) int {
	if fromTail {
		for j := l.n - 1; j >= 0; j-- {
			if bytes.Equal(l.At(j), v) {
				return j
			}
		}
		return -1
	}
	for j := 0; j < l.n; j++ {
		if bytes.Equal(l.At(j), v) {
			return j
		}
	}
	return -1
}

// listRange resolves Redis's start/stop indexes (negative ones count from
// the end) against a list of n elements, as addListRangeReply and LTRIM do:
// it returns the first index and how many elements follow, 0 when the range
// is empty.
func listRange(start, stop int64, n int) (int, int) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if stop < 0 {
		stop += ln
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= ln {
		return 0, 0
	}
	if stop >= ln {
		stop = ln - 1
	}
	return int(start), int(stop - start + 1)
}

// listOf returns the list held by e: nil for a missing key, ErrWrongType
// for a key of another type.
func listOf(e *entry) (*listValue, error) {
	if e == nil {
		return nil, nil
	}
	l, ok := e.value.(*listValue)
	if !ok {
		return nil, ErrWrongType
	}
	return l, nil
}

// readList looks key up for a read (counting a hit or a miss) and returns
// its list, nil when the key is missing, or ErrWrongType.
func (ctx *Context) readList(key []byte) (*listValue, error) {
	return listOf(ctx.lookupRead(key))
}

// writeList looks key up for a change and returns its list, nil when the
// key is missing, or ErrWrongType.
func (ctx *Context) writeList(key []byte) (*listValue, error) {
	return listOf(ctx.lookupWrite(key))
}

// listRemoved finishes a command that removed elements from the list at
// key, as Redis's listElementsRemoved does: it announces event, deletes an
// emptied list (Redis never keeps an empty one) announcing "del", and
// signals the key.
func (ctx *Context) listRemoved(db *DB, key []byte, l *listValue, event string) {
	ctx.Notify(NotifyList, event, db.ID, key)
	if l.Len() == 0 {
		db.remove(string(key))
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
	}
	ctx.Signal(db.ID, string(key))
}

// addNewKey stores v at key, which the caller found missing, and announces
// the new key, as Redis's dbAdd does.
func (ctx *Context) addNewKey(db *DB, key []byte, v any) {
	db.add(string(key), v, ctx.nowMs())
	ctx.Notify(NotifyNew, "new", db.ID, key)
}

// copyBytes copies an argument for storing.
func copyBytes(b []byte) []byte { return append([]byte(nil), b...) }

// replyListRange writes count elements from index start as an array, in
// order, or backwards from start when reverse.
func replyListRange(out Reply, l *listValue, start, count int, reverse bool) {
	out.Array(count)
	for j := 0; j < count; j++ {
		if reverse {
			out.Bulk(l.At(start - j))
		} else {
			out.Bulk(l.At(start + j))
		}
	}
}

// changedBy is Changed for a command that changed n elements: Redis's dirty
// counter (rdb_changes_since_last_save) grows by n.
func (ctx *Context) changedBy(n int) {
	ctx.Changed()
	ctx.stats.dirty += int64(n) - 1
}

// argRangeInt is Redis's getRangeLongFromObjectOrReply with a message: an
// argument that is not an integer, or one outside [lo, hi], is refused with
// msg.
func argRangeInt(b []byte, lo, hi int64, msg string) (int64, error) {
	n, err := argInt(b)
	if err != nil || n < lo || n > hi {
		return 0, redisError(msg)
	}
	return n, nil
}

// dumpList renders a list for Engine.Dump: its elements in order.
func dumpList(b *strings.Builder, l *listValue) {
	fmt.Fprintf(b, "list len=%d [", l.Len())
	for i := 0; i < l.Len(); i++ {
		fmt.Fprintf(b, " %q", l.At(i))
	}
	b.WriteString(" ]")
}
