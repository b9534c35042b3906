package commands

// DEL key [key ...] — https://redis.io/commands/del/
var delCommand = &Command{
	Name: "del", Arity: -2, Flags: FlagWrite, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "keyspace write slow", Group: "generic", Since: "1.0.0",
	Summary: "Delete a key",
	Complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, " +
		"the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. " +
		"Removing a single key that holds a string value is O(1).",
	Syntax: "key [key ...]", Run: runDel,
}

// UNLINK key [key ...] — https://redis.io/commands/unlink/
//
// Spool frees memory through the garbage collector, never on the command's
// own time, so UNLINK and DEL do the same thing.
var unlinkCommand = &Command{
	Name: "unlink", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "keyspace write fast", Group: "generic", Since: "4.0.0",
	Summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
	Complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread " +
		"in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
	Syntax: "key [key ...]", Run: runDel,
}

// runDel deletes each key that exists (a key past its TTL is expired first
// and not counted, as Redis's delGenericCommand does) and replies with the
// number deleted. The command as typed is its effect, and only when it
// deleted something: replayed, it deletes the same keys.
func runDel(ctx *Context) {
	db := ctx.DB()
	var deleted int64
	for _, key := range ctx.Args[1:] {
		if ctx.deleteKey(db, string(key)) {
			deleted++
			ctx.Notify(NotifyGeneric, "del", db.ID, key)
		}
	}
	if deleted > 0 {
		ctx.Changed()
		// Redis counts one change per deleted key.
		ctx.stats.dirty += deleted - 1
	}
	ctx.Out.Int(deleted)
}
