package commands

import "github.com/spool-dev/spool/streams"

// XDELEX key [KEEPREF | DELREF | ACKED] IDS numids id [id ...]
// — https://redis.io/docs/latest/commands/xdelex/ (Redis 8.2)
var xdelexCommand = &Command{
	Name: "xdelex", Arity: -5, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "8.2.0",
	Summary:    "Deletes one or multiple entries from the stream.",
	Complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
	Syntax:     "key [KEEPREF | DELREF | ACKED] IDS numids id [id ...]",
	Run:        runXDelEx,
}

// refPolicy is how XDELEX, XACKDEL (and trimming) treat consumer-group
// references to the entries they delete.
type refPolicy uint8

const (
	refKeep  refPolicy = iota // KEEPREF (default): delete, leave the PELs alone
	refDel                    // DELREF: delete and drop the entry from every PEL
	refAcked                  // ACKED: delete only entries no group references
)

// The per-ID reply codes of XDELEX and XACKDEL.
const (
	delexNoID       = -1 // not in the stream (XACKDEL: not in the group's PEL)
	delexDeleted    = 1  // deleted (XACKDEL: acknowledged and deleted)
	delexReferenced = 2  // kept: still referenced (ACKED)
)

// ackDelArgs are the options shared by XDELEX and XACKDEL.
type ackDelArgs struct {
	policy refPolicy
	ids    [][]byte // the ID arguments, not yet parsed
}

// parseAckDelArgs follows t_stream.c streamParseAckDelArgsOrReply from
// argument start on: at most one policy, IDS numids followed by at least
// numids arguments (anything after them is parsed as options again, so a
// surplus ID is a syntax error), and IDS is required. The IDs themselves are
// parsed later, after the key lookup, as Redis does.
func parseAckDelArgs(args [][]byte, start int) (ackDelArgs, error) {
	var p ackDelArgs
	policyGiven := false
	idsGiven := false
	for j := start; j < len(args); {
		opt := args[j]
		switch {
		case !policyGiven && is(opt, "keepref"):
			p.policy, policyGiven = refKeep, true
			j++
		case !policyGiven && is(opt, "delref"):
			p.policy, policyGiven = refDel, true
			j++
		case !policyGiven && is(opt, "acked"):
			p.policy, policyGiven = refAcked, true
			j++
		case is(opt, "ids") && j+1 < len(args):
			n, err := argInt(args[j+1])
			if err != nil || n < 1 {
				return p, redisError(msgAckDelNumIDs)
			}
			if n > int64(len(args)-j-2) {
				return p, redisError(msgAckDelNumIDsMatch)
			}
			p.ids = args[j+2 : j+2+int(n)]
			idsGiven = true
			j += 2 + int(n)
		default:
			return p, ErrSyntax
		}
	}
	if !idsGiven {
		return p, redisError(msgAckDelNoIDs)
	}
	return p, nil
}

// parseStrictIDs parses every ID before anything changes, so that a bad ID
// fails the whole command.
func parseStrictIDs(args [][]byte) ([]streams.ID, error) {
	ids := make([]streams.ID, len(args))
	for i, a := range args {
		id, err := streams.ParseID(a, 0)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// deleteWithPolicy deletes entry id from s as policy says and returns the
// reply code, and whether s changed (dropping PEL references counts).
func deleteWithPolicy(s *streams.Stream, id streams.ID, policy refPolicy) (code int64, changed bool) {
	switch policy {
	case refAcked:
		if s.EntryReferenced(id) {
			return delexReferenced, false
		}
	case refDel:
		changed = s.DropEntryRefs(id) > 0
	}
	if s.Delete(id) {
		return delexDeleted, true
	}
	return delexNoID, changed
}

// runXDelEx follows xdelexCommand: type check, options, then a missing key
// answers -1 for every ID (whose syntax is then not checked); otherwise all
// IDs are parsed, then deleted one by one.
func runXDelEx(ctx *Context) {
	_, s, err := ctx.writeStream(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	p, err := parseAckDelArgs(ctx.Args, 2)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		replyCodes(ctx.Out, len(p.ids), delexNoID)
		return
	}
	ids, err := parseStrictIDs(p.ids)
	if err != nil {
		ctx.Fail(err)
		return
	}
	changed, deleted := false, false
	ctx.Out.Array(len(ids))
	for _, id := range ids {
		code, ch := deleteWithPolicy(s, id, p.policy)
		changed = changed || ch
		deleted = deleted || code == delexDeleted
		ctx.Out.Int(code)
	}
	if changed {
		ctx.Changed()
		ctx.Signal(ctx.Client.DB, string(ctx.Args[1]))
	}
	if deleted {
		ctx.Notify(NotifyStream, "xdel", ctx.Client.DB, ctx.Args[1])
	}
}

// replyCodes writes an array of n times code.
func replyCodes(out Reply, n int, code int64) {
	out.Array(n)
	for range n {
		out.Int(code)
	}
}
