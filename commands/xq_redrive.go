package commands

import (
	"bytes"

	"github.com/spool-dev/spool/streams"
)

// XQ.REDRIVE dlqkey [TO key] [COUNT count]
//
// Moves dead letters back (SQS's redrive): the oldest COUNT entries of the
// DLQ stream (all without COUNT) are appended, as new entries, to the
// stream named by their xq-source field, or to TO's key, with the xq-*
// fields the dead-letter move added removed, and deleted from the DLQ in
// the same effect record. An entry with no xq-source and no TO stays. If
// any destination holds another type, nothing moves (WRONGTYPE). Reply: the
// number of entries moved.
//
// Keys: only dlqkey is declared (ACL key patterns see it); the sources come
// from the data.
var xqRedriveCommand = &Command{
	Name: "xq.redrive", Arity: -2, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "0.1.0",
	Summary:    "Moves dead letters from a DLQ stream back to their source stream (Spool).",
	Complexity: "O(M) with M being the number of entries moved.",
	Syntax:     "dlqkey [TO key] [COUNT count]",
	Run:        runXQRedrive,
}

// xqRedriveArgs is a parsed XQ.REDRIVE.
type xqRedriveArgs struct {
	to    []byte // nil: each entry's xq-source
	count int64  // 0: all
}

func parseXQRedrive(args [][]byte) (xqRedriveArgs, error) {
	var p xqRedriveArgs
	for i := 2; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return p, ErrSyntax
		}
		switch {
		case is(args[i], "to"):
			p.to = args[i+1]
		case is(args[i], "count"):
			n, err := argInt(args[i+1])
			if err != nil {
				return p, err
			}
			if n <= 0 {
				return p, errXQRedriveCount
			}
			p.count = n
		default:
			return p, ErrSyntax
		}
	}
	return p, nil
}

// isXQField reports whether name is one of the fields a dead-letter move
// adds.
func isXQField(name []byte) bool {
	for _, f := range [][]byte{fieldXQSource, fieldXQID, fieldXQGroup, fieldXQConsumer, fieldXQDeliveries, fieldXQReason} {
		if bytes.Equal(name, f) {
			return true
		}
	}
	return false
}

// splitDeadLetter returns an entry's fields without the trailing xq-*
// pairs, and its xq-source (nil if none).
func splitDeadLetter(fields [][]byte) (original [][]byte, source []byte) {
	end := len(fields)
	for end >= 2 && isXQField(fields[end-2]) {
		if bytes.Equal(fields[end-2], fieldXQSource) {
			source = fields[end-1]
		}
		end -= 2
	}
	return fields[:end], source
}

// redriveMove is one entry to move.
type redriveMove struct {
	id     streams.ID
	dest   []byte
	fields [][]byte
}

func runXQRedrive(ctx *Context) {
	p, err := parseXQRedrive(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	dlq := ctx.Args[1]
	_, s, err := ctx.writeStream(dlq)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Out.Int(0)
		return
	}
	// Plan every move, then check every destination, then move: bad input
	// changes nothing.
	var moves []redriveMove
	s.Range(streams.MinID, streams.MaxID, 0, false, func(e streams.Entry) bool {
		original, source := splitDeadLetter(e.Fields)
		dest := p.to
		if dest == nil {
			dest = source
		}
		if dest == nil || len(original) == 0 {
			return true // nowhere to go, or nothing to send (XADD needs a field)
		}
		moves = append(moves, redriveMove{e.ID, cloneBytes(dest), copyArgs(original)})
		return p.count == 0 || int64(len(moves)) < p.count
	})
	db := ctx.DB()
	for _, m := range moves {
		if bytes.Equal(m.dest, dlq) {
			ctx.Fail(errXQRedriveSelf)
			return
		}
		if _, err := streamOf(ctx.lookup(db, string(m.dest))); err != nil {
			ctx.Fail(err)
			return
		}
	}
	now := ctx.nowMs()
	moved := 0
	for _, m := range moves {
		e := ctx.lookup(db, string(m.dest))
		dest, _ := streamOf(e)
		created := dest == nil
		if created {
			dest = streams.New()
		}
		id, err := dest.NextAutoID(uint64(max(now, 0)))
		if err != nil {
			continue // the destination is at its last ID: this one stays
		}
		if err := dest.Add(id, m.fields, ctx.streamLimits()); err != nil {
			continue
		}
		if created {
			db.add(string(m.dest), dest, now)
			ctx.Notify(NotifyNew, "new", db.ID, m.dest)
		}
		s.Delete(m.id)
		moved++
		effect := make([][]byte, 0, 3+len(m.fields))
		effect = append(effect, wordXAdd, m.dest, []byte(id.String()))
		ctx.Propagate(append(effect, m.fields...)...)
		ctx.Propagate([]byte("XDEL"), dlq, []byte(m.id.String()))
		ctx.Signal(db.ID, string(m.dest))
		ctx.Notify(NotifyStream, "xadd", db.ID, m.dest)
	}
	if moved > 0 {
		ctx.Signal(db.ID, string(dlq))
		ctx.Notify(NotifyStream, "xdel", db.ID, dlq)
	}
	ctx.Out.Int(int64(moved))
}
