package commands

import (
	"math"
	"strconv"
)

// ZPOPMIN key [count] — https://redis.io/commands/zpopmin/
var zpopminCommand = &Command{
	Name: "zpopmin", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset fast", Group: "sorted-set", Since: "5.0.0",
	Summary:    "Remove and return members with the lowest scores in a sorted set",
	Complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
	Syntax:     "key [count]", Run: func(ctx *Context) { runZPop(ctx, false) },
}

// ZPOPMAX key [count] — https://redis.io/commands/zpopmax/
var zpopmaxCommand = &Command{
	Name: "zpopmax", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset fast", Group: "sorted-set", Since: "5.0.0",
	Summary:    "Remove and return members with the highest scores in a sorted set",
	Complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
	Syntax:     "key [count]", Run: func(ctx *Context) { runZPop(ctx, true) },
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] — https://redis.io/commands/zmpop/
var zmpopCommand = &Command{
	Name: "zmpop", Arity: -4, Flags: FlagWrite,
	Categories: "write sortedset slow", Group: "sorted-set", Since: "7.0.0",
	Summary:    "Remove and return members with scores in a sorted set",
	Complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
	Syntax:     "numkeys key [key ...] MIN|MAX [COUNT count]", Run: runZMPop,
}

// zpopReply says how genericZpopCommand shapes its reply: with the key
// (BZPOPMIN, ZMPOP), with [member, score] pairs (RESP3 counts, ZMPOP), and
// a null array rather than an empty one when nothing is there (ZMPOP).
type zpopReply struct {
	emitKey, nested, nilWhenEmpty bool
}

// zpop is Redis's genericZpopCommand over the keys of db: it pops from the
// first key that exists (a key of another type before it is WRONGTYPE) up
// to count members (-1: one, the plain form), from the top when max. It
// returns the key it popped from and the set's size before, to build the
// effect; served is false when it replied without popping.
func (ctx *Context) zpop(db *DB, keys [][]byte, max bool, count int64, shape zpopReply) (key []byte, size int, served bool) {
	var z *zsetObject
	for _, k := range keys {
		e := ctx.lookup(db, string(k))
		if e == nil {
			continue
		}
		var err error
		if z, err = zsetOf(e); err != nil {
			ctx.Fail(err)
			return nil, 0, false
		}
		key = k
		break
	}
	out := ctx.Out
	if z == nil {
		if shape.nilWhenEmpty {
			out.NullArray()
		} else {
			out.Array(0)
		}
		return nil, 0, false
	}
	if count == 0 {
		out.Array(0)
		return nil, 0, false
	}
	if count == -1 {
		count = 1
	}
	size = z.len()
	n := int(min(count, int64(size)))
	switch {
	case !shape.nested && !shape.emitKey:
		out.Array(2 * n)
	case shape.nested && !shape.emitKey:
		out.Array(n)
	case !shape.nested:
		out.Array(2*n + 1)
		out.Bulk(key)
	default:
		out.Array(2)
		out.Bulk(key)
		out.Array(n)
	}
	event := "zpopmin"
	if max {
		event = "zpopmax"
	}
	for i := 0; i < n; i++ {
		member, score := z.pop(max)
		if i == 0 {
			ctx.Notify(NotifyZset, event, db.ID, key)
			ctx.Signal(db.ID, string(key))
		}
		if shape.nested {
			out.Array(2)
		}
		out.BulkString(member)
		out.Double(score)
	}
	if z.len() == 0 {
		db.remove(string(key))
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
	}
	return key, size, true
}

// zpopEffect is how Redis propagates every pop: ZPOPMIN or ZPOPMAX of the
// key served, with the count actually popped when a count was given.
func (ctx *Context) zpopEffect(db int, key []byte, max bool, count int64, size int) {
	name := "ZPOPMIN"
	if max {
		name = "ZPOPMAX"
	}
	if count == -1 {
		ctx.PropagateIn(db, []byte(name), key)
		return
	}
	n := min(count, int64(size))
	ctx.PropagateIn(db, []byte(name), key, []byte(strconv.FormatInt(n, 10)))
}

// runZPop serves ZPOPMIN and ZPOPMAX: a flat array of member, score pairs,
// nested pairs in RESP3 when a count is given. The command as typed is its
// own effect: it pops the same members again on replay.
func runZPop(ctx *Context, max bool) {
	if len(ctx.Args) > 3 {
		ctx.Fail(ErrSyntax)
		return
	}
	count := int64(-1)
	if len(ctx.Args) == 3 {
		var err error
		if count, err = argRangeInt(ctx.Args[2], 0, math.MaxInt64, msgMustBePositive); err != nil {
			ctx.Fail(err)
			return
		}
	}
	shape := zpopReply{nested: ctx.Out.Proto() > 2 && count != -1}
	if _, _, served := ctx.zpop(ctx.DB(), ctx.Args[1:2], max, count, shape); served {
		ctx.Changed()
	}
}

// zmpopArgs is a parsed ZMPOP or BZMPOP (after the timeout).
type zmpopArgs struct {
	keys  [][]byte
	max   bool
	count int64
}

// parseZMPop follows zmpopGenericCommand from the numkeys argument at
// args[i]: numkeys, the keys, MIN or MAX, then COUNT at most once.
func parseZMPop(args [][]byte, i int) (zmpopArgs, error) {
	p := zmpopArgs{count: 1}
	numkeys, err := argRangeInt(args[i], 1, math.MaxInt64, msgNumKeysPositive)
	if err != nil {
		return p, err
	}
	where := int64(i) + numkeys + 1
	if where >= int64(len(args)) {
		return p, ErrSyntax
	}
	p.keys = args[i+1 : where]
	switch w := args[where]; {
	case is(w, "min"):
	case is(w, "max"):
		p.max = true
	default:
		return p, ErrSyntax
	}
	counted := false
	for j := int(where) + 1; j < len(args); j++ {
		if !counted && is(args[j], "count") && j+1 < len(args) {
			j++
			if p.count, err = argRangeInt(args[j], 1, math.MaxInt64, msgCountPositive); err != nil {
				return p, err
			}
			counted = true
			continue
		}
		return p, ErrSyntax
	}
	return p, nil
}

// runZMPop pops from the first non-empty key; the effect is ZPOPMIN or
// ZPOPMAX of that key with the count popped, as Redis propagates it.
func runZMPop(ctx *Context) {
	p, err := parseZMPop(ctx.Args, 1)
	if err != nil {
		ctx.Fail(err)
		return
	}
	shape := zpopReply{emitKey: true, nested: true, nilWhenEmpty: true}
	if key, size, served := ctx.zpop(ctx.DB(), p.keys, p.max, p.count, shape); served {
		ctx.zpopEffect(ctx.Client.DB, key, p.max, p.count, size)
	}
}
