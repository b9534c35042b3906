package commands

import (
	"github.com/spool-dev/spool/streams"
)

// The queue part of XREADGROUP ">" (see XQ.POLICY): before new entries, a
// group with a policy or XQ.NACK delays serves its due pending entries to
// the reading consumer, moves the ones it may not deliver again to the DLQ,
// and holds back a consumer that reached MAXPENDING.

// queueRead is what the queue step left for the rest of the read.
type queueRead struct {
	// redelivered are the due entries served, earliest due first.
	redelivered []streams.IdleClaim
	// count is what is left of COUNT for the CLAIM and new-entry steps
	// (0: no limit), and full says that nothing at all may follow (COUNT
	// or MAXPENDING used up).
	count int
	full  bool
}

// queueStep runs the queue step of XREADGROUP ">" for consumer c (named
// consumer) of g, with the read's COUNT (0: none), and logs its effects. A
// group without a policy and without delays returns at once, unchanged.
func (l groupLog) queueStep(g *streams.Group, c *streams.Consumer, consumer []byte, count int64, nowMs int64) queueRead {
	q := queueRead{count: int(count)}
	if !g.Queued() {
		return q
	}
	if g.HasDue(nowMs) {
		room, limited := g.Room(c)
		if !limited {
			room = -1
		}
		r := g.Redeliver(c, q.count, room, nowMs)
		l.ack(r.Deleted)
		for _, cl := range r.Redelivered {
			l.claim(consumer, cl.Delivery, streams.ID{})
		}
		q.redelivered = r.Redelivered
		if q.count > 0 {
			q.count -= len(r.Redelivered)
			q.full = q.count == 0
		}
	}
	// Dead letters leave the consumer's pending list: move them before
	// measuring what room it has left for new entries.
	l.moveDeadLetters(g)
	if room, limited := g.Room(c); limited && !q.full {
		switch {
		case room == 0:
			q.full = true
		case q.count <= 0 || room < q.count:
			q.count = room
		}
	}
	return q
}

// queueWakeAt returns when a consumer blocked on g should be retried
// because a redelivery it may be served falls due (0: no such time; see
// Group.NextDueFor: at MAXPENDING, only its own entries count, and an ack,
// which signals the key, is what lets it have others).
func queueWakeAt(g *streams.Group, consumer []byte) int64 {
	if !g.Queued() {
		return 0
	}
	due, ok := g.NextDueFor(g.Consumer(string(consumer)))
	if !ok {
		return 0
	}
	return max(due, 1)
}

// queueReady reports whether a blocked ">" reader named consumer would be
// served now by the queue policy: a due entry it may take, or new entries
// now that an ack gave it room under MAXPENDING (a plain reader waits for
// new entries to be added; one held back by MAXPENDING was waiting for
// room).
func queueReady(g *streams.Group, consumer []byte, nowMs int64) bool {
	if at := queueWakeAt(g, consumer); at > 0 && at <= nowMs {
		return true
	}
	if c := g.Consumer(string(consumer)); c != nil {
		if room, limited := g.Room(c); limited && room > 0 && g.HasNew() {
			return true
		}
	}
	return false
}

// redeliveredEntries turns redelivered entries into plain deliveries, for
// a read without CLAIM.
func redeliveredEntries(cs []streams.IdleClaim) []streams.Delivery {
	ds := make([]streams.Delivery, len(cs))
	for i, c := range cs {
		ds[i] = c.Delivery
	}
	return ds
}
