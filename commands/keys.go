package commands

// KEYS pattern — https://redis.io/commands/keys/
var keysCommand = &Command{
	Name: "keys", Arity: 2, Flags: FlagReadOnly,
	Categories: "keyspace read slow dangerous", Group: "generic", Since: "1.0.0",
	Summary: "Find all keys matching the given pattern",
	Complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the " +
		"database and the given pattern have limited length.",
	Syntax: "pattern", Run: runKeys,
}

// runKeys lists the keys matching pattern. Like Redis 7.0 it skips keys
// past their TTL without deleting them (keyIsExpired, not expireIfNeeded),
// so KEYS never writes, and the lone "*" skips matching altogether.
func runKeys(ctx *Context) {
	pattern := ctx.Args[1]
	all := len(pattern) == 1 && pattern[0] == '*'
	now := ctx.nowMs()
	db := ctx.DB()
	var keys []string
	for _, e := range db.entries {
		if !all && !GlobMatch(pattern, []byte(e.key), false) {
			continue
		}
		if e.expireAt != 0 && e.expireAt < now {
			continue
		}
		keys = append(keys, e.key)
	}
	BulkStrings(ctx.Out, keys)
}
