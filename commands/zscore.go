package commands

// ZSCORE key member — https://redis.io/commands/zscore/
var zscoreCommand = &Command{
	Name: "zscore", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset fast", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Get the score associated with the given member in a sorted set",
	Complexity: "O(1)",
	Syntax:     "key member", Run: runZScore,
}

// ZMSCORE key member [member ...] — https://redis.io/commands/zmscore/
var zmscoreCommand = &Command{
	Name: "zmscore", Arity: -3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset fast", Group: "sorted-set", Since: "6.2.0",
	Summary:    "Get the score associated with the given members in a sorted set",
	Complexity: "O(N) where N is the number of members being requested.",
	Syntax:     "key member [member ...]", Run: runZMScore,
}

// runZScore answers the score as a double (a bulk string in RESP2), null
// for a missing key or member.
func runZScore(ctx *Context) {
	z, err := ctx.readZset(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		ctx.Out.Null()
		return
	}
	if score, ok := z.score(string(ctx.Args[2])); ok {
		ctx.Out.Double(score)
		return
	}
	ctx.Out.Null()
}

// runZMScore answers one score or null per member; a missing key is an
// empty set.
func runZMScore(ctx *Context) {
	z, err := ctx.readZset(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	ctx.Out.Array(len(ctx.Args) - 2)
	for _, m := range ctx.Args[2:] {
		if z != nil {
			if score, ok := z.score(string(m)); ok {
				ctx.Out.Double(score)
				continue
			}
		}
		ctx.Out.Null()
	}
}
