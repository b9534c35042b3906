package commands

// ZCARD key — https://redis.io/commands/zcard/
var zcardCommand = &Command{
	Name: "zcard", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset fast", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Get the number of members in a sorted set",
	Complexity: "O(1)",
	Syntax:     "key", Run: runZCard,
}

func runZCard(ctx *Context) {
	z, err := ctx.readZset(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		ctx.Out.Int(0)
		return
	}
	ctx.Out.Int(int64(z.len()))
}
