package commands

import (
	"strconv"

	"github.com/spool-dev/spool/streams"
)

// Dead-letter moves (Spool's queue semantics, see XQ.POLICY).
//
// Every delivery path of a group with a policy (XREADGROUP, XCLAIM,
// XAUTOCLAIM) finds the entries it may not deliver again and queues them in
// the group (streams.Group.TakeDeadLetters); the command then moves each to
// the DLQ stream: it appends the entry's fields plus
//
//	xq-source <key> xq-id <id> xq-group <group> xq-consumer <owner>
//	xq-deliveries <count> xq-reason maxdeliver|fatal
//
// as a new entry, removes it from the group's PEL (counted as
// dead-lettered, not acked) and publishes the source ID on
// __xq__:deadletter:<key>. The move is logged as two effects, XADD of the
// DLQ entry with its ID and the replay-only XQ.DEADLETTER; one command's
// effects are one WAL record, written whole or not at all, so after a
// crash the entry is either still pending in the group or in the DLQ:
// never in both, never in neither.

var (
	wordXAdd          = []byte("XADD")
	wordXQDeadLetter  = []byte("XQ.DEADLETTER")
	fieldXQSource     = []byte("xq-source")
	fieldXQID         = []byte("xq-id")
	fieldXQGroup      = []byte("xq-group")
	fieldXQConsumer   = []byte("xq-consumer")
	fieldXQDeliveries = []byte("xq-deliveries")
	fieldXQReason     = []byte("xq-reason")
)

// deadLetterChannelPrefix is the pub/sub channel of dead-letter notices,
// followed by the source stream's key.
const deadLetterChannelPrefix = "__xq__:deadletter:"

// dlqKey returns the DLQ stream of a group's policy on key.
func dlqKey(key []byte, pol streams.Policy) []byte {
	if pol.DLQ != "" {
		return []byte(pol.DLQ)
	}
	return append(append([]byte(nil), key...), ":dlq"...)
}

// deadLetterFields returns the DLQ entry's fields for dl.
func deadLetterFields(dl streams.DeadLetter, key, group []byte) [][]byte {
	fields := make([][]byte, 0, len(dl.Fields)+12)
	fields = append(fields, dl.Fields...)
	return append(fields,
		fieldXQSource, key,
		fieldXQID, []byte(dl.ID.String()),
		fieldXQGroup, group,
		fieldXQConsumer, []byte(dl.Consumer),
		fieldXQDeliveries, strconv.AppendInt(nil, dl.Deliveries, 10),
		fieldXQReason, []byte(dl.Reason))
}

// moveDeadLetters moves the dead letters the last operations on g queued to
// the group's DLQ (see above) and returns how many it moved. A dead letter
// already moved by this command, or whose DLQ key holds another type, or a
// DLQ stream at its last possible ID, stays where it is: pending, not
// delivered, found again by the next delivery attempt. Replay moves
// nothing: the log holds the moves.
func (l groupLog) moveDeadLetters(g *streams.Group) int {
	dead := g.TakeDeadLetters()
	if len(dead) == 0 || l.ctx.Replaying {
		return 0
	}
	ctx := l.ctx
	pol, _ := g.Policy()
	target := dlqKey(l.key, pol)
	keys := ctx.Keys.DBs[l.db]
	now := ctx.nowMs()
	moved := 0
	for _, dl := range dead {
		if _, pending := g.PendingEntry(dl.ID); !pending {
			continue
		}
		e := ctx.lookup(keys, string(target))
		s, err := streamOf(e)
		if err != nil {
			continue
		}
		created := s == nil
		if created {
			s = streams.New()
		}
		id, err := s.NextAutoID(uint64(max(now, 0)))
		if err != nil {
			continue
		}
		fields := deadLetterFields(dl, l.key, l.group)
		if err := s.Add(id, fields, ctx.streamLimits()); err != nil {
			continue
		}
		if created {
			keys.add(string(target), s, now)
			ctx.Notify(NotifyNew, "new", l.db, target)
		}
		g.RemoveDeadLetter(dl.ID)
		moved++

		idText := []byte(id.String())
		effect := make([][]byte, 0, 3+len(fields))
		effect = append(effect, wordXAdd, target, idText)
		l.propagate(append(effect, fields...)...)
		l.propagate(wordXQDeadLetter, l.key, l.group, []byte(dl.ID.String()))
		ctx.Signal(l.db, string(target))
		ctx.Notify(NotifyStream, "xadd", l.db, target)
		ctx.Publish(append([]byte(deadLetterChannelPrefix), l.key...), []byte(dl.ID.String()))
	}
	if moved > 0 {
		ctx.Signal(l.db, string(l.key))
	}
	return moved
}

// XQ.DEADLETTER key group id
//
// Spool-internal, never typed by clients: the log entry that removes a
// dead-lettered entry from its group's PEL when effects are replayed,
// counting it as dead-lettered. It follows the XADD that put the entry in
// the DLQ, in the same record.
var xqDeadLetterCommand = &Command{
	Name: "xq.deadletter", Arity: 4, Flags: FlagWrite | FlagFast | FlagNoScript, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "0.1.0",
	Summary:    "Internal: removes a dead-lettered entry from its group's PEL while Spool replays its log; refused from clients.",
	Complexity: "O(log N) with N being the number of pending entries.",
	Syntax:     "key group id",
	Run:        runXQDeadLetter,
}

// runXQDeadLetter refuses clients, then removes the entry. A missing key
// or group means the log does not match the data: the error fails the
// replay. An ID that is not pending changes nothing.
func runXQDeadLetter(ctx *Context) {
	if !ctx.Replaying {
		ctx.Error(msgXQDeadLetterNotReplay)
		return
	}
	key, group := ctx.Args[1], ctx.Args[2]
	id, err := streams.ParseID(ctx.Args[3], 0)
	if err != nil {
		ctx.Fail(err)
		return
	}
	_, s, err := ctx.writeStream(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var g *streams.Group
	if s != nil {
		g = s.Group(string(group))
	}
	if g == nil {
		ctx.Error(msgNoGroup(key, group))
		return
	}
	g.RemoveDeadLetter(id)
	ctx.Changed()
	ctx.Signal(ctx.Client.DB, string(key))
	OK(ctx.Out)
}
