package commands

// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
// — https://redis.io/commands/zrange/
var zrangeCommand = &Command{
	Name: "zrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset slow", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Return a range of members in a sorted set",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
	Syntax:     "key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]",
	Run:        func(ctx *Context) { zrangeGeneric(ctx, false, zrangeAuto, zrangeDirAuto) },
}

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
// — https://redis.io/commands/zrangestore/
var zrangestoreCommand = &Command{
	Name: "zrangestore", Arity: -5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "write sortedset slow", Group: "sorted-set", Since: "6.2.0",
	Summary:    "Store a range of members from sorted set into another key",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
	Syntax:     "dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]",
	Run:        func(ctx *Context) { zrangeGeneric(ctx, true, zrangeAuto, zrangeDirAuto) },
}

// ZREVRANGE key start stop [WITHSCORES] — https://redis.io/commands/zrevrange/
var zrevrangeCommand = &Command{
	Name: "zrevrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset slow", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Return a range of members in a sorted set, by index, with scores ordered from high to low",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
	Syntax:     "key start stop [WITHSCORES]",
	Run:        func(ctx *Context) { zrangeGeneric(ctx, false, zrangeRank, zrangeDirReverse) },
}

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
// — https://redis.io/commands/zrangebyscore/
var zrangebyscoreCommand = &Command{
	Name: "zrangebyscore", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset slow", Group: "sorted-set", Since: "1.0.5",
	Summary:    "Return a range of members in a sorted set, by score",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
	Syntax:     "key min max [WITHSCORES] [LIMIT offset count]",
	Run:        func(ctx *Context) { zrangeGeneric(ctx, false, zrangeScore, zrangeDirForward) },
}

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
// — https://redis.io/commands/zrevrangebyscore/
var zrevrangebyscoreCommand = &Command{
	Name: "zrevrangebyscore", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset slow", Group: "sorted-set", Since: "2.2.0",
	Summary:    "Return a range of members in a sorted set, by score, with scores ordered from high to low",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
	Syntax:     "key max min [WITHSCORES] [LIMIT offset count]",
	Run:        func(ctx *Context) { zrangeGeneric(ctx, false, zrangeScore, zrangeDirReverse) },
}

// ZRANGEBYLEX key min max [LIMIT offset count] — https://redis.io/commands/zrangebylex/
var zrangebylexCommand = &Command{
	Name: "zrangebylex", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset slow", Group: "sorted-set", Since: "2.8.9",
	Summary:    "Return a range of members in a sorted set, by lexicographical range",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
	Syntax:     "key min max [LIMIT offset count]",
	Run:        func(ctx *Context) { zrangeGeneric(ctx, false, zrangeLex, zrangeDirForward) },
}

// ZREVRANGEBYLEX key max min [LIMIT offset count] — https://redis.io/commands/zrevrangebylex/
var zrevrangebylexCommand = &Command{
	Name: "zrevrangebylex", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset slow", Group: "sorted-set", Since: "2.8.9",
	Summary:    "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
	Syntax:     "key max min [LIMIT offset count]",
	Run:        func(ctx *Context) { zrangeGeneric(ctx, false, zrangeLex, zrangeDirReverse) },
}

// zrangeKind is what a range counts in (Redis's zrange_type).
type zrangeKind int

const (
	zrangeAuto zrangeKind = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

// zrangeDir is a range's direction (Redis's zrange_direction).
type zrangeDir int

const (
	zrangeDirAuto zrangeDir = iota
	zrangeDirForward
	zrangeDirReverse
)

// zrangeArgs is a parsed ZRANGE-family command.
type zrangeArgs struct {
	key        []byte
	kind       zrangeKind
	reverse    bool
	withScores bool
	offset     int64
	limit      int64 // -1: no limit
	start, end int64 // by rank
	score      scoreRange
	lex        lexRange
}

// parseZRange is the first two steps of zrangeGenericCommand: the options
// after <src> <min> <max> (BYSCORE, BYLEX and REV only where the command
// leaves them open, WITHSCORES only when not storing), the conflicts, then
// the range itself, read as [max, min] when reversed by score or lex.
func parseZRange(args [][]byte, keyIdx int, store bool, kind zrangeKind, dir zrangeDir) (zrangeArgs, error) {
	p := zrangeArgs{key: args[keyIdx], limit: -1}
	for j := keyIdx + 3; j < len(args); j++ {
		left := len(args) - j - 1
		switch opt := args[j]; {
		case !store && is(opt, "withscores"):
			p.withScores = true
		case is(opt, "limit") && left >= 2:
			var err error
			if p.offset, err = argInt(args[j+1]); err != nil {
				return p, err
			}
			if p.limit, err = argInt(args[j+2]); err != nil {
				return p, err
			}
			j += 2
		case dir == zrangeDirAuto && is(opt, "rev"):
			dir = zrangeDirReverse
		case kind == zrangeAuto && is(opt, "bylex"):
			kind = zrangeLex
		case kind == zrangeAuto && is(opt, "byscore"):
			kind = zrangeScore
		default:
			return p, ErrSyntax
		}
	}
	if kind == zrangeAuto {
		kind = zrangeRank
	}
	p.kind, p.reverse = kind, dir == zrangeDirReverse
	if p.limit != -1 && kind == zrangeRank {
		return p, redisError(msgZRangeLimitByRank)
	}
	if p.withScores && kind == zrangeLex {
		return p, redisError(msgZRangeScoresByLex)
	}
	minArg, maxArg := args[keyIdx+1], args[keyIdx+2]
	if p.reverse && kind != zrangeRank {
		minArg, maxArg = maxArg, minArg
	}
	var ok bool
	switch kind {
	case zrangeRank:
		var err error
		if p.start, err = argInt(minArg); err != nil {
			return p, err
		}
		if p.end, err = argInt(maxArg); err != nil {
			return p, err
		}
	case zrangeScore:
		if p.score, ok = parseScoreRange(minArg, maxArg); !ok {
			return p, redisError(msgZRangeNotFloat)
		}
	case zrangeLex:
		if p.lex, ok = parseLexRange(minArg, maxArg); !ok {
			return p, redisError(msgZRangeNotLex)
		}
	}
	return p, nil
}

// zrangeGeneric runs ZRANGE, ZRANGESTORE and the older Z[REV]RANGE[BY...]
// forms: parse, look the source up, collect the range, then reply or store.
func zrangeGeneric(ctx *Context, store bool, kind zrangeKind, dir zrangeDir) {
	keyIdx := 1
	if store {
		keyIdx = 2
	}
	p, err := parseZRange(ctx.Args, keyIdx, store, kind, dir)
	if err != nil {
		ctx.Fail(err)
		return
	}
	z, err := ctx.readZset(p.key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var items []scoredMember
	if z != nil {
		items = z.collectRange(p)
	}
	if store {
		ctx.storeZset(ctx.Args[1], items, "zrangestore")
		return
	}
	replyScoredMembers(ctx.Out, items, p.withScores)
}

// collectRange returns the members p selects, in reply order.
func (z *zsetObject) collectRange(p zrangeArgs) []scoredMember {
	if p.kind == zrangeRank {
		return z.rankRange(p.start, p.end, p.reverse)
	}
	var first *zslNode
	var inRange func(*zslNode) bool
	switch {
	case p.kind == zrangeScore && p.reverse:
		first, inRange = z.lastInScoreRange(p.score), func(n *zslNode) bool { return p.score.gteMin(n.score) }
	case p.kind == zrangeScore:
		first, inRange = z.firstInScoreRange(p.score), func(n *zslNode) bool { return p.score.lteMax(n.score) }
	case p.reverse:
		first, inRange = z.lastInLexRange(p.lex), func(n *zslNode) bool { return p.lex.gteMin(n.member) }
	default:
		first, inRange = z.firstInLexRange(p.lex), func(n *zslNode) bool { return p.lex.lteMax(n.member) }
	}
	// Redis steps over offset nodes one by one; a negative offset walks off
	// the end (an empty reply). The rank arithmetic lands on the same node.
	if first == nil || p.offset < 0 || p.offset >= int64(z.len()) {
		return nil
	}
	n := first
	if p.offset > 0 {
		r := int64(z.zsl.rank(first.score, first.member))
		if p.reverse {
			r -= p.offset
		} else {
			r += p.offset
		}
		if r < 1 || r > int64(z.len()) {
			return nil
		}
		n = z.zsl.byRank(int(r))
	}
	var items []scoredMember
	for limit := p.limit; n != nil && limit != 0 && inRange(n); limit-- {
		items = append(items, scoredMember{n.member, n.score})
		if p.reverse {
			n = n.backward
		} else {
			n = n.level[0].forward
		}
	}
	return items
}

// rankRange returns the members of ranks start..end (negative counting
// from the end), from the top when reverse.
func (z *zsetObject) rankRange(start, end int64, reverse bool) []scoredMember {
	llen := int64(z.len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= llen {
		return nil
	}
	if end >= llen {
		end = llen - 1
	}
	items := make([]scoredMember, 0, end-start+1)
	var n *zslNode
	if reverse {
		n = z.zsl.byRank(int(llen - start))
	} else {
		n = z.zsl.byRank(int(start + 1))
	}
	for i := start; i <= end; i++ {
		items = append(items, scoredMember{n.member, n.score})
		if reverse {
			n = n.backward
		} else {
			n = n.level[0].forward
		}
	}
	return items
}

// storeZset is the end of ZRANGESTORE: a non-empty result, built by adding
// the members in order to a new sorted set (so that its encoding follows
// Redis's conversions), replaces dst whatever it held; an empty one deletes
// dst. It replies with the result's size.
func (ctx *Context) storeZset(dst []byte, items []scoredMember, event string) {
	db := ctx.DB()
	if len(items) == 0 {
		ctx.Out.Int(0)
		if ctx.deleteKey(db, string(dst)) {
			ctx.Notify(NotifyGeneric, "del", db.ID, dst)
			ctx.Changed()
		}
		return
	}
	z := newZset()
	for _, it := range items {
		z.add(it.member, it.score, zaddFlags{}, ctx.Settings.Encoding)
	}
	ctx.setValue(dst, z, false)
	ctx.Out.Int(int64(z.len()))
	ctx.Notify(NotifyZset, event, db.ID, dst)
	ctx.Changed()
}
