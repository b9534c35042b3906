package commands

// MSET key value [key value ...] — https://redis.io/commands/mset/
var msetCommand = &Command{
	Name: "mset", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 2,
	Categories: "write string slow", Group: "string", Since: "1.0.1",
	Summary: "Set multiple keys to multiple values", Complexity: "O(N) where N is the number of keys to set.",
	Syntax: "key value [key value ...]", Run: func(ctx *Context) { msetGeneric(ctx, false) },
}

// MSETNX key value [key value ...] — https://redis.io/commands/msetnx/
var msetnxCommand = &Command{
	Name: "msetnx", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 2,
	Categories: "write string slow", Group: "string", Since: "1.0.1",
	Summary: "Set multiple keys to multiple values, only if none of the keys exist", Complexity: "O(N) where N is the number of keys to set.",
	Syntax: "key value [key value ...]", Run: func(ctx *Context) { msetGeneric(ctx, true) },
}

// msetGeneric sets every pair, dropping TTLs; a later pair for the same key
// wins. With nx nothing is set (reply 0) when any key exists, whatever its
// type; Redis stops looking at the first one it finds, so only the keys
// before it are expired lazily.
func msetGeneric(ctx *Context, nx bool) {
	args := ctx.Args
	if len(args)%2 == 0 {
		ctx.Error(msgWrongArity(ctx.Cmd.Name))
		return
	}
	if nx {
		for j := 1; j < len(args); j += 2 {
			if ctx.lookupWrite(args[j]) != nil {
				ctx.Out.Int(0)
				return
			}
		}
	}
	for j := 1; j < len(args); j += 2 {
		ctx.setValue(args[j], newString(args[j+1]), false)
		ctx.Notify(NotifyString, "set", ctx.Client.DB, args[j])
	}
	ctx.Propagate(args...)
	// Redis counts one change per key.
	ctx.stats.dirty += int64(len(args)/2 - 1)
	if nx {
		ctx.Out.Int(1)
	} else {
		OK(ctx.Out)
	}
}
