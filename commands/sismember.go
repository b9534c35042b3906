package commands

// SISMEMBER key member — https://redis.io/commands/sismember/
var sismemberCommand = &Command{
	Name: "sismember", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read set fast", Group: "set", Since: "1.0.0",
	Summary:    "Determine if a given value is a member of a set",
	Complexity: "O(1)",
	Syntax:     "key member", Run: runSIsMember,
}

// SMISMEMBER key member [member ...] — https://redis.io/commands/smismember/
var smismemberCommand = &Command{
	Name: "smismember", Arity: -3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read set fast", Group: "set", Since: "6.2.0",
	Summary:    "Returns the membership associated with the given elements for a set",
	Complexity: "O(N) where N is the number of elements being checked for membership",
	Syntax:     "key member [member ...]", Run: runSMIsMember,
}

func runSIsMember(ctx *Context) {
	s, err := ctx.readSet(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s != nil && s.has(string(ctx.Args[2])) {
		ctx.Out.Int(1)
		return
	}
	ctx.Out.Int(0)
}

// runSMIsMember answers 1 or 0 per member; a missing key is an empty set.
func runSMIsMember(ctx *Context) {
	s, err := ctx.readSet(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	ctx.Out.Array(len(ctx.Args) - 2)
	for _, m := range ctx.Args[2:] {
		if s != nil && s.has(string(m)) {
			ctx.Out.Int(1)
		} else {
			ctx.Out.Int(0)
		}
	}
}
