package commands

import (
	"math"
	"sort"
)

// SINTER key [key ...] — https://redis.io/commands/sinter/
var sinterCommand = &Command{
	Name: "sinter", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "read set slow", Group: "set", Since: "1.0.0",
	Summary:    "Intersect multiple sets",
	Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
	Syntax:     "key [key ...]", Run: runSInter,
}

// SINTERSTORE destination key [key ...] — https://redis.io/commands/sinterstore/
var sinterstoreCommand = &Command{
	Name: "sinterstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "write set slow", Group: "set", Since: "1.0.0",
	Summary:    "Intersect multiple sets and store the resulting set in a key",
	Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
	Syntax:     "destination key [key ...]", Run: runSInterStore,
}

// SINTERCARD numkeys key [key ...] [LIMIT limit] — https://redis.io/commands/sintercard/
var sintercardCommand = &Command{
	Name: "sintercard", Arity: -3, Flags: FlagReadOnly,
	Categories: "read set slow", Group: "set", Since: "7.0.0",
	Summary:    "Intersect multiple sets and return the cardinality of the result",
	Complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
	Syntax:     "numkeys key [key ...] [LIMIT limit]", Run: runSInterCard,
}

// readSets looks every key up for a read, as Redis's set operations do
// before anything else: a missing key is a nil (empty) set, a key of
// another type is WRONGTYPE.
func (ctx *Context) readSets(keys [][]byte) ([]*setObject, error) {
	sets := make([]*setObject, len(keys))
	for i, k := range keys {
		s, err := ctx.readSet(k)
		if err != nil {
			return nil, err
		}
		sets[i] = s
	}
	return sets, nil
}

// intersect calls visit for each member of every set, walking the smallest
// set in its iteration order (Redis sorts the sets by size), until visit
// returns false. It visits nothing when a set is missing.
func intersect(sets []*setObject, visit func(m string) bool) {
	for _, s := range sets {
		if s == nil {
			return
		}
	}
	sorted := append([]*setObject(nil), sets...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].len() < sorted[j].len() })
	first := sorted[0]
outer:
	for _, m := range first.ordered() {
		for _, s := range sorted[1:] {
			if s != first && !s.has(m) {
				continue outer
			}
		}
		if !visit(m) {
			return
		}
	}
}

// runSInter answers a set reply in the order Redis finds the members.
func runSInter(ctx *Context) {
	sets, err := ctx.readSets(ctx.Args[1:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	var members []string
	intersect(sets, func(m string) bool {
		members = append(members, m)
		return true
	})
	replySetMembers(ctx.Out, members)
}

// runSInterStore stores the intersection (built as Redis builds it, from
// an empty intset) or deletes the destination when it is empty.
func runSInterStore(ctx *Context) {
	sets, err := ctx.readSets(ctx.Args[2:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	result := newSet()
	intersect(sets, func(m string) bool {
		result.add(m, ctx.Settings.Encoding)
		return true
	})
	ctx.storeSet(ctx.Args[1], result, "sinterstore")
}

// sintercardArgs is a parsed SINTERCARD.
type sintercardArgs struct {
	keys  [][]byte
	limit int64 // 0: no limit
}

// parseSInterCard follows sinterCardCommand: numkeys first, then LIMIT
// (repeatable, the last one wins).
func parseSInterCard(args [][]byte) (sintercardArgs, error) {
	var p sintercardArgs
	numkeys, err := argRangeInt(args[1], 1, math.MaxInt64, msgNumKeysPositive)
	if err != nil {
		return p, err
	}
	if numkeys > int64(len(args)-2) {
		return p, redisError(msgNumkeysTooMany)
	}
	p.keys = args[2 : 2+numkeys]
	for j := 2 + int(numkeys); j < len(args); j++ {
		if is(args[j], "limit") && j+1 < len(args) {
			j++
			if p.limit, err = argRangeInt(args[j], 0, math.MaxInt64, msgLimitNegative); err != nil {
				return p, err
			}
			continue
		}
		return p, ErrSyntax
	}
	return p, nil
}

func runSInterCard(ctx *Context) {
	p, err := parseSInterCard(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	sets, err := ctx.readSets(p.keys)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var n int64
	intersect(sets, func(string) bool {
		n++
		return p.limit == 0 || n < p.limit
	})
	ctx.Out.Int(n)
}
