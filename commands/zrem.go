package commands

// ZREM key member [member ...] — https://redis.io/commands/zrem/
var zremCommand = &Command{
	Name: "zrem", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset fast", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Remove one or more members from a sorted set",
	Complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
	Syntax:     "key member [member ...]", Run: runZRem,
}

// runZRem removes the members and deletes the key once the set is empty.
func runZRem(ctx *Context) {
	key := ctx.Args[1]
	z, err := ctx.writeZset(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		ctx.Out.Int(0)
		return
	}
	removed := 0
	for _, m := range ctx.Args[2:] {
		if z.remove(string(m)) {
			removed++
		}
		if z.len() == 0 {
			break
		}
	}
	ctx.zsetRemoved(key, z, "zrem", removed)
	ctx.Out.Int(int64(removed))
}

// zsetRemoved finishes a command that removed n members of the sorted set
// at key: the key goes when the set is empty, watchers and blocked clients
// hear of it, and the notifications follow Redis's order (the command's
// event, then "del").
func (ctx *Context) zsetRemoved(key []byte, z *zsetObject, event string, n int) {
	if n == 0 {
		return
	}
	db := ctx.DB()
	if z.len() == 0 {
		db.remove(string(key))
	}
	ctx.Signal(db.ID, string(key))
	ctx.Notify(NotifyZset, event, db.ID, key)
	if z.len() == 0 {
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
	}
	ctx.changedBy(n)
}
