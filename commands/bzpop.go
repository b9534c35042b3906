package commands

// BZPOPMIN key [key ...] timeout — https://redis.io/commands/bzpopmin/
var bzpopminCommand = &Command{
	Name: "bzpopmin", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking | FlagFast, FirstKey: 1, LastKey: -2, Step: 1,
	Categories: "write sortedset fast blocking", Group: "sorted-set", Since: "5.0.0",
	Summary:    "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
	Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
	Syntax:     "key [key ...] timeout", Run: func(ctx *Context) { runBZPop(ctx, false) },
}

// BZPOPMAX key [key ...] timeout — https://redis.io/commands/bzpopmax/
var bzpopmaxCommand = &Command{
	Name: "bzpopmax", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking | FlagFast, FirstKey: 1, LastKey: -2, Step: 1,
	Categories: "write sortedset fast blocking", Group: "sorted-set", Since: "5.0.0",
	Summary:    "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
	Complexity: "O(log(N)) with N being the number of elements in the sorted set.",
	Syntax:     "key [key ...] timeout", Run: func(ctx *Context) { runBZPop(ctx, true) },
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
// — https://redis.io/commands/bzmpop/
var bzmpopCommand = &Command{
	Name: "bzmpop", Arity: -5, Flags: FlagWrite | FlagBlocking,
	Categories: "write sortedset slow blocking", Group: "sorted-set", Since: "7.0.0",
	Summary:    "Remove and return members with scores in a sorted set or block until one is available",
	Complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
	Syntax:     "timeout numkeys key [key ...] MIN|MAX [COUNT count]", Run: runBZMPop,
}

// runBZPop parses the timeout, then pops like ZPOPMIN/ZPOPMAX from the
// first non-empty key, replying [key, member, score]; the effect is the
// plain ZPOPMIN/ZPOPMAX of that key.
func runBZPop(ctx *Context, max bool) {
	timeoutMs, err := parseBlockTimeout(ctx.Args[len(ctx.Args)-1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	keys := ctx.Args[1 : len(ctx.Args)-1]
	blockingZPop(ctx, keys, max, -1, zpopReply{emitKey: true}, timeoutMs)
}

// runBZMPop parses like ZMPOP, then the timeout (Redis's order), and pops
// or blocks; the effect is ZPOPMIN/ZPOPMAX key count.
func runBZMPop(ctx *Context) {
	p, err := parseZMPop(ctx.Args, 2)
	if err != nil {
		ctx.Fail(err)
		return
	}
	timeoutMs, err := parseBlockTimeout(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	shape := zpopReply{emitKey: true, nested: true, nilWhenEmpty: true}
	blockingZPop(ctx, p.keys, p.max, p.count, shape, timeoutMs)
}

// blockingZPop is Redis's blockingGenericZpopCommand: serve at once from
// the first key holding a non-empty sorted set (a key of another type on
// the way is WRONGTYPE); otherwise block on the keys, unless the client may
// not block (inside MULTI), which gets the timeout reply at once.
func blockingZPop(ctx *Context, keys [][]byte, max bool, count int64, shape zpopReply, timeoutMs int64) {
	db := ctx.DB()
	for _, k := range keys {
		e := ctx.lookup(db, string(k))
		if e == nil {
			continue
		}
		if _, err := zsetOf(e); err != nil {
			ctx.Fail(err)
			return
		}
		key, size, _ := ctx.zpop(db, [][]byte{k}, max, count, shape)
		ctx.zpopEffect(db.ID, key, max, count, size)
		return
	}
	if ctx.Client.Multi != nil {
		ctx.Out.NullArray()
		return
	}
	stored := copyArgs(keys)
	dbID := db.ID
	ctx.Block(listBlockRequest(ctx, stored, timeoutMs, func(ctx *Context) bool {
		// A woken client is served by the first of its keys that now
		// holds a sorted set; a key that became another type does not
		// serve it (Redis serves only the type it blocked for).
		db := ctx.Keys.DBs[dbID]
		for _, k := range stored {
			e := ctx.lookup(db, string(k))
			if e == nil {
				continue
			}
			if z, ok := e.value.(*zsetObject); !ok || z.len() == 0 {
				continue
			}
			key, size, _ := ctx.zpop(db, [][]byte{k}, max, count, shape)
			ctx.zpopEffect(dbID, key, max, count, size)
			return true
		}
		return false
	}))
}
