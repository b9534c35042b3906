package commands

import (
	"bytes"

	"github.com/spool-dev/spool/streams"
)

// XQ.POLICY <SET | GET | DEL | HELP> — Spool's queue policy of a consumer
// group (see DESIGN.md, "Queue semantics beyond Redis"):
//
//   - ACKWAIT ms: a pending entry idle for longer is served again by the
//     group's next XREADGROUP ">", before new entries, to whichever
//     consumer asks, as if that consumer had claimed it; a consumer blocked
//     in XREADGROUP ... BLOCK is woken when an entry becomes due;
//   - BACKOFF ms[,ms...]: replaces ACKWAIT with a wait per delivery count
//     (the n-th delivery waits the n-th step, the last one repeating);
//   - MAXDELIVER n: the delivery that would be an entry's (n+1)-th, by any
//     path (redelivery, XCLAIM, XAUTOCLAIM, XREADGROUP ... CLAIM, history
//     reads), moves it to the DLQ instead (see xq_deadletter.go); so does
//     any delivery of an entry XNACK marked FATAL, in a group with a policy;
//   - DLQ key: the dead-letter stream, "<key>:dlq" by default;
//   - MAXPENDING n: a consumer holding n pending entries gets no more
//     until it acks.
//
// A group without a policy behaves exactly as in Redis.
var xqPolicyCommand = &Command{
	Name: "xq.policy", Arity: -2,
	Categories: "slow", Group: "stream", Since: "0.1.0",
	Summary: "A container for the queue policy commands of a consumer group (Spool)", Complexity: "Depends on subcommand.",
	Help: []string{
		"SET <key> <group> [ACKWAIT ms] [MAXDELIVER n] [BACKOFF ms[,ms...]] [DLQ dlqkey] [MAXPENDING n]",
		"    Set the group's queue policy, replacing the previous one (options not",
		"    given are off; DLQ defaults to <key>:dlq).",
		"GET <key> <group>",
		"    Return the group's policy, or null if it has none.",
		"DEL <key> <group>",
		"    Remove the group's policy. Returns 1 if it had one, 0 otherwise.",
	},
	Subcommands: []*Command{
		xqPolicySetCommand,
		xqPolicyGetCommand,
		xqPolicyDelCommand,
		helpSubcommand("stream slow", "0.1.0"),
	},
}

// XQ.POLICY SET key group [ACKWAIT ms] [MAXDELIVER n] [BACKOFF ms[,ms...]] [DLQ dlqkey] [MAXPENDING n]
var xqPolicySetCommand = &Command{
	Name: "set", Arity: -4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "0.1.0",
	Summary:    "Sets the queue policy of a consumer group: redelivery after ACKWAIT or BACKOFF, dead-lettering after MAXDELIVER, per-consumer MAXPENDING.",
	Complexity: "O(N log N) with N being the number of pending entries of the group (they are indexed by due time).",
	Syntax:     "key group [ACKWAIT ms] [MAXDELIVER count] [BACKOFF comma-separated-ms] [DLQ dlqkey] [MAXPENDING count]",
	Run:        runXQPolicySet,
}

// XQ.POLICY GET key group
var xqPolicyGetCommand = &Command{
	Name: "get", Arity: 4, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "read stream slow", Group: "stream", Since: "0.1.0",
	Summary:    "Returns the queue policy of a consumer group, or null if it has none.",
	Complexity: "O(1)",
	Syntax:     "key group",
	Run:        runXQPolicyGet,
}

// XQ.POLICY DEL key group
var xqPolicyDelCommand = &Command{
	Name: "del", Arity: 4, Flags: FlagWrite, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "0.1.0",
	Summary:    "Removes the queue policy of a consumer group.",
	Complexity: "O(N) with N being the number of pending entries of the group.",
	Syntax:     "key group",
	Run:        runXQPolicyDel,
}

// parseXQPolicy parses the options of XQ.POLICY SET (args[4:]). Options may
// come in any order; a repeated one replaces the earlier value.
func parseXQPolicy(args [][]byte) (streams.Policy, error) {
	var p streams.Policy
	for i := 4; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return p, ErrSyntax
		}
		opt, val := args[i], args[i+1]
		switch {
		case is(opt, "ackwait"):
			n, err := xqNonNegative(val, errXQAckWait)
			if err != nil {
				return p, err
			}
			p.AckWait = n
		case is(opt, "maxdeliver"):
			n, err := xqNonNegative(val, errXQMaxDeliver)
			if err != nil {
				return p, err
			}
			p.MaxDeliver = n
		case is(opt, "maxpending"):
			n, err := xqNonNegative(val, errXQMaxPending)
			if err != nil {
				return p, err
			}
			p.MaxPending = n
		case is(opt, "backoff"):
			steps, err := parseBackoff(val)
			if err != nil {
				return p, err
			}
			p.Backoff = steps
		case is(opt, "dlq"):
			if len(val) == 0 {
				return p, errXQDLQEmpty
			}
			p.DLQ = string(val)
		default:
			return p, ErrSyntax
		}
	}
	return p, nil
}

// xqNonNegative parses a non-negative integer option value: a value that
// is not an integer gets Redis's generic error, a negative one bad.
func xqNonNegative(b []byte, bad error) (int64, error) {
	n, err := argInt(b)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, bad
	}
	return n, nil
}

// maxBackoffSteps bounds BACKOFF: a schedule is a handful of steps, and
// the policy is copied into every snapshot.
const maxBackoffSteps = 64

// parseBackoff parses "ms[,ms...]": 1 to maxBackoffSteps non-negative
// integers.
func parseBackoff(b []byte) ([]int64, error) {
	parts := bytes.Split(b, []byte{','})
	if len(parts) > maxBackoffSteps {
		return nil, errXQBackoff
	}
	steps := make([]int64, len(parts))
	for i, part := range parts {
		n, err := argInt(part)
		if err != nil || n < 0 {
			return nil, errXQBackoff
		}
		steps[i] = n
	}
	return steps, nil
}

// runXQPolicySet: options first, then the key and group, then the DLQ key
// (another key than the stream; if it exists it must be a stream). The
// command as typed is its effect.
func runXQPolicySet(ctx *Context) {
	key, group := ctx.Args[2], ctx.Args[3]
	pol, err := parseXQPolicy(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	_, g := xqGroup(ctx, key, group, true)
	if g == nil {
		return
	}
	target := dlqKey(key, pol)
	if bytes.Equal(target, key) {
		ctx.Fail(errXQDLQSelf)
		return
	}
	if _, err := streamOf(ctx.lookup(ctx.DB(), string(target))); err != nil {
		ctx.Fail(err)
		return
	}
	g.SetPolicy(pol)
	ctx.Changed()
	// Entries may be due at once: wake blocked readers of the group.
	ctx.Signal(ctx.Client.DB, string(key))
	OK(ctx.Out)
}

// runXQPolicyGet replies with the policy as a map (a flat array in RESP2):
// ackwait, backoff (an array of integers), maxdeliver, dlq (the key in
// effect, default included), maxpending; or null for a group without one.
func runXQPolicyGet(ctx *Context) {
	key, group := ctx.Args[2], ctx.Args[3]
	_, g := xqGroup(ctx, key, group, false)
	if g == nil {
		return
	}
	pol, ok := g.Policy()
	if !ok {
		ctx.Out.Null()
		return
	}
	out := ctx.Out
	out.Map(5)
	out.BulkString("ackwait")
	out.Int(pol.AckWait)
	out.BulkString("backoff")
	out.Array(len(pol.Backoff))
	for _, step := range pol.Backoff {
		out.Int(step)
	}
	out.BulkString("maxdeliver")
	out.Int(pol.MaxDeliver)
	out.BulkString("dlq")
	out.Bulk(dlqKey(key, pol))
	out.BulkString("maxpending")
	out.Int(pol.MaxPending)
}

// runXQPolicyDel removes the policy and replies 1, or 0 if there was none.
func runXQPolicyDel(ctx *Context) {
	key, group := ctx.Args[2], ctx.Args[3]
	_, g := xqGroup(ctx, key, group, true)
	if g == nil {
		return
	}
	if !g.DeletePolicy() {
		ctx.Out.Int(0)
		return
	}
	ctx.Changed()
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Out.Int(1)
}
