package commands

// LLEN key — https://redis.io/commands/llen/
var llenCommand = &Command{
	Name: "llen", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read list fast", Group: "list", Since: "1.0.0",
	Summary: "Get the length of a list", Complexity: "O(1)",
	Syntax: "key", Run: runLlen,
}

// LRANGE key start stop — https://redis.io/commands/lrange/
var lrangeCommand = &Command{
	Name: "lrange", Arity: 4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read list slow", Group: "list", Since: "1.0.0",
	Summary:    "Get a range of elements from a list",
	Complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
	Syntax:     "key start stop", Run: runLrange,
}

// LINDEX key index — https://redis.io/commands/lindex/
var lindexCommand = &Command{
	Name: "lindex", Arity: 3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read list slow", Group: "list", Since: "1.0.0",
	Summary:    "Get an element from a list by its index",
	Complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
	Syntax:     "key index", Run: runLindex,
}

// runLlen replies with the list's length, 0 for a missing key.
func runLlen(ctx *Context) {
	l, err := ctx.readList(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		ctx.Out.Int(0)
		return
	}
	ctx.Out.Int(int64(l.Len()))
}

// runLrange parses both indexes before looking the key up, as Redis does,
// and replies with the elements from start to stop inclusive (negative
// indexes count from the end; out-of-range ones are clamped).
func runLrange(ctx *Context) {
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
	l, err := ctx.readList(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		ctx.Out.Array(0)
		return
	}
	from, n := listRange(start, stop, l.Len())
	replyListRange(ctx.Out, l, from, n, false)
}

// runLindex looks the key up before parsing the index, as Redis does: a
// missing key is null whatever the index says.
func runLindex(ctx *Context) {
	l, err := ctx.readList(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		ctx.Out.Null()
		return
	}
	index, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	i, ok := listIndex(index, l.Len())
	if !ok {
		ctx.Out.Null()
		return
	}
	ctx.Out.Bulk(l.At(i))
}

// listIndex resolves a possibly negative index against a list of n
// elements.
func listIndex(index int64, n int) (int, bool) {
	if index < 0 {
		index += int64(n)
	}
	if index < 0 || index >= int64(n) {
		return 0, false
	}
	return int(index), true
}
