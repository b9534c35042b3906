package commands

// TOUCH key [key ...] — https://redis.io/commands/touch/
var touchCommand = &Command{
	Name: "touch", Arity: -2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "keyspace read fast", Group: "generic", Since: "3.2.1",
	Summary:    "Alters the last access time of a key(s). Returns the number of existing keys specified.",
	Complexity: "O(N) where N is the number of keys that will be touched.",
	Syntax:     "key [key ...]", Run: runTouch,
}

// runTouch reads each key, which refreshes its access time (OBJECT
// IDLETIME), and counts the ones that exist.
func runTouch(ctx *Context) {
	var n int64
	for _, key := range ctx.Args[1:] {
		if ctx.lookupRead(key) != nil {
			n++
		}
	}
	ctx.Out.Int(n)
}
