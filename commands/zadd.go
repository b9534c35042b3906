package commands

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
// — https://redis.io/commands/zadd/
var zaddCommand = &Command{
	Name: "zadd", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset fast", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Add one or more members to a sorted set, or update its score if it already exists",
	Complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
	Syntax:     "key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]", Run: runZAdd,
}

// ZINCRBY key increment member — https://redis.io/commands/zincrby/
var zincrbyCommand = &Command{
	Name: "zincrby", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write sortedset fast", Group: "sorted-set", Since: "1.2.0",
	Summary:    "Increment the score of a member in a sorted set",
	Complexity: "O(log(N)) where N is the number of elements in the sorted set.",
	Syntax:     "key increment member", Run: runZIncrBy,
}

// zaddArgs is a parsed ZADD (or ZINCRBY, which is ZADD INCR).
type zaddArgs struct {
	flags   zaddFlags
	ch      bool
	scores  []float64
	members [][]byte
}

// parseZAdd follows zaddGenericCommand: options until the first word that
// is not one, then score/member pairs; then the incompatible options, then
// every score, so that nothing changes unless everything parses.
func parseZAdd(args [][]byte, incr bool) (zaddArgs, error) {
	p := zaddArgs{flags: zaddFlags{incr: incr}}
	i := 2
	for ; i < len(args); i++ {
		switch opt := args[i]; {
		case is(opt, "nx"):
			p.flags.nx = true
		case is(opt, "xx"):
			p.flags.xx = true
		case is(opt, "ch"):
			p.ch = true
		case is(opt, "incr"):
			p.flags.incr = true
		case is(opt, "gt"):
			p.flags.gt = true
		case is(opt, "lt"):
			p.flags.lt = true
		default:
			goto pairs
		}
	}
pairs:
	rest := args[i:]
	if len(rest) == 0 || len(rest)%2 != 0 {
		return p, ErrSyntax
	}
	f := p.flags
	if f.nx && f.xx {
		return p, redisError(msgZAddXXAndNX)
	}
	if (f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt) {
		return p, redisError(msgZAddGTLTNX)
	}
	if f.incr && len(rest) > 2 {
		return p, redisError(msgZAddIncrPair)
	}
	for j := 0; j < len(rest); j += 2 {
		score, err := parseScore(rest[j])
		if err != nil {
			return p, err
		}
		p.scores = append(p.scores, score)
		p.members = append(p.members, rest[j+1])
	}
	return p, nil
}

func runZAdd(ctx *Context) { zaddGeneric(ctx, false) }

func runZIncrBy(ctx *Context) { zaddGeneric(ctx, true) }

// zaddGeneric adds or updates the members. With INCR it replies with the
// new score, or null when NX/XX/GT/LT left the member alone; otherwise with
// the number added (plus updated with CH).
func zaddGeneric(ctx *Context, incr bool) {
	p, err := parseZAdd(ctx.Args, incr)
	if err != nil {
		ctx.Fail(err)
		return
	}
	key := ctx.Args[1]
	e := ctx.lookupWrite(key)
	z, err := zsetOf(e)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var added, updated, processed int
	var score float64
	if z == nil && !p.flags.xx {
		z = newZset()
		ctx.DB().add(string(key), z, ctx.nowMs())
	}
	if z != nil {
		for i, m := range p.members {
			outcome, newScore := z.add(string(m), p.scores[i], p.flags, ctx.Settings.Encoding)
			switch outcome {
			case zaddNaN:
				ctx.zaddChanged(key, p.flags.incr, added+updated)
				ctx.Error(msgZScoreNaN)
				return
			case zaddAdded:
				added++
			case zaddUpdated:
				updated++
			}
			if outcome != zaddNop {
				processed++
				score = newScore
			}
		}
	}
	ctx.zaddChanged(key, p.flags.incr, added+updated)
	switch {
	case !p.flags.incr && p.ch:
		ctx.Out.Int(int64(added + updated))
	case !p.flags.incr:
		ctx.Out.Int(int64(added))
	case processed > 0:
		ctx.Out.Double(score)
	default:
		ctx.Out.Null()
	}
}

// zaddChanged signals and notifies a ZADD or ZINCRBY that changed n
// members.
func (ctx *Context) zaddChanged(key []byte, incr bool, n int) {
	if n == 0 {
		return
	}
	event := "zadd"
	if incr {
		event = "zincr"
	}
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Notify(NotifyZset, event, ctx.Client.DB, key)
	ctx.changedBy(n)
}
