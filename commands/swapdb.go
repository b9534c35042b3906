package commands

import "math"

// SWAPDB index1 index2 — https://redis.io/commands/swapdb/
var swapdbCommand = &Command{
	Name: "swapdb", Arity: 3, Flags: FlagWrite | FlagFast,
	Categories: "keyspace write fast dangerous", Group: "server", Since: "4.0.0",
	Summary:    "Swaps two Redis databases",
	Complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
	Syntax:     "index1 index2", Run: runSwapdb,
}

// parseDBIndex reads a database index as getIntFromObjectOrReply does:
// anything that is not an integer fitting a C int is refused with msg.
func parseDBIndex(b []byte, msg string) (int, error) {
	n, err := argInt(b)
	if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, redisError(msg)
	}
	return int(n), nil
}

// runSwapdb exchanges the contents of two databases: clients keep their
// selected index and see the other data. Like Redis it always counts as a
// change, even when both indexes are the same, and the command as typed is
// its effect.
func runSwapdb(ctx *Context) {
	id1, err := parseDBIndex(ctx.Args[1], msgInvalidFirstDB)
	if err != nil {
		ctx.Fail(err)
		return
	}
	id2, err := parseDBIndex(ctx.Args[2], msgInvalidSecondDB)
	if err != nil {
		ctx.Fail(err)
		return
	}
	dbs := ctx.Keys.DBs
	if id1 < 0 || id1 >= len(dbs) || id2 < 0 || id2 >= len(dbs) {
		ctx.Error(msgDBIndexRange)
		return
	}
	if id1 != id2 {
		// WATCHes see the swap by Redis's rule, applied before it.
		ctx.touchWatchedOnSwap(id1, id2)
		ctx.touchWatchedOnSwap(id2, id1)
		dbs[id1], dbs[id2] = dbs[id2], dbs[id1]
		dbs[id1].ID, dbs[id2].ID = id1, id2
		// A key present in either database changed under both indexes:
		// wake clients blocked on it, as Redis's scanDatabaseForReadyKeys
		// does.
		for _, db := range []*DB{dbs[id1], dbs[id2]} {
			for _, e := range db.entries {
				ctx.wake(id1, e.key)
				ctx.wake(id2, e.key)
			}
		}
	}
	ctx.Changed()
	OK(ctx.Out)
}
