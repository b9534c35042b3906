package commands

// HGET key field — https://redis.io/commands/hget/
var hgetCommand = &Command{
	Name: "hget", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash fast", Group: "hash", Since: "2.0.0",
	Summary: "Get the value of a hash field", Complexity: "O(1)",
	Syntax: "key field", Run: runHget,
}

// HMGET key field [field ...] — https://redis.io/commands/hmget/
var hmgetCommand = &Command{
	Name: "hmget", Arity: -3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash fast", Group: "hash", Since: "2.0.0",
	Summary:    "Get the values of all the given hash fields",
	Complexity: "O(N) where N is the number of fields being requested.",
	Syntax:     "key field [field ...]", Run: runHmget,
}

// runHget replies with the field's value, null for a missing key or field.
func runHget(ctx *Context) {
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	replyHashField(ctx.Out, h, ctx.Args[2])
}

// runHmget replies with an array of the fields' values (null for each
// missing one; all null for a missing key).
func runHmget(ctx *Context) {
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	fields := ctx.Args[2:]
	ctx.Out.Array(len(fields))
	for _, f := range fields {
		replyHashField(ctx.Out, h, f)
	}
}

func replyHashField(out Reply, h *hashValue, field []byte) {
	if h != nil {
		if v, ok := h.Get(field); ok {
			out.Bulk(v)
			return
		}
	}
	out.Null()
}
