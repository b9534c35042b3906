package commands

// XLEN key — https://redis.io/commands/xlen/
var xlenCommand = &Command{
	Name: "xlen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read stream fast", Group: "stream", Since: "5.0.0",
	Summary: "Return the number of entries in a stream", Complexity: "O(1)",
	Syntax: "key", Run: runXLen,
}

func runXLen(ctx *Context) {
	s, err := ctx.readStream(ctx.Args[1])
	switch {
	case err != nil:
		ctx.Fail(err)
	case s == nil:
		ctx.Out.Int(0)
	default:
		ctx.Out.Int(int64(s.Len()))
	}
}
