package commands

import "strconv"

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
// PXAT unix-time-milliseconds | PERSIST] — https://redis.io/commands/getex/
var getexCommand = &Command{
	Name: "getex", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "6.2.0",
	Summary: "Get the value of a key and optionally set its expiration", Complexity: "O(1)",
	Syntax: "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]",
	Run:    runGetex,
}

// runGetex follows Redis's order: options are checked first, then the key
// (missing: null, whatever the expire argument), then its type, then the
// expire argument. The effect is never GETEX itself: it is PEXPIREAT with
// the absolute deadline, PERSIST when a TTL was removed, or DEL when an
// absolute deadline had already passed (the key is deleted on the spot).
func runGetex(ctx *Context) {
	key := ctx.Args[1]
	opts, err := parseStringOptions(ctx.Args[2:], false)
	if err != nil {
		ctx.Fail(err)
		return
	}
	sv, ok, err := ctx.getString(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if !ok {
		ctx.Out.Null()
		return
	}
	var expireAt int64
	if opts.expire != expireNone {
		if expireAt, err = opts.expireAt(ctx.Cmd.Name, ctx.nowMs()); err != nil {
			ctx.Fail(err)
			return
		}
	}
	ctx.Out.Bulk(sv.b)

	db := ctx.DB()
	e := db.peek(string(key))
	absolute := opts.expire == expireEXAT || opts.expire == expirePXAT
	switch {
	case absolute && expireAt <= ctx.nowMs() && !ctx.Replaying:
		ctx.deleteKey(db, e.key)
		ctx.Propagate([]byte("DEL"), key)
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
	case opts.expire != expireNone:
		db.setExpire(e, expireAt)
		ctx.Signal(db.ID, e.key)
		ctx.Propagate([]byte("PEXPIREAT"), key, []byte(strconv.FormatInt(expireAt, 10)))
		ctx.Notify(NotifyGeneric, "expire", db.ID, key)
	case opts.persist && e.expireAt != 0:
		db.setExpire(e, 0)
		ctx.Signal(db.ID, e.key)
		ctx.Propagate([]byte("PERSIST"), key)
		ctx.Notify(NotifyGeneric, "persist", db.ID, key)
	}
}
