package commands

import "time"

// WAIT numreplicas timeout — https://redis.io/commands/wait/
var waitCommand = &Command{
	Name: "wait", Arity: 3, Flags: FlagNoScript,
	Categories: "slow connection", Group: "generic", Since: "3.0.0",
	Summary:    "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
	Complexity: "O(1)",
	Syntax:     "numreplicas timeout", Run: runWait,
}

// waitArgs is a parsed WAIT: the replicas asked for and the timeout in ms
// (0 = wait forever).
type waitArgs struct {
	replicas  int64
	timeoutMs int64
}

// parseWait parses WAIT as Redis's waitCommand does: the replica count is
// an integer, the timeout a non-negative integer of milliseconds.
func parseWait(args [][]byte) (waitArgs, error) {
	replicas, err := argInt(args[0])
	if err != nil {
		return waitArgs{}, err
	}
	timeout, err := argInt(args[1])
	if err != nil {
		return waitArgs{}, redisError(msgTimeoutNotInt)
	}
	if timeout < 0 {
		return waitArgs{}, redisError(msgTimeoutNegative)
	}
	return waitArgs{replicas: replicas, timeoutMs: timeout}, nil
}

// waitForever is the timeout past which a deadline means "never": Redis
// adds the timeout to the current time, and a sum beyond int64 never fires.
const waitForever = int64(100 * 365 * 24 * time.Hour / time.Millisecond)

// runWait: Spool has no replicas, so no write is ever acknowledged by one.
// Asked for none (or inside a transaction), WAIT answers 0 at once; asked
// for more, it blocks the client until the timeout, then answers 0 — what
// Redis does on a master without replicas, including blocking forever with
// timeout 0.
func runWait(ctx *Context) {
	wa, err := parseWait(ctx.Args[1:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if wa.replicas <= 0 || ctx.Client.Multi != nil || ctx.Replaying {
		ctx.Out.Int(0)
		return
	}
	var deadline time.Time
	if wa.timeoutMs > 0 && wa.timeoutMs < waitForever {
		deadline = ctx.Clock().Add(time.Duration(wa.timeoutMs) * time.Millisecond)
	}
	ctx.Block(&BlockRequest{
		DB:       ctx.Client.DB,
		Deadline: deadline,
		// No key ever signals a WAIT: only the deadline ends it.
		Retry:   func(*Context) bool { return false },
		Timeout: func(c *Context) { c.Out.Int(0) },
	})
}
