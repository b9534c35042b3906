package commands

import "github.com/spool-dev/spool/streams"

// XCFGSET key [IDMP-DURATION idmp-duration] [IDMP-MAXSIZE idmp-maxsize]
// — https://redis.io/docs/latest/commands/xcfgset/ (Redis 8.6)
var xcfgsetCommand = &Command{
	Name: "xcfgset", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "8.6.0",
	Summary:    "Sets the IDMP configuration parameters for a stream.",
	Complexity: "O(1)",
	Syntax:     "key [IDMP-DURATION idmp-duration] [IDMP-MAXSIZE idmp-maxsize]",
	Run:        runXCfgSet,
}

// xcfgsetArgs are the parsed options; -1 is not given.
type xcfgsetArgs struct {
	duration int64
	maxSize  int64
}

// parseXCfgSet follows t_stream.c xcfgsetCommand: each option at most once,
// each value an integer in range, at least one option.
func parseXCfgSet(args [][]byte) (xcfgsetArgs, error) {
	p := xcfgsetArgs{duration: -1, maxSize: -1}
	for i := 2; i < len(args); i++ {
		more := len(args) - i - 1
		switch {
		case is(args[i], "idmp-duration") && more > 0:
			if p.duration != -1 {
				return p, redisError(msgXCfgDurationTwice)
			}
			i++
			n, err := argInt(args[i])
			if err != nil {
				return p, err
			}
			if n < streams.IdmpMinDuration || n > streams.IdmpMaxDuration {
				return p, redisError(msgXCfgDurationRange)
			}
			p.duration = n
		case is(args[i], "idmp-maxsize") && more > 0:
			if p.maxSize != -1 {
				return p, redisError(msgXCfgMaxSizeTwice)
			}
			i++
			n, err := argInt(args[i])
			if err != nil {
				return p, err
			}
			if n < streams.IdmpMinMaxSize || n > streams.IdmpMaxMaxSize {
				return p, redisError(msgXCfgMaxSizeRange)
			}
			p.maxSize = n
		default:
			return p, ErrSyntax
		}
	}
	if p.duration == -1 && p.maxSize == -1 {
		return p, redisError(msgXCfgNoParameter)
	}
	return p, nil
}

// runXCfgSet looks the key up before parsing, as Redis does (a missing key
// or a key of another type wins over any option error). Only a change of
// value clears the dedup maps and is propagated; the typed command is its
// own effect (the same values give the same result on replay).
func runXCfgSet(ctx *Context) {
	_, s, err := ctx.writeStream(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Error(msgNoSuchKey)
		return
	}
	p, err := parseXCfgSet(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s.IdmpConfigure(p.duration, p.maxSize) {
		ctx.Changed()
		ctx.Signal(ctx.Client.DB, string(ctx.Args[1]))
	}
	ctx.Out.SimpleString("OK")
}
