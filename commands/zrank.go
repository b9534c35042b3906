package commands

// ZRANK key member — https://redis.io/commands/zrank/
var zrankCommand = &Command{
	Name: "zrank", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset fast", Group: "sorted-set", Since: "2.0.0",
	Summary:    "Determine the index of a member in a sorted set",
	Complexity: "O(log(N))",
	Syntax:     "key member", Run: func(ctx *Context) { zrankGeneric(ctx, false) },
}

// ZREVRANK key member — https://redis.io/commands/zrevrank/
var zrevrankCommand = &Command{
	Name: "zrevrank", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset fast", Group: "sorted-set", Since: "2.0.0",
	Summary:    "Determine the index of a member in a sorted set, with scores ordered from high to low",
	Complexity: "O(log(N))",
	Syntax:     "key member", Run: func(ctx *Context) { zrankGeneric(ctx, true) },
}

// zrankGeneric answers the member's 0-based rank (from the top when
// reverse), found in O(log n) through the skip list's spans, or null.
func zrankGeneric(ctx *Context, reverse bool) {
	z, err := ctx.readZset(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		ctx.Out.Null()
		return
	}
	if r, ok := z.rank(string(ctx.Args[2]), reverse); ok {
		ctx.Out.Int(int64(r))
		return
	}
	ctx.Out.Null()
}
