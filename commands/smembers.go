package commands

// SMEMBERS key — https://redis.io/commands/smembers/
var smembersCommand = &Command{
	Name: "smembers", Arity: 2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read set slow", Group: "set", Since: "1.0.0",
	Summary:    "Get all the members in a set",
	Complexity: "O(N) where N is the set cardinality.",
	Syntax:     "key", Run: runSMembers,
}

// SCARD key — https://redis.io/commands/scard/
var scardCommand = &Command{
	Name: "scard", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read set fast", Group: "set", Since: "1.0.0",
	Summary:    "Get the number of members in a set",
	Complexity: "O(1)",
	Syntax:     "key", Run: runSCard,
}

// runSMembers answers a set reply (an array in RESP2), in intset order for
// an intset; a missing key is an empty set.
func runSMembers(ctx *Context) {
	s, err := ctx.readSet(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Out.Set(0)
		return
	}
	replySetMembers(ctx.Out, s.ordered())
}

func runSCard(ctx *Context) {
	s, err := ctx.readSet(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Out.Int(0)
		return
	}
	ctx.Out.Int(int64(s.len()))
}
