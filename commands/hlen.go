package commands

// HLEN key — https://redis.io/commands/hlen/
var hlenCommand = &Command{
	Name: "hlen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash fast", Group: "hash", Since: "2.0.0",
	Summary: "Get the number of fields in a hash", Complexity: "O(1)",
	Syntax: "key", Run: runHlen,
}

// HEXISTS key field — https://redis.io/commands/hexists/
var hexistsCommand = &Command{
	Name: "hexists", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash fast", Group: "hash", Since: "2.0.0",
	Summary: "Determine if a hash field exists", Complexity: "O(1)",
	Syntax: "key field", Run: runHexists,
}

// HSTRLEN key field — https://redis.io/commands/hstrlen/
var hstrlenCommand = &Command{
	Name: "hstrlen", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash fast", Group: "hash", Since: "3.2.0",
	Summary: "Get the length of the value of a hash field", Complexity: "O(1)",
	Syntax: "key field", Run: runHstrlen,
}

// runHlen replies with the number of fields, 0 for a missing key.
func runHlen(ctx *Context) {
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if h == nil {
		ctx.Out.Int(0)
		return
	}
	ctx.Out.Int(int64(h.Len()))
}

// runHexists replies 1 when the field exists, else 0.
func runHexists(ctx *Context) {
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if h != nil {
		if _, ok := h.Get(ctx.Args[2]); ok {
			ctx.Out.Int(1)
			return
		}
	}
	ctx.Out.Int(0)
}

// runHstrlen replies with the length of the field's value, 0 when missing.
func runHstrlen(ctx *Context) {
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if h != nil {
		if v, ok := h.Get(ctx.Args[2]); ok {
			ctx.Out.Int(int64(len(v)))
			return
		}
	}
	ctx.Out.Int(0)
}
