package commands

// STRLEN key — https://redis.io/commands/strlen/
var strlenCommand = &Command{
	Name: "strlen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read string fast", Group: "string", Since: "2.2.0",
	Summary: "Get the length of the value stored in a key", Complexity: "O(1)",
	Syntax: "key", Run: runStrlen,
}

// runStrlen answers the length of the string at key, 0 when it is missing.
func runStrlen(ctx *Context) {
	sv, ok, err := ctx.getString(ctx.Args[1])
	switch {
	case err != nil:
		ctx.Fail(err)
	case !ok:
		ctx.Out.Int(0)
	default:
		ctx.Out.Int(int64(len(sv.b)))
	}
}
