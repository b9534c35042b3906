package commands

import (
	"math/rand/v2"
	"sort"
	"strconv"
)

// setObject is a set: members live in a dense slice indexed by a map.
// Removing swaps the last member into the hole, which only ever moves a
// member to a lower index, so SSCAN walks the slice from the top down
// without missing a member that stays for the whole scan (the guarantee
// DB's keys give SCAN), and SPOP and SRANDMEMBER pick uniformly in O(1).
//
// intset records the encoding Redis 7.0 would use: an intset while every
// member is an integer (string2ll's strict form) and there are at most
// set-max-intset-entries of them, a hash table after that, for good. It is
// visible beyond OBJECT ENCODING: an intset is sorted, so Redis lists its
// members in numeric order (SMEMBERS, SINTER, SSCAN whole at once), which
// members() reproduces.
type setObject struct {
	index   map[string]int32
	members []string
	intset  bool
}

// newSet returns an empty set that starts as an intset, as Redis's
// createIntsetObject (the destination of SINTERSTORE, SUNION...).
func newSet() *setObject {
	return &setObject{index: make(map[string]int32), intset: true}
}

// newSetFor is Redis's setTypeCreate: the set a first member creates (SADD,
// SMOVE to a new key) is an intset only when that member is an integer.
func newSetFor(first []byte) *setObject {
	s := newSet()
	_, s.intset = parseStrictInt(first)
	return s
}

func (s *setObject) len() int { return len(s.members) }

func (s *setObject) has(m string) bool {
	_, ok := s.index[m]
	return ok
}

// add inserts m and reports whether it was new, converting the encoding as
// setTypeAdd does.
func (s *setObject) add(m string, lim EncodingLimits) bool {
	if _, ok := s.index[m]; ok {
		return false
	}
	if s.intset {
		if _, isInt := parseStrictInt([]byte(m)); !isInt || len(s.members)+1 > lim.SetMaxIntsetEntries {
			s.intset = false
		}
	}
	s.index[m] = int32(len(s.members))
	s.members = append(s.members, m)
	return true
}

// remove deletes m and reports whether it was there.
func (s *setObject) remove(m string) bool {
	i, ok := s.index[m]
	if !ok {
		return false
	}
	last := len(s.members) - 1
	if int(i) != last {
		moved := s.members[last]
		s.members[i] = moved
		s.index[moved] = i
	}
	s.members[last] = ""
	s.members = s.members[:last]
	delete(s.index, m)
	return true
}

// random returns a uniformly chosen member of a non-empty set.
func (s *setObject) random(rng *rand.Rand) string {
	return s.members[rng.IntN(len(s.members))]
}

// ordered returns the members in the order Redis iterates them: ascending
// numeric order for an intset, the slice order otherwise. The slice is the
// caller's.
func (s *setObject) ordered() []string {
	if !s.intset {
		return append([]string(nil), s.members...)
	}
	type num struct {
		n int64
		s string
	}
	nums := make([]num, len(s.members))
	for i, m := range s.members {
		n, _ := strconv.ParseInt(m, 10, 64)
		nums[i] = num{n, m}
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i].n < nums[j].n })
	out := make([]string, len(nums))
	for i, x := range nums {
		out[i] = x.s
	}
	return out
}

func (s *setObject) encoding() string {
	if s.intset {
		return "intset"
	}
	return "hashtable"
}

// scan visits up to count members from cursor downwards and returns the
// next cursor (0 when done); see DB.scan.
func (s *setObject) scan(cursor uint64, count int, visit func(m string)) uint64 {
	return scanDense(len(s.members), cursor, count, func(i int) { visit(s.members[i]) })
}

// scanDense walks indexes of a dense slice of n items from the top down:
// the cursor is one more than the next index to visit.
func scanDense(n int, cursor uint64, count int, visit func(i int)) uint64 {
	next := int64(n) - 1
	if cursor != 0 && cursor <= uint64(n) {
		next = int64(cursor) - 1
	}
	for ; next >= 0 && count > 0; next-- {
		visit(int(next))
		count--
	}
	if next < 0 {
		return 0
	}
	return uint64(next) + 1
}

// rebuildEncoding picks the encoding a freshly loaded set gets, as Redis's
// RDB loading does: an intset when every member is an integer and there
// are few enough.
func (s *setObject) rebuildEncoding(lim EncodingLimits) {
	s.intset = len(s.members) <= lim.SetMaxIntsetEntries
	for _, m := range s.members {
		if !s.intset {
			return
		}
		_, s.intset = parseStrictInt([]byte(m))
	}
}

// setOf returns the set held by e: nil for a missing key and ErrWrongType
// for a key of another type.
func setOf(e *entry) (*setObject, error) {
	if e == nil {
		return nil, nil
	}
	s, ok := e.value.(*setObject)
	if !ok {
		return nil, ErrWrongType
	}
	return s, nil
}

// readSet looks key up for a read (counting a hit or a miss).
func (ctx *Context) readSet(key []byte) (*setObject, error) {
	return setOf(ctx.lookupRead(key))
}

// writeSet looks key up for a change.
func (ctx *Context) writeSet(key []byte) (*setObject, error) {
	return setOf(ctx.lookupWrite(key))
}

// replySetMembers writes members as a set reply (an array in RESP2).
func replySetMembers(out Reply, members []string) {
	out.Set(len(members))
	for _, m := range members {
		out.BulkString(m)
	}
}

// storeSet is the end of SINTERSTORE, SUNIONSTORE and SDIFFSTORE (and
// Redis's setKey): a non-empty result replaces dst whatever it held, TTL
// included; an empty one deletes dst. It replies with the result's size.
func (ctx *Context) storeSet(dst []byte, result *setObject, event string) {
	db := ctx.DB()
	if result.len() > 0 {
		ctx.setValue(dst, result, false)
		ctx.Out.Int(int64(result.len()))
		ctx.Notify(NotifySet, event, db.ID, dst)
		ctx.Changed()
		return
	}
	ctx.Out.Int(0)
	if ctx.deleteKey(db, string(dst)) {
		ctx.Notify(NotifyGeneric, "del", db.ID, dst)
		ctx.Changed()
	}
}
