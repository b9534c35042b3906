package commands

// SADD key member [member ...] — https://redis.io/commands/sadd/
var saddCommand = &Command{
	Name: "sadd", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write set fast", Group: "set", Since: "1.0.0",
	Summary:    "Add one or more members to a set",
	Complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
	Syntax:     "key member [member ...]", Run: runSAdd,
}

// runSAdd creates the set when the key is missing (an intset when the first
// member is an integer) and replies with how many members were new.
func runSAdd(ctx *Context) {
	key := ctx.Args[1]
	e := ctx.lookupWrite(key)
	s, err := setOf(e)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		s = newSetFor(ctx.Args[2])
		ctx.DB().add(string(key), s, ctx.nowMs())
	}
	added := 0
	for _, m := range ctx.Args[2:] {
		if s.add(string(m), ctx.Settings.Encoding) {
			added++
		}
	}
	if added > 0 {
		ctx.Signal(ctx.Client.DB, string(key))
		ctx.Notify(NotifySet, "sadd", ctx.Client.DB, key)
		ctx.changedBy(added)
	}
	ctx.Out.Int(int64(added))
}
