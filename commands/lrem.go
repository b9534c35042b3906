package commands

// LREM key count element — https://redis.io/commands/lrem/
var lremCommand = &Command{
	Name: "lrem", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list slow", Group: "list", Since: "1.0.0",
	Summary:    "Remove elements from a list",
	Complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
	Syntax:     "key count element", Run: runLrem,
}

// runLrem removes occurrences of element (count > 0: the first count from
// the head; count < 0: the last -count; 0: all) and replies how many went.
// The count is parsed before the key is looked up, as Redis does.
func runLrem(ctx *Context) {
	count, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	key := ctx.Args[1]
	l, err := ctx.writeList(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		ctx.Out.Int(0)
		return
	}
	removed := l.RemoveEqual(ctx.Args[3], count)
	if removed > 0 {
		ctx.listRemoved(ctx.DB(), key, l, "lrem")
		ctx.changedBy(removed)
	}
	ctx.Out.Int(int64(removed))
}
