package commands

// SETNX key value — https://redis.io/commands/setnx/
var setnxCommand = &Command{
	Name: "setnx", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "1.0.0",
	Summary: "Set the value of a key, only if the key does not exist", Complexity: "O(1)",
	Syntax: "key value", Run: runSetnx,
}

// runSetnx is SET key value NX answering 1 or 0. Like SET NX it looks only at
// whether the key exists, whatever its type.
func runSetnx(ctx *Context) {
	setGeneric(ctx, ctx.Args[1], ctx.Args[2], stringOptions{nx: true},
		func() { ctx.Out.Int(1) }, func() { ctx.Out.Int(0) })
}
