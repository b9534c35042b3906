package commands

// MGET key [key ...] — https://redis.io/commands/mget/
var mgetCommand = &Command{
	Name: "mget", Arity: -2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "read string fast", Group: "string", Since: "1.0.0",
	Summary: "Get the values of all the given keys", Complexity: "O(N) where N is the number of keys to retrieve.",
	Syntax: "key [key ...]", Run: runMget,
}

// runMget answers one element per key: the string, or a null for a missing
// key and for a key of another type (MGET never answers WRONGTYPE).
func runMget(ctx *Context) {
	keys := ctx.Args[1:]
	ctx.Out.Array(len(keys))
	for _, key := range keys {
		sv, ok, err := ctx.getString(key)
		if err != nil || !ok {
			ctx.Out.Null()
			continue
		}
		ctx.Out.Bulk(sv.b)
	}
}
