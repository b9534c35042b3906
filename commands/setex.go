package commands

// SETEX key seconds value — https://redis.io/commands/setex/
var setexCommand = &Command{
	Name: "setex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string slow", Group: "string", Since: "2.0.0",
	Summary: "Set the value and expiration of a key", Complexity: "O(1)",
	Syntax: "key seconds value", Run: runSetex,
}

// PSETEX key milliseconds value — https://redis.io/commands/psetex/
var psetexCommand = &Command{
	Name: "psetex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string slow", Group: "string", Since: "2.6.0",
	Summary: "Set the value and expiration in milliseconds of a key", Complexity: "O(1)",
	Syntax: "key milliseconds value", Run: runPsetex,
}

// runSetex is SET key value EX seconds; the effect is SET ... PXAT.
func runSetex(ctx *Context) {
	setGeneric(ctx, ctx.Args[1], ctx.Args[3], stringOptions{expire: expireEX, expireArg: ctx.Args[2]}, nil, nil)
}

// runPsetex is SET key value PX milliseconds; the effect is SET ... PXAT.
func runPsetex(ctx *Context) {
	setGeneric(ctx, ctx.Args[1], ctx.Args[3], stringOptions{expire: expirePX, expireArg: ctx.Args[2]}, nil, nil)
}
