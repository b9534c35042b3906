package commands

// LSET key index element — https://redis.io/commands/lset/
var lsetCommand = &Command{
	Name: "lset", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list slow", Group: "list", Since: "1.0.0",
	Summary:    "Set the value of an element in a list by its index",
	Complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
	Syntax:     "key index element", Run: runLset,
}

// LINSERT key <BEFORE | AFTER> pivot element — https://redis.io/commands/linsert/
var linsertCommand = &Command{
	Name: "linsert", Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list slow", Group: "list", Since: "2.2.0",
	Summary:    "Insert an element before or after another element in a list",
	Complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
	Syntax:     "key <BEFORE | AFTER> pivot element", Run: runLinsert,
}

// runLset replaces the element at index: "no such key" for a missing key,
// then the type, then the index (parsed after the lookup, as Redis does).
func runLset(ctx *Context) {
	key := ctx.Args[1]
	l, err := ctx.writeList(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		ctx.Error(msgNoSuchKey)
		return
	}
	index, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	i, ok := listIndex(index, l.Len())
	if !ok {
		ctx.Error(msgListIndexRange)
		return
	}
	l.Set(i, copyBytes(ctx.Args[3]))
	OK(ctx.Out)
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Notify(NotifyList, "lset", ctx.Client.DB, key)
	ctx.Changed()
}

// runLinsert inserts element next to the first occurrence of pivot from the
// head and replies with the new length, -1 when pivot is absent, 0 for a
// missing key. BEFORE/AFTER is checked before the key, as Redis does.
func runLinsert(ctx *Context) {
	var after bool
	switch where := ctx.Args[2]; {
	case is(where, "after"):
		after = true
	case is(where, "before"):
	default:
		ctx.Fail(ErrSyntax)
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
	i := l.Index(ctx.Args[3], false)
	if i < 0 {
		ctx.Out.Int(-1)
		return
	}
	if after {
		i++
	}
	l.Insert(i, copyBytes(ctx.Args[4]))
	ctx.Notify(NotifyList, "linsert", ctx.Client.DB, key)
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Changed()
	ctx.Out.Int(int64(l.Len()))
}
