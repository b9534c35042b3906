package commands

// DBSIZE — https://redis.io/commands/dbsize/
var dbsizeCommand = &Command{
	Name: "dbsize", Arity: 1, Flags: FlagReadOnly | FlagFast,
	Categories: "keyspace read fast", Group: "server", Since: "1.0.0",
	Summary: "Return the number of keys in the selected database", Complexity: "O(1)",
	Run: runDbsize,
}

// runDbsize counts keys that expired but were not reclaimed yet, as Redis
// does: DBSIZE never expires anything.
func runDbsize(ctx *Context) { ctx.Out.Int(int64(ctx.DB().Len())) }
