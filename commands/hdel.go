package commands

// HDEL key field [field ...] — https://redis.io/commands/hdel/
var hdelCommand = &Command{
	Name: "hdel", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write hash fast", Group: "hash", Since: "2.0.0",
	Summary:    "Delete one or more hash fields",
	Complexity: "O(N) where N is the number of fields to be removed.",
	Syntax:     "key field [field ...]", Run: runHdel,
}

// runHdel deletes the fields that exist and replies how many it deleted;
// the key goes with its last field.
func runHdel(ctx *Context) {
	key := ctx.Args[1]
	h, err := ctx.writeHash(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if h == nil {
		ctx.Out.Int(0)
		return
	}
	deleted := 0
	for _, f := range ctx.Args[2:] {
		if h.Delete(f) {
			deleted++
			if h.Len() == 0 {
				break
			}
		}
	}
	if deleted > 0 {
		db := ctx.DB()
		ctx.Notify(NotifyHash, "hdel", db.ID, key)
		if h.Len() == 0 {
			db.remove(string(key))
			ctx.Notify(NotifyGeneric, "del", db.ID, key)
		}
		ctx.Signal(db.ID, string(key))
		ctx.changedBy(deleted)
	}
	ctx.Out.Int(int64(deleted))
}
