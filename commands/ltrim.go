package commands

// LTRIM key start stop — https://redis.io/commands/ltrim/
var ltrimCommand = &Command{
	Name: "ltrim", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list slow", Group: "list", Since: "1.0.0",
	Summary:    "Trim a list to the specified range",
	Complexity: "O(N) where N is the number of elements to be removed by the operation.",
	Syntax:     "key start stop", Run: runLtrim,
}

// runLtrim keeps the elements from start to stop inclusive (an empty range
// empties, and so deletes, the list). Like Redis it signals the key even
// when nothing was trimmed (a WATCH on it fails), but only a trim that
// removed something is an effect.
func runLtrim(ctx *Context) {
	start, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	stop, err := argInt(ctx.Args[3])
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
		OK(ctx.Out)
		return
	}
	from, n := listRange(start, stop, l.Len())
	back := l.Len() - from - n
	if n == 0 {
		from, back = l.Len(), 0
	}
	l.TrimBack(back)
	l.TrimFront(from)
	ctx.listRemoved(ctx.DB(), key, l, "ltrim")
	if from+back > 0 {
		ctx.changedBy(from + back)
	}
	OK(ctx.Out)
}
