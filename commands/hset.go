package commands

// HSET key field value [field value ...] — https://redis.io/commands/hset/
var hsetCommand = &Command{
	Name: "hset", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write hash fast", Group: "hash", Since: "2.0.0",
	Summary:    "Set the string value of a hash field",
	Complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
	Syntax:     "key field value [field value ...]", Run: runHset,
}

// HMSET key field value [field value ...] — https://redis.io/commands/hmset/
var hmsetCommand = &Command{
	Name: "hmset", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write hash fast", Group: "hash", Since: "2.0.0",
	Summary:    "Set multiple hash fields to multiple values",
	Complexity: "O(N) where N is the number of fields being set.",
	Syntax:     "key field value [field value ...]", Run: runHmset,
}

// HSETNX key field value — https://redis.io/commands/hsetnx/
var hsetnxCommand = &Command{
	Name: "hsetnx", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write hash fast", Group: "hash", Since: "2.0.0",
	Summary:    "Set the value of a hash field, only if the field does not exist",
	Complexity: "O(1)",
	Syntax:     "key field value", Run: runHsetnx,
}

// runHset replies with the number of fields created.
func runHset(ctx *Context) {
	if n, ok := setHashFields(ctx); ok {
		ctx.Out.Int(int64(n))
		ctx.Notify(NotifyHash, "hset", ctx.Client.DB, ctx.Args[1])
	}
}

// runHmset is HSET replying OK.
func runHmset(ctx *Context) {
	if _, ok := setHashFields(ctx); ok {
		OK(ctx.Out)
		ctx.Notify(NotifyHash, "hset", ctx.Client.DB, ctx.Args[1])
	}
}

// setHashFields is the body of Redis's hsetCommand: the pairs must be
// complete (an arity error otherwise), the key a hash or missing (then it
// is created); every pair is set in turn. It returns how many fields are
// new, and false after replying with an error. The caller replies, then
// announces "hset", in Redis's order.
func setHashFields(ctx *Context) (int, bool) {
	if len(ctx.Args)%2 != 0 {
		ctx.Error(msgWrongArity(ctx.Cmd.Name))
		return 0, false
	}
	key := ctx.Args[1]
	h, err := ctx.writeHashOrCreate(key)
	if err != nil {
		ctx.Fail(err)
		return 0, false
	}
	created := 0
	for i := 2; i < len(ctx.Args); i += 2 {
		if h.Set(ctx.Args[i], copyBytes(ctx.Args[i+1]), ctx.Settings.Encoding) {
			created++
		}
	}
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.changedBy((len(ctx.Args) - 2) / 2)
	return created, true
}

// runHsetnx sets the field only when it is absent: 1 when it did, 0 when
// the field exists (nothing changes then, not even the encoding).
func runHsetnx(ctx *Context) {
	key, field := ctx.Args[1], ctx.Args[2]
	h, err := ctx.writeHashOrCreate(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if _, ok := h.Get(field); ok {
		ctx.Out.Int(0)
		return
	}
	h.Set(field, copyBytes(ctx.Args[3]), ctx.Settings.Encoding)
	ctx.Out.Int(1)
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Notify(NotifyHash, "hset", ctx.Client.DB, key)
	ctx.Changed()
}
