package commands

// RANDOMKEY — https://redis.io/commands/randomkey/
var randomkeyCommand = &Command{
	Name: "randomkey", Arity: 1, Flags: FlagReadOnly,
	Categories: "keyspace read slow", Group: "generic", Since: "1.0.0",
	Summary: "Return a random key from the keyspace", Complexity: "O(1)",
	Run: runRandomkey,
}

// runRandomkey picks keys uniformly until it finds one that has not
// expired, deleting the expired ones it meets, as Redis's dbRandomKey does.
// Every pass either answers or removes a key, so the loop ends.
func runRandomkey(ctx *Context) {
	db := ctx.DB()
	for {
		e := db.randomEntry(ctx.rng)
		if e == nil {
			ctx.Out.Null()
			return
		}
		if ctx.expireIfNeeded(db, e) {
			continue
		}
		ctx.Out.BulkString(e.key)
		return
	}
}
