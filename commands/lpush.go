package commands

// LPUSH key element [element ...] — https://redis.io/commands/lpush/
var lpushCommand = &Command{
	Name: "lpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list fast", Group: "list", Since: "1.0.0",
	Summary:    "Prepend one or multiple elements to a list",
	Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
	Syntax:     "key element [element ...]", Run: runLpush,
}

// RPUSH key element [element ...] — https://redis.io/commands/rpush/
var rpushCommand = &Command{
	Name: "rpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list fast", Group: "list", Since: "1.0.0",
	Summary:    "Append one or multiple elements to a list",
	Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
	Syntax:     "key element [element ...]", Run: runRpush,
}

// LPUSHX key element [element ...] — https://redis.io/commands/lpushx/
var lpushxCommand = &Command{
	Name: "lpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list fast", Group: "list", Since: "2.2.0",
	Summary:    "Prepend an element to a list, only if the list exists",
	Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
	Syntax:     "key element [element ...]", Run: runLpushx,
}

// RPUSHX key element [element ...] — https://redis.io/commands/rpushx/
var rpushxCommand = &Command{
	Name: "rpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list fast", Group: "list", Since: "2.2.0",
	Summary:    "Append an element to a list, only if the list exists",
	Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
	Syntax:     "key element [element ...]", Run: runRpushx,
}

func runLpush(ctx *Context)  { runPush(ctx, true, false) }
func runRpush(ctx *Context)  { runPush(ctx, false, false) }
func runLpushx(ctx *Context) { runPush(ctx, true, true) }
func runRpushx(ctx *Context) { runPush(ctx, false, true) }

// runPush is Redis's pushGenericCommand: push every element in turn at the
// head (left) or the tail, creating the list unless onlyExisting (the X
// forms answer 0 for a missing key), and reply with the new length (before
// the keyspace event, in Redis's order). The command as typed is its own
// effect.
func runPush(ctx *Context, left, onlyExisting bool) {
	key := ctx.Args[1]
	l, err := ctx.writeList(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		if onlyExisting {
			ctx.Out.Int(0)
			return
		}
		l = newList()
		ctx.addNewKey(ctx.DB(), key, l)
	}
	for _, a := range ctx.Args[2:] {
		l.Push(copyBytes(a), left)
	}
	ctx.Out.Int(int64(l.Len()))
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Notify(NotifyList, pushEvent(left), ctx.Client.DB, key)
	ctx.changedBy(len(ctx.Args) - 2)
}
