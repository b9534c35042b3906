package commands

// GET key — https://redis.io/commands/get/
var getCommand = &Command{
	Name: "get", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read string fast", Group: "string", Since: "1.0.0",
	Summary: "Get the value of a key", Complexity: "O(1)",
	Syntax: "key", Run: runGet,
}

func runGet(ctx *Context) { replyStringOrNull(ctx, ctx.Args[1]) }
