package commands

import "slices"

// FLUSHDB [ASYNC | SYNC] — https://redis.io/commands/flushdb/
var flushdbCommand = &Command{
	Name: "flushdb", Arity: -1, Flags: FlagWrite,
	Categories: "keyspace write slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Remove all keys from the current database", Complexity: "O(N) where N is the number of keys in the selected database",
	Syntax: "[ASYNC | SYNC]", Run: runFlushdb,
}

// FLUSHALL [ASYNC | SYNC] — https://redis.io/commands/flushall/
var flushallCommand = &Command{
	Name: "flushall", Arity: -1, Flags: FlagWrite,
	Categories: "keyspace write slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Remove all keys from all databases", Complexity: "O(N) where N is the total number of keys in all databases",
	Syntax: "[ASYNC | SYNC]", Run: runFlushall,
}

// parseFlushMode accepts what Redis's getFlushCommandFlags accepts: nothing,
// or one ASYNC or SYNC. Spool frees memory through the garbage collector
// whatever the mode, so the mode only needs validating.
func parseFlushMode(args [][]byte) error {
	switch {
	case len(args) == 0:
		return nil
	case len(args) == 1 && (is(args[0], "async") || is(args[0], "sync")):
		return nil
	}
	return ErrSyntax
}

func runFlushdb(ctx *Context) {
	if err := parseFlushMode(ctx.Args[1:]); err != nil {
		ctx.Fail(err)
		return
	}
	flushDB(ctx, ctx.DB())
	ctx.Changed()
	OK(ctx.Out)
}

func runFlushall(ctx *Context) {
	if err := parseFlushMode(ctx.Args[1:]); err != nil {
		ctx.Fail(err)
		return
	}
	for _, db := range ctx.Keys.DBs {
		flushDB(ctx, db)
	}
	ctx.Changed()
	OK(ctx.Out)
}

// flushDB empties db. Every removed key is signalled after the removal,
// like any other deletion, because a WATCH on a key that existed must fail
// after a flush (Redis's touchAllWatchedKeysInDb), except one that had
// already expired when it was watched. That makes a flush O(N) under the
// lock, which is the cost of Redis's own synchronous flush; the map and
// slices themselves are dropped whole for the garbage collector. A per-db
// signal would make it O(watched keys) but needs support in Context and
// the server.
func flushDB(ctx *Context, db *DB) {
	n := db.Len()
	if n == 0 {
		return
	}
	removed := db.entries
	db.clear()
	ctx.signaled = slices.Grow(ctx.signaled, n)
	for _, e := range removed {
		ctx.Signal(db.ID, e.key)
	}
	// Redis counts one change per removed key.
	ctx.stats.dirty += int64(n)
}
