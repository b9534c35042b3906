package commands

// GETSET key value — https://redis.io/commands/getset/
var getsetCommand = &Command{
	Name: "getset", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "1.0.0",
	Summary: "Set the string value of a key and return its old value", Complexity: "O(1)",
	Syntax: "key value", Run: runGetset,
}

// runGetset replies with the old string (or null), then sets the new value
// and drops any TTL. A key of another type is refused and left alone. The
// effect is SET key value, as Redis propagates it.
func runGetset(ctx *Context) {
	key, value := ctx.Args[1], ctx.Args[2]
	if !replyStringOrNull(ctx, key) {
		return
	}
	ctx.setValue(key, newString(value), false)
	ctx.Propagate([]byte("SET"), key, value)
	ctx.Notify(NotifyString, "set", ctx.Client.DB, key)
}
