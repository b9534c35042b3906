package commands

import (
	"math"
	"strings"
)

// zsetObject is a sorted set: a skip list ordered by (score, member) for
// ranges and ranks, a map from member to its node for O(1) lookups, and a
// dense slice of the nodes for ZSCAN (walked from the top down, as DB's
// keys are, so that a member present for a whole scan is always returned).
//
// listpack records the encoding Redis 7.0 would use, which OBJECT ENCODING
// reports and which decides two visible things: ZSCAN returns a listpack
// whole in score order, and a listpack stores scores as text, so -0 is
// stored as 0. Redis converts to a skip list when an insertion would pass
// zset-max-listpack-entries or brings a member longer than
// zset-max-listpack-value, and never back while the key lives.
type zsetObject struct {
	zsl      *zskiplist
	dict     map[string]*zslNode
	nodes    []*zslNode
	listpack bool
}

func newZset() *zsetObject {
	return &zsetObject{zsl: newZskiplist(), dict: make(map[string]*zslNode), listpack: true}
}

func (z *zsetObject) len() int { return z.zsl.length }

func (z *zsetObject) encoding() string {
	if z.listpack {
		return "listpack"
	}
	return "skiplist"
}

// score returns member's score.
func (z *zsetObject) score(member string) (float64, bool) {
	n, ok := z.dict[member]
	if !ok {
		return 0, false
	}
	return n.score, true
}

// insert adds a member known to be absent, converting the encoding first
// when Redis would.
func (z *zsetObject) insert(member string, score float64, lim EncodingLimits) {
	if z.listpack && (z.len()+1 > lim.ZsetMaxListpackEntries || len(member) > lim.ZsetMaxListpackValue) {
		z.listpack = false
	}
	if z.listpack {
		score = listpackScore(score)
	}
	n := z.zsl.insert(score, member)
	n.idx = int32(len(z.nodes))
	z.nodes = append(z.nodes, n)
	z.dict[member] = n
}

// listpackScore is the score a listpack keeps: Redis writes it as text
// with d2string, which spells -0 as "0".
func listpackScore(f float64) float64 {
	if f == 0 {
		return 0
	}
	return f
}

// update moves an existing member to a new score.
func (z *zsetObject) update(n *zslNode, score float64) {
	if z.listpack {
		score = listpackScore(score)
	}
	moved := z.zsl.updateScore(n.score, n.member, score)
	if moved != n {
		z.nodes[moved.idx] = moved
		z.dict[moved.member] = moved
	}
}

// remove deletes member and reports whether it was there.
func (z *zsetObject) remove(member string) bool {
	n, ok := z.dict[member]
	if !ok {
		return false
	}
	z.zsl.delete(n.score, member)
	z.forget(n)
	return true
}

// forget drops a node already unlinked from the skip list from the map and
// the dense slice.
func (z *zsetObject) forget(n *zslNode) {
	delete(z.dict, n.member)
	last := len(z.nodes) - 1
	if int(n.idx) != last {
		moved := z.nodes[last]
		z.nodes[n.idx] = moved
		moved.idx = n.idx
	}
	z.nodes[last] = nil
	z.nodes = z.nodes[:last]
}

// rank is member's 0-based rank, from the highest score when reverse.
func (z *zsetObject) rank(member string, reverse bool) (int, bool) {
	n, ok := z.dict[member]
	if !ok {
		return 0, false
	}
	r := z.zsl.rank(n.score, member)
	if reverse {
		return z.len() - r, true
	}
	return r - 1, true
}

// zaddFlags are ZADD's options (Redis's ZADD_IN_*).
type zaddFlags struct {
	incr, nx, xx, gt, lt bool
}

// zaddOutcome is what one zsetAdd did.
type zaddOutcome int

const (
	zaddNop zaddOutcome = iota
	zaddAdded
	zaddUpdated
	zaddUnchanged // processed, but the score stayed the same
	zaddNaN
)

// add is Redis's zsetAdd: it adds member or updates its score under the
// flags and returns what it did and the member's resulting score.
func (z *zsetObject) add(member string, score float64, f zaddFlags, lim EncodingLimits) (zaddOutcome, float64) {
	if math.IsNaN(score) {
		return zaddNaN, 0
	}
	n, exists := z.dict[member]
	if !exists {
		if f.xx {
			return zaddNop, 0
		}
		z.insert(member, score, lim)
		return zaddAdded, score
	}
	if f.nx {
		return zaddNop, 0
	}
	cur := n.score
	if f.incr {
		score += cur
		if math.IsNaN(score) {
			return zaddNaN, 0
		}
	}
	if (f.lt && score >= cur) || (f.gt && score <= cur) {
		return zaddNop, 0
	}
	if score == cur {
		return zaddUnchanged, score
	}
	z.update(n, score)
	return zaddUpdated, score
}

// pop removes and returns the lowest (or highest, when max) member of a
// non-empty set.
func (z *zsetObject) pop(max bool) (string, float64) {
	n := z.zsl.first()
	if max {
		n = z.zsl.tail
	}
	z.zsl.delete(n.score, n.member)
	z.forget(n)
	return n.member, n.score
}

// rebuildEncoding picks the encoding a freshly loaded sorted set gets, as
// Redis's RDB loading does: a listpack when it is small enough.
func (z *zsetObject) rebuildEncoding(lim EncodingLimits) {
	small := z.len() <= lim.ZsetMaxListpackEntries
	for n := z.zsl.first(); small && n != nil; n = n.level[0].forward {
		small = len(n.member) <= lim.ZsetMaxListpackValue
	}
	z.listpack = small
	if small {
		for n := z.zsl.first(); n != nil; n = n.level[0].forward {
			n.score = listpackScore(n.score)
		}
	}
}

// scoredMember is one member of a range reply.
type scoredMember struct {
	member string
	score  float64
}

// scoreRange is a parsed score interval (Redis's zrangespec).
type scoreRange struct {
	min, max     float64
	minex, maxex bool
}

func (r scoreRange) gteMin(v float64) bool {
	if r.minex {
		return v > r.min
	}
	return v >= r.min
}

func (r scoreRange) lteMax(v float64) bool {
	if r.maxex {
		return v < r.max
	}
	return v <= r.max
}

// empty reports a range no score can fall in.
func (r scoreRange) empty() bool {
	return r.min > r.max || (r.min == r.max && (r.minex || r.maxex))
}

// parseScoreRange is Redis's zslParseRange: each bound is a C strtod
// number, optionally after "(" for an exclusive bound. strtod's rules
// apply, not ZADD's: leading white space and "" (zero) pass, an overflow
// is an infinity; only trailing garbage and NaN are refused.
func parseScoreRange(min, max []byte) (scoreRange, bool) {
	var r scoreRange
	var ok bool
	if r.min, r.minex, ok = parseScoreBound(min); !ok {
		return r, false
	}
	if r.max, r.maxex, ok = parseScoreBound(max); !ok {
		return r, false
	}
	return r, true
}

func parseScoreBound(b []byte) (float64, bool, bool) {
	ex := false
	if len(b) > 0 && b[0] == '(' {
		ex, b = true, b[1:]
	}
	// Redis reads the argument as a C string: a NUL ends it.
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	f, n, _ := strtod(b)
	if n != len(b) || math.IsNaN(f) {
		return 0, false, false
	}
	return f, ex, true
}

// firstInScoreRange is the lowest node in r, or nil.
func (z *zsetObject) firstInScoreRange(r scoreRange) *zslNode {
	if r.empty() {
		return nil
	}
	n := z.zsl.firstWhere(func(n *zslNode) bool { return !r.gteMin(n.score) })
	if n == nil || !r.lteMax(n.score) {
		return nil
	}
	return n
}

// lastInScoreRange is the highest node in r, or nil.
func (z *zsetObject) lastInScoreRange(r scoreRange) *zslNode {
	if r.empty() {
		return nil
	}
	n := z.zsl.lastWhere(func(n *zslNode) bool { return r.lteMax(n.score) })
	if n == nil || !r.gteMin(n.score) {
		return nil
	}
	return n
}

// lexBound is one end of a lexicographic range: "-" (below everything),
// "+" (above everything), or a string with "[" (inclusive) or "("
// (exclusive).
type lexBound struct {
	inf int // -1 for "-", +1 for "+", 0 for a string
	s   string
	ex  bool
}

// lexRange is a parsed ZRANGEBYLEX interval (Redis's zlexrangespec).
type lexRange struct {
	min, max lexBound
}

// parseLexBound is zslParseLexRangeItem.
func parseLexBound(b []byte) (lexBound, bool) {
	if len(b) == 0 {
		return lexBound{}, false
	}
	switch b[0] {
	case '+':
		return lexBound{inf: 1, ex: true}, len(b) == 1
	case '-':
		return lexBound{inf: -1, ex: true}, len(b) == 1
	case '(':
		return lexBound{s: string(b[1:]), ex: true}, true
	case '[':
		return lexBound{s: string(b[1:])}, true
	}
	return lexBound{}, false
}

func parseLexRange(min, max []byte) (lexRange, bool) {
	lo, ok1 := parseLexBound(min)
	hi, ok2 := parseLexBound(max)
	return lexRange{lo, hi}, ok1 && ok2
}

// cmpLex compares a member with a bound (Redis's sdscmplex).
func cmpLex(v string, b lexBound) int {
	if b.inf != 0 {
		return -b.inf
	}
	return strings.Compare(v, b.s)
}

// cmpBounds compares two bounds the way sdscmplex compares the shared
// minimum and maximum strings.
func cmpBounds(a, b lexBound) int {
	switch {
	case a.inf == b.inf && a.inf != 0:
		return 0
	case a.inf == -1 || b.inf == 1:
		return -1
	case a.inf == 1 || b.inf == -1:
		return 1
	}
	return strings.Compare(a.s, b.s)
}

func (r lexRange) gteMin(v string) bool {
	if r.min.ex {
		return cmpLex(v, r.min) > 0
	}
	return cmpLex(v, r.min) >= 0
}

func (r lexRange) lteMax(v string) bool {
	if r.max.ex {
		return cmpLex(v, r.max) < 0
	}
	return cmpLex(v, r.max) <= 0
}

func (r lexRange) empty() bool {
	c := cmpBounds(r.min, r.max)
	return c > 0 || (c == 0 && (r.min.ex || r.max.ex))
}

func (z *zsetObject) firstInLexRange(r lexRange) *zslNode {
	if r.empty() {
		return nil
	}
	n := z.zsl.firstWhere(func(n *zslNode) bool { return !r.gteMin(n.member) })
	if n == nil || !r.lteMax(n.member) {
		return nil
	}
	return n
}

func (z *zsetObject) lastInLexRange(r lexRange) *zslNode {
	if r.empty() {
		return nil
	}
	n := z.zsl.lastWhere(func(n *zslNode) bool { return r.lteMax(n.member) })
	if n == nil || !r.gteMin(n.member) {
		return nil
	}
	return n
}

// zsetOf returns the sorted set held by e: nil for a missing key and
// ErrWrongType for a key of another type.
func zsetOf(e *entry) (*zsetObject, error) {
	if e == nil {
		return nil, nil
	}
	z, ok := e.value.(*zsetObject)
	if !ok {
		return nil, ErrWrongType
	}
	return z, nil
}

// readZset looks key up for a read (counting a hit or a miss).
func (ctx *Context) readZset(key []byte) (*zsetObject, error) {
	return zsetOf(ctx.lookupRead(key))
}

// writeZset looks key up for a change.
func (ctx *Context) writeZset(key []byte) (*zsetObject, error) {
	return zsetOf(ctx.lookupWrite(key))
}

// removeIfEmptyZset deletes key when its sorted set has no members left,
// as every Redis command that removes members does.
func (ctx *Context) removeIfEmptyZset(z *zsetObject, key []byte) {
	if z.len() == 0 {
		ctx.DB().remove(string(key))
	}
}

// replyScoredMembers writes members with or without scores: a flat array
// in RESP2, [member, score] pairs in RESP3 (ZRANGE ... WITHSCORES).
func replyScoredMembers(out Reply, items []scoredMember, withScores bool) {
	pairs := withScores && out.Proto() > 2
	if withScores && !pairs {
		out.Array(2 * len(items))
	} else {
		out.Array(len(items))
	}
	for _, it := range items {
		if pairs {
			out.Array(2)
		}
		out.BulkString(it.member)
		if withScores {
			out.Double(it.score)
		}
	}
}
