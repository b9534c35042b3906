package commands

// HGETALL key — https://redis.io/commands/hgetall/
var hgetallCommand = &Command{
	Name: "hgetall", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash slow", Group: "hash", Since: "2.0.0",
	Summary: "Get all the fields and values in a hash", Complexity: "O(N) where N is the size of the hash.",
	Syntax: "key", Run: runHgetall,
}

// HKEYS key — https://redis.io/commands/hkeys/
var hkeysCommand = &Command{
	Name: "hkeys", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash slow", Group: "hash", Since: "2.0.0",
	Summary: "Get all the fields in a hash", Complexity: "O(N) where N is the size of the hash.",
	Syntax: "key", Run: runHkeys,
}

// HVALS key — https://redis.io/commands/hvals/
var hvalsCommand = &Command{
	Name: "hvals", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash slow", Group: "hash", Since: "2.0.0",
	Summary: "Get all the values in a hash", Complexity: "O(N) where N is the size of the hash.",
	Syntax: "key", Run: runHvals,
}

func runHgetall(ctx *Context) { replyHashAll(ctx, true, true) }
func runHkeys(ctx *Context)   { replyHashAll(ctx, true, false) }
func runHvals(ctx *Context)   { replyHashAll(ctx, false, true) }

// replyHashAll is Redis's genericHgetallCommand: fields and values as a map
// (a flat array in RESP2), or fields or values alone as an array, in the
// hash's order. A missing key is an empty map or array.
func replyHashAll(ctx *Context, fields, values bool) {
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	n := 0
	if h != nil {
		n = h.Len()
	}
	if fields && values {
		ctx.Out.Map(n)
	} else {
		ctx.Out.Array(n)
	}
	if h == nil {
		return
	}
	for i := range h.fields {
		f := &h.fields[i]
		if fields {
			ctx.Out.BulkString(f.name)
		}
		if values {
			ctx.Out.Bulk(f.value)
		}
	}
}
