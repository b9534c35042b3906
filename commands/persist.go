package commands

// PERSIST key — https://redis.io/commands/persist/
var persistCommand = &Command{
	Name: "persist", Arity: 2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace write fast", Group: "generic", Since: "2.2.0",
	Summary: "Remove the expiration from a key", Complexity: "O(1)",
	Syntax: "key", Run: runPersist,
}

// runPersist removes the key's TTL: 1 when it had one, 0 when it had none
// or is missing. Only a removal is an effect (the command as typed).
func runPersist(ctx *Context) {
	e := ctx.lookupWrite(ctx.Args[1])
	if e == nil || e.expireAt == 0 {
		ctx.Out.Int(0)
		return
	}
	db := ctx.DB()
	db.setExpire(e, 0)
	ctx.Signal(db.ID, e.key)
	ctx.Changed()
	ctx.Notify(NotifyGeneric, "persist", db.ID, ctx.Args[1])
	ctx.Out.Int(1)
}
