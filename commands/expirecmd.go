package commands

import (
	"math"
	"strconv"
)

// EXPIRE key seconds [NX | XX | GT | LT] — https://redis.io/commands/expire/
var expireCommand = &Command{
	Name: "expire", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace write fast", Group: "generic", Since: "1.0.0",
	Summary: "Set a key's time to live in seconds", Complexity: "O(1)",
	Syntax: "key seconds [NX | XX | GT | LT]", Run: func(ctx *Context) { runExpire(ctx, expireRelative, 1000) },
}

// PEXPIRE key milliseconds [NX | XX | GT | LT] — https://redis.io/commands/pexpire/
var pexpireCommand = &Command{
	Name: "pexpire", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace write fast", Group: "generic", Since: "2.6.0",
	Summary: "Set a key's time to live in milliseconds", Complexity: "O(1)",
	Syntax: "key milliseconds [NX | XX | GT | LT]", Run: func(ctx *Context) { runExpire(ctx, expireRelative, 1) },
}

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT] — https://redis.io/commands/expireat/
var expireatCommand = &Command{
	Name: "expireat", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace write fast", Group: "generic", Since: "1.2.0",
	Summary: "Set the expiration for a key as a UNIX timestamp", Complexity: "O(1)",
	Syntax: "key unix-time-seconds [NX | XX | GT | LT]", Run: func(ctx *Context) { runExpire(ctx, expireAbsolute, 1000) },
}

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] — https://redis.io/commands/pexpireat/
var pexpireatCommand = &Command{
	Name: "pexpireat", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace write fast", Group: "generic", Since: "2.6.0",
	Summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds", Complexity: "O(1)",
	Syntax: "key unix-time-milliseconds [NX | XX | GT | LT]", Run: func(ctx *Context) { runExpire(ctx, expireAbsolute, 1) },
}

// expireBase says what an EXPIRE-family time is counted from.
type expireBase uint8

const (
	expireRelative expireBase = iota // from now (EXPIRE, PEXPIRE)
	expireAbsolute                   // from the unix epoch (EXPIREAT, PEXPIREAT)
)

// expireCond is the NX/XX/GT/LT condition of an EXPIRE-family command.
type expireCond uint8

const (
	expireAlways expireCond = 0
	expireNX     expireCond = 1 << iota // only when the key has no TTL
	expireXX                            // only when it has one
	expireGT                            // only when the new deadline is later
	expireLT                            // only when the new deadline is earlier
)

// parseExpireConditions parses the options after the time as Redis's
// parseExtendedExpireArgumentsOrReply does: each may repeat, anything else
// is refused by name, and the incompatible pairs are refused afterwards.
func parseExpireConditions(args [][]byte) (expireCond, error) {
	var cond expireCond
	for _, a := range args {
		switch {
		case is(a, "nx"):
			cond |= expireNX
		case is(a, "xx"):
			cond |= expireXX
		case is(a, "gt"):
			cond |= expireGT
		case is(a, "lt"):
			cond |= expireLT
		default:
			return 0, redisError(msgUnsupportedOption(a))
		}
	}
	if cond&expireNX != 0 && cond&(expireXX|expireGT|expireLT) != 0 {
		return 0, redisError(msgNXXXGTLT)
	}
	if cond&expireGT != 0 && cond&expireLT != 0 {
		return 0, redisError(msgGTLT)
	}
	return cond, nil
}

// expireDeadline turns the time argument into an absolute unix-ms deadline,
// refusing what would overflow as Redis's expireGenericCommand does. unit is
// 1000 for seconds, 1 for milliseconds; base is nowMs for relative commands
// and 0 for absolute ones. A deadline in the past is allowed.
func expireDeadline(arg []byte, unit, base int64, cmd string) (int64, error) {
	when, err := argInt(arg)
	if err != nil {
		return 0, err
	}
	if unit != 1 {
		if when > math.MaxInt64/unit || when < math.MinInt64/unit {
			return 0, redisError(msgInvalidExpire(cmd))
		}
		when *= unit
	}
	if when > math.MaxInt64-base {
		return 0, redisError(msgInvalidExpire(cmd))
	}
	return when + base, nil
}

// allows reports whether cond lets a key whose deadline is current (0 =
// persistent) take the deadline when. A persistent key counts as an
// infinite TTL: GT never passes it, LT always does.
func (cond expireCond) allows(current, when int64) bool {
	switch {
	case cond&expireNX != 0 && current != 0:
		return false
	case cond&expireXX != 0 && current == 0:
		return false
	case cond&expireGT != 0 && (current == 0 || when <= current):
		return false
	case cond&expireLT != 0 && current != 0 && when >= current:
		return false
	}
	return true
}

// runExpire sets a key's deadline. Options are checked first, then the
// time, then the key (missing: 0). A deadline already passed deletes the
// key, logged as DEL; any other is logged as PEXPIREAT with the absolute
// deadline, so that replay sets the same one. Replay never deletes: the
// deadline is set as logged and the key expires as any other would.
func runExpire(ctx *Context, baseKind expireBase, unit int64) {
	key := ctx.Args[1]
	cond, err := parseExpireConditions(ctx.Args[3:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	var base int64
	if baseKind == expireRelative {
		base = ctx.nowMs()
	}
	when, err := expireDeadline(ctx.Args[2], unit, base, ctx.Cmd.Name)
	if err != nil {
		ctx.Fail(err)
		return
	}
	e := ctx.lookupWrite(key)
	if e == nil || !cond.allows(e.expireAt, when) {
		ctx.Out.Int(0)
		return
	}
	db := ctx.DB()
	if when <= ctx.nowMs() && !ctx.Replaying {
		ctx.deleteKey(db, e.key)
		ctx.Propagate([]byte("DEL"), key)
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
		ctx.Out.Int(1)
	} else {
		db.setExpire(e, when)
		ctx.Signal(db.ID, e.key)
		ctx.Propagate([]byte("PEXPIREAT"), key, []byte(strconv.FormatInt(when, 10)))
		ctx.Out.Int(1)
		ctx.Notify(NotifyGeneric, "expire", db.ID, key) // after the reply, as in Redis
	}
}
