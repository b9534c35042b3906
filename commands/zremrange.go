package commands

// ZREMRANGEBYSCORE key min max — https://redis.io/commands/zremrangebyscore/
var zremrangebyscoreCommand = &Command{
	Name: "zremrangebyscore", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset slow", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Remove all members in a sorted set within the given scores",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
	Syntax:     "key min max", Run: func(ctx *Context) { zremrangeGeneric(ctx, zrangeScore) },
}

// ZREMRANGEBYRANK key start stop — https://redis.io/commands/zremrangebyrank/
var zremrangebyrankCommand = &Command{
	Name: "zremrangebyrank", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset slow", Group: "sorted-set", Since: "2.0.0",
	Summary:    "Remove all members in a sorted set within the given indexes",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
	Syntax:     "key start stop", Run: func(ctx *Context) { zremrangeGeneric(ctx, zrangeRank) },
}

// ZREMRANGEBYLEX key min max — https://redis.io/commands/zremrangebylex/
var zremrangebylexCommand = &Command{
	Name: "zremrangebylex", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset slow", Group: "sorted-set", Since: "2.8.9",
	Summary:    "Remove all members in a sorted set between the given lexicographical range",
	Complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
	Syntax:     "key min max", Run: func(ctx *Context) { zremrangeGeneric(ctx, zrangeLex) },
}

// zremrangeGeneric follows zremrangeGenericCommand: parse the range, look
// the key up, remove, then notify with the command's own event name.
func zremrangeGeneric(ctx *Context, kind zrangeKind) {
	var start, end int64
	var sr scoreRange
	var lr lexRange
	var event string
	switch kind {
	case zrangeRank:
		event = "zremrangebyrank"
		var err error
		if start, err = argInt(ctx.Args[2]); err == nil {
			end, err = argInt(ctx.Args[3])
		}
		if err != nil {
			ctx.Fail(err)
			return
		}
	case zrangeScore:
		event = "zremrangebyscore"
		var ok bool
		if sr, ok = parseScoreRange(ctx.Args[2], ctx.Args[3]); !ok {
			ctx.Error(msgZRangeNotFloat)
			return
		}
	default:
		event = "zremrangebylex"
		var ok bool
		if lr, ok = parseLexRange(ctx.Args[2], ctx.Args[3]); !ok {
			ctx.Error(msgZRangeNotLex)
			return
		}
	}
	key := ctx.Args[1]
	z, err := ctx.writeZset(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		ctx.Out.Int(0)
		return
	}
	gone := func(n *zslNode) { z.forget(n) }
	removed := 0
	switch kind {
	case zrangeRank:
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
			ctx.Out.Int(0)
			return
		}
		if end >= llen {
			end = llen - 1
		}
		removed = z.zsl.deleteRangeByRank(int(start+1), int(end+1), gone)
	case zrangeScore:
		if !sr.empty() {
			removed = z.zsl.deleteFrom(func(n *zslNode) bool { return !sr.gteMin(n.score) },
				func(n *zslNode) bool { return sr.lteMax(n.score) }, gone)
		}
	default:
		if !lr.empty() {
			removed = z.zsl.deleteFrom(func(n *zslNode) bool { return !lr.gteMin(n.member) },
				func(n *zslNode) bool { return lr.lteMax(n.member) }, gone)
		}
	}
	ctx.zsetRemoved(key, z, event, removed)
	ctx.Out.Int(int64(removed))
}
