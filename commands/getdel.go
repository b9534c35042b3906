package commands

// GETDEL key — https://redis.io/commands/getdel/
var getdelCommand = &Command{
	Name: "getdel", Arity: 2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "6.2.0",
	Summary: "Get the value of a key and delete the key", Complexity: "O(1)",
	Syntax: "key", Run: runGetdel,
}

// runGetdel replies with the string at key and deletes it; the effect is a
// DEL, as Redis propagates it.
func runGetdel(ctx *Context) {
	key := ctx.Args[1]
	sv, ok, err := ctx.getString(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if !ok {
		ctx.Out.Null()
		return
	}
	ctx.Out.Bulk(sv.b)
	ctx.deleteKey(ctx.DB(), string(key))
	ctx.Propagate([]byte("DEL"), key)
	ctx.Notify(NotifyGeneric, "del", ctx.Client.DB, key)
}
