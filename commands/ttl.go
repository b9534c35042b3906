package commands

// TTL key — https://redis.io/commands/ttl/
var ttlCommand = &Command{
	Name: "ttl", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace read fast", Group: "generic", Since: "1.0.0",
	Summary: "Get the time to live for a key in seconds", Complexity: "O(1)",
	Syntax: "key", Run: func(ctx *Context) { runTTL(ctx, false, false) },
}

// PTTL key — https://redis.io/commands/pttl/
var pttlCommand = &Command{
	Name: "pttl", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace read fast", Group: "generic", Since: "2.6.0",
	Summary: "Get the time to live for a key in milliseconds", Complexity: "O(1)",
	Syntax: "key", Run: func(ctx *Context) { runTTL(ctx, true, false) },
}

// EXPIRETIME key — https://redis.io/commands/expiretime/
var expiretimeCommand = &Command{
	Name: "expiretime", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace read fast", Group: "generic", Since: "7.0.0",
	Summary: "Get the expiration Unix timestamp for a key", Complexity: "O(1)",
	Syntax: "key", Run: func(ctx *Context) { runTTL(ctx, false, true) },
}

// PEXPIRETIME key — https://redis.io/commands/pexpiretime/
var pexpiretimeCommand = &Command{
	Name: "pexpiretime", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace read fast", Group: "generic", Since: "7.0.0",
	Summary: "Get the expiration Unix timestamp for a key in milliseconds", Complexity: "O(1)",
	Syntax: "key", Run: func(ctx *Context) { runTTL(ctx, true, true) },
}

// runTTL is Redis's ttlGenericCommand: -2 for a missing key, -1 for a
// persistent one, else the remaining time (or the deadline when absolute)
// in ms, or in seconds rounded to nearest.
func runTTL(ctx *Context, ms, absolute bool) {
	e := ctx.lookupReadNoTouch(ctx.Args[1])
	switch {
	case e == nil:
		ctx.Out.Int(-2)
		return
	case e.expireAt == 0:
		ctx.Out.Int(-1)
		return
	}
	ttl := e.expireAt
	if !absolute {
		ttl -= ctx.nowMs()
	}
	ttl = max(ttl, 0)
	if !ms {
		// Unsigned, so that a deadline near the int64 limit rounds up the
		// way redis-server's build computes it instead of wrapping.
		ttl = int64((uint64(ttl) + 500) / 1000)
	}
	ctx.Out.Int(ttl)
}
