package commands

// ZCOUNT key min max — https://redis.io/commands/zcount/
var zcountCommand = &Command{
	Name: "zcount", Arity: 4, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset fast", Group: "sorted-set", Since: "2.0.0",
	Summary:    "Count the members in a sorted set with scores within the given values",
	Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
	Syntax:     "key min max", Run: runZCount,
}

// ZLEXCOUNT key min max — https://redis.io/commands/zlexcount/
var zlexcountCommand = &Command{
	Name: "zlexcount", Arity: 4, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset fast", Group: "sorted-set", Since: "2.8.9",
	Summary:    "Count the number of members in a sorted set between a given lexicographical range",
	Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
	Syntax:     "key min max", Run: runZLexCount,
}

// runZCount counts by rank arithmetic: the ranks of the first and last
// members in range.
func runZCount(ctx *Context) {
	r, ok := parseScoreRange(ctx.Args[2], ctx.Args[3])
	if !ok {
		ctx.Error(msgZRangeNotFloat)
		return
	}
	z, err := ctx.readZset(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		ctx.Out.Int(0)
		return
	}
	ctx.Out.Int(int64(z.countBetween(z.firstInScoreRange(r), z.lastInScoreRange(r))))
}

func runZLexCount(ctx *Context) {
	r, ok := parseLexRange(ctx.Args[2], ctx.Args[3])
	if !ok {
		ctx.Error(msgZRangeNotLex)
		return
	}
	z, err := ctx.readZset(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		ctx.Out.Int(0)
		return
	}
	ctx.Out.Int(int64(z.countBetween(z.firstInLexRange(r), z.lastInLexRange(r))))
}

// countBetween is the number of members from first to last inclusive, 0
// when either is nil.
func (z *zsetObject) countBetween(first, last *zslNode) int {
	if first == nil || last == nil {
		return 0
	}
	return z.zsl.rank(last.score, last.member) - z.zsl.rank(first.score, first.member) + 1
}
