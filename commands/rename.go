package commands

// RENAME key newkey — https://redis.io/commands/rename/
var renameCommand = &Command{
	Name: "rename", Arity: 3, Flags: FlagWrite, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "keyspace write slow", Group: "generic", Since: "1.0.0",
	Summary: "Rename a key", Complexity: "O(1)",
	Syntax: "key newkey", Run: func(ctx *Context) { runRename(ctx, false) },
}

// RENAMENX key newkey — https://redis.io/commands/renamenx/
var renamenxCommand = &Command{
	Name: "renamenx", Arity: 3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "keyspace write fast", Group: "generic", Since: "1.0.0",
	Summary: "Rename a key, only if the new key does not exist", Complexity: "O(1)",
	Syntax: "key newkey", Run: func(ctx *Context) { runRename(ctx, true) },
}

// runRename follows Redis's renameGenericCommand: a missing source is an
// error even when both names are the same; renaming a key to itself changes
// nothing (OK, or 0 for RENAMENX); otherwise the value moves with its TTL
// and access time, replacing the destination unless nx. The command as
// typed is its effect.
func runRename(ctx *Context, nx bool) {
	src, dst := string(ctx.Args[1]), string(ctx.Args[2])
	db := ctx.DB()
	e := ctx.lookupWrite(ctx.Args[1])
	if e == nil {
		ctx.Error(msgNoSuchKey)
		return
	}
	if src == dst {
		if nx {
			ctx.Out.Int(0)
		} else {
			OK(ctx.Out)
		}
		return
	}
	if ctx.lookupWrite(ctx.Args[2]) != nil {
		if nx {
			ctx.Out.Int(0)
			return
		}
		db.remove(dst)
	}
	value, expireAt, lastUse := e.value, e.expireAt, e.lastUse
	db.remove(src)
	moved := db.add(dst, value, lastUse)
	ctx.Notify(NotifyNew, "new", db.ID, ctx.Args[2])
	db.setExpire(moved, expireAt)
	ctx.Signal(db.ID, src)
	ctx.Signal(db.ID, dst)
	ctx.Changed()
	ctx.Notify(NotifyGeneric, "rename_from", db.ID, ctx.Args[1])
	ctx.Notify(NotifyGeneric, "rename_to", db.ID, ctx.Args[2])
	if nx {
		ctx.Out.Int(1)
	} else {
		OK(ctx.Out)
	}
}
