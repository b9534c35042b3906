package commands

import (
	"bytes"
	"math"
	"strconv"
)

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
// EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
// — https://redis.io/commands/set/
var setCommand = &Command{
	Name: "set", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string slow", Group: "string", Since: "1.0.0",
	Summary: "Set the string value of a key", Complexity: "O(1)",
	Syntax: "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
	Run:    runSet,
}

// expireKind is which expiry option a SET or GETEX carries.
type expireKind uint8

const (
	expireNone expireKind = iota
	expireEX              // relative seconds
	expirePX              // relative milliseconds
	expireEXAT            // absolute unix seconds
	expirePXAT            // absolute unix milliseconds
)

// stringOptions are the extended arguments of SET and GETEX, parsed the way
// Redis's parseExtendedStringArgumentsOrReply does: each option is accepted
// only when nothing incompatible came before it, a repeated option is
// allowed (the last expire argument wins), and the expire argument itself is
// validated later, when the command reaches that point.
type stringOptions struct {
	nx, xx, get, keepTTL, persist bool
	expire                        expireKind
	expireArg                     []byte
}

// parseStringOptions parses args (the options after the key, or after the
// key and value for SET). forSet selects SET's options (NX, XX, GET,
// KEEPTTL); otherwise GETEX's (PERSIST). Any other word, a conflict or a
// missing expire argument is a syntax error.
func parseStringOptions(args [][]byte, forSet bool) (stringOptions, error) {
	var o stringOptions
	for j := 0; j < len(args); j++ {
		opt := cString(args[j])
		hasNext := j+1 < len(args)
		noExpire := o.expire == expireNone
		kind := expireOption(opt)
		switch {
		case is(opt, "nx") && !o.xx && forSet:
			o.nx = true
		case is(opt, "xx") && !o.nx && forSet:
			o.xx = true
		case is(opt, "get") && forSet:
			o.get = true
		case is(opt, "keepttl") && !o.persist && noExpire && forSet:
			o.keepTTL = true
		case is(opt, "persist") && !forSet && noExpire && !o.keepTTL:
			o.persist = true
		case kind != expireNone && hasNext && !o.keepTTL && !o.persist && (noExpire || o.expire == kind):
			o.expire = kind
			o.expireArg = args[j+1]
			j++
		default:
			return stringOptions{}, ErrSyntax
		}
	}
	return o, nil
}

// expireOption names the expire option opt is, or expireNone.
func expireOption(opt []byte) expireKind {
	switch {
	case is(opt, "ex"):
		return expireEX
	case is(opt, "px"):
		return expirePX
	case is(opt, "exat"):
		return expireEXAT
	case is(opt, "pxat"):
		return expirePXAT
	}
	return expireNone
}

// cString is arg as C code comparing it with strcasecmp sees it: up to the
// first NUL byte. Redis matches option names that way.
func cString(arg []byte) []byte {
	if i := bytes.IndexByte(arg, 0); i >= 0 {
		return arg[:i]
	}
	return arg
}

// expireAt resolves the expire argument into an absolute unix time in
// milliseconds, as getExpireMillisecondsOrReply does: the argument must be a
// positive integer, seconds must not overflow when turned into milliseconds,
// and a relative time added to now must not overflow. cmd names the command
// in the invalid-expire error.
func (o *stringOptions) expireAt(cmd string, nowMs int64) (int64, error) {
	ms, err := argInt(o.expireArg)
	if err != nil {
		return 0, err
	}
	seconds := o.expire == expireEX || o.expire == expireEXAT
	if ms <= 0 || (seconds && ms > math.MaxInt64/1000) {
		return 0, redisError(msgInvalidExpire(cmd))
	}
	if seconds {
		ms *= 1000
	}
	if o.expire == expireEX || o.expire == expirePX {
		ms += nowMs // wraps on overflow, as in C, and is refused below
	}
	if ms <= 0 {
		return 0, redisError(msgInvalidExpire(cmd))
	}
	return ms, nil
}

func runSet(ctx *Context) {
	opts, err := parseStringOptions(ctx.Args[3:], true)
	if err != nil {
		ctx.Fail(err)
		return
	}
	setGeneric(ctx, ctx.Args[1], ctx.Args[2], opts, nil, nil)
}

// setGeneric is Redis's setGenericCommand, shared by SET, SETNX, SETEX and
// PSETEX. okReply and abortReply write the reply when the value was set and
// when NX or XX stopped it; nil means +OK and a null.
func setGeneric(ctx *Context, key, value []byte, opts stringOptions, okReply, abortReply func()) {
	var expireAt int64
	if opts.expire != expireNone {
		var err error
		if expireAt, err = opts.expireAt(ctx.Cmd.Name, ctx.nowMs()); err != nil {
			ctx.Fail(err)
			return
		}
	}
	if opts.get && !replyStringOrNull(ctx, key) {
		return
	}
	found := ctx.lookupWrite(key) != nil
	if (opts.nx && found) || (opts.xx && !found) {
		if !opts.get {
			if abortReply != nil {
				abortReply()
			} else {
				ctx.Out.Null()
			}
		}
		return
	}
	e := ctx.setValue(key, newString(value), opts.keepTTL)
	ctx.Notify(NotifyString, "set", ctx.Client.DB, key)
	if opts.expire != expireNone {
		ctx.DB().setExpire(e, expireAt)
		ctx.Notify(NotifyGeneric, "expire", ctx.Client.DB, key)
		// The relative forms are resolved, so a replay sets the same
		// deadline; NX/XX held, so they are dropped as Redis drops them.
		ctx.Propagate([]byte("SET"), key, value, []byte("PXAT"), []byte(strconv.FormatInt(expireAt, 10)))
	} else if opts.get {
		ctx.Propagate(withoutGet(ctx.Args)...)
	} else {
		ctx.Propagate(ctx.Args...)
	}
	if !opts.get {
		if okReply != nil {
			okReply()
		} else {
			OK(ctx.Out)
		}
	}
}

// withoutGet drops every GET option from a SET command line, as Redis does
// before propagating it: GET changes only the reply.
func withoutGet(args [][]byte) [][]byte {
	out := make([][]byte, 0, len(args))
	for j, a := range args {
		if j >= 3 && is(cString(a), "get") {
			continue
		}
		out = append(out, a)
	}
	return out
}

// replyStringOrNull is Redis's getGenericCommand: it replies with the string
// at key, or a null when there is none, and reports false after replying
// WRONGTYPE for a key of another type.
func replyStringOrNull(ctx *Context, key []byte) bool {
	sv, ok, err := ctx.getString(key)
	if err != nil {
		ctx.Fail(err)
		return false
	}
	if !ok {
		ctx.Out.Null()
		return true
	}
	ctx.Out.Bulk(sv.b)
	return true
}
