package commands

// EXISTS key [key ...] — https://redis.io/commands/exists/
var existsCommand = &Command{
	Name: "exists", Arity: -2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "keyspace read fast", Group: "generic", Since: "1.0.0",
	Summary: "Determine if a key exists", Complexity: "O(N) where N is the number of keys to check.",
	Syntax: "key [key ...]", Run: runExists,
}

// runExists counts the keys that exist; a key named twice counts twice.
func runExists(ctx *Context) {
	var n int64
	for _, key := range ctx.Args[1:] {
		if ctx.lookupReadNoTouch(key) != nil {
			n++
		}
	}
	ctx.Out.Int(n)
}
