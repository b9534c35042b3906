package streams

import "iter"

// Consumer is a member of a consumer group (Redis's streamConsumer): a name,
// the two times XINFO reports, and its own pending entries list, the IDs of
// the group PEL entries it owns.
//
// Times are unix milliseconds as the caller passed them:
//
//   - seen-time is the last attempted interaction: every XREADGROUP,
//     XCLAIM and XAUTOCLAIM naming the consumer sets it, whether or not it
//     got anything (Redis 7.2, #11099), and creation sets it.
//   - active-time is the last successful interaction: an XREADGROUP ">"
//     that put entries in its PEL (not with NOACK, not a history read) or
//     an X[AUTO]CLAIM that claimed something. It is -1 until then.
//
// A *Consumer stays valid until the consumer is deleted (DeleteConsumer) or
// its group destroyed; passing a deleted consumer to its group's methods
// panics, as does passing another group's.
type Consumer struct {
	group      *Group
	name       string
	seenTime   int64
	activeTime int64
	pel        idTree[struct{}]
}

// Name returns the consumer's name.
func (c *Consumer) Name() string {
	if c == nil { // the owner of an unowned (XNACKed) PEL entry
		return ""
	}
	return c.name
}

// SeenTime returns seen-time (XINFO STREAM FULL "seen-time").
func (c *Consumer) SeenTime() int64 { return c.seenTime }

// ActiveTime returns active-time (XINFO STREAM FULL "active-time"), -1 if
// the consumer never read or claimed anything.
func (c *Consumer) ActiveTime() int64 { return c.activeTime }

// Idle returns XINFO CONSUMERS "idle": milliseconds since seen-time, at
// least 0.
func (c *Consumer) Idle(nowMs int64) int64 {
	return max(nowMs-c.seenTime, 0)
}

// Inactive returns XINFO CONSUMERS "inactive": milliseconds since
// active-time, or -1 if the consumer was never active. As in Redis it is not
// clamped at 0.
func (c *Consumer) Inactive(nowMs int64) int64 {
	if c.activeTime == -1 {
		return -1
	}
	return nowMs - c.activeTime
}

// PendingCount returns the number of entries in the consumer's PEL
// (XINFO CONSUMERS "pending", XINFO STREAM FULL "pel-count").
func (c *Consumer) PendingCount() int { return c.pel.Len() }

// PEL iterates over the consumer's pending entries in ID order, starting at
// the first one with an ID >= start. The group must not be modified during
// the iteration.
func (c *Consumer) PEL(start ID) iter.Seq[PendingEntry] {
	return func(yield func(PendingEntry) bool) {
		for it := c.pel.seek(start); it.valid(); it.next() {
			id := it.id()
			if !yield(c.group.pendingEntry(id, c.group.pel.get(id))) {
				return
			}
		}
	}
}

// SetTimes sets seen-time and active-time (-1: never active) as they are,
// for loading a snapshot or replaying an effect that recorded them.
func (c *Consumer) SetTimes(seenTime, activeTime int64) {
	c.seenTime, c.activeTime = seenTime, activeTime
}
