package streams

import "math"

// NackMode is XNACK's mode (Redis 8.8): how releasing an entry changes its
// delivery count.
type NackMode uint8

const (
	// NackSilent decrements the delivery count (not below 0): the delivery
	// "did not count", as on a graceful shutdown.
	NackSilent NackMode = iota
	// NackFail keeps the delivery count: the consumer failed, maybe because
	// of the entry, maybe not.
	NackFail
	// NackFatal sets the delivery count to the maximum (LLONG_MAX): the
	// entry is poison.
	NackFatal
)

// NackOptions are XNACK's optional arguments. The zero value means none.
type NackOptions struct {
	// RetryCountGiven says that RETRYCOUNT was given: RetryCount (>= 0; the
	// commands layer refuses a negative one) becomes the delivery count,
	// whatever the mode.
	RetryCountGiven bool
	RetryCount      int64
	// Force creates an unowned PEL entry (delivery count 0 before the mode
	// applies) for an ID that is not pending, if the entry exists in the
	// stream.
	Force bool
}

// Nack is XNACK (Redis 8.8): each pending entry of ids, in order, loses its
// owner, gets delivery time 0 (so it is idle for any min-idle-time and
// immediately claimable by XCLAIM, XAUTOCLAIM and XREADGROUP ... CLAIM) and
// its delivery count set by mode or opts, and goes to the tail of the
// group's NACK zone: XREADGROUP ... CLAIM serves unowned entries first, in
// the order they were released. An ID that is not pending is skipped unless
// opts.Force and the entry is in the stream. An entry that is already
// unowned is released again (count adjusted, moved to the tail). It returns
// how many IDs were released, an ID given twice counting twice.
//
// No consumer's seen-time or active-time changes. Effects: the command as
// typed rebuilds the same state on replay (it depends on nothing but the
// group and the stream).
func (g *Group) Nack(ids []ID, mode NackMode, opts NackOptions) int {
	n := 0
	for _, id := range ids {
		p := g.pel.get(id)
		if p == nil {
			if !opts.Force || !g.stream.exists(id) {
				continue
			}
			p, _ = g.pel.set(id, nack{})
		}
		switch {
		case opts.RetryCountGiven:
			p.deliveryCount = opts.RetryCount
		case mode == NackSilent:
			p.deliveryCount = max(p.deliveryCount-1, 0)
		case mode == NackFatal:
			p.deliveryCount = math.MaxInt64
		}
		if p.consumer != nil {
			p.consumer.pel.delete(id)
			p.consumer = nil
		}
		p.deliveryTime, p.redeliverAt = 0, 0
		g.nackSeq++
		p.nackOrder = g.nackSeq
		g.noteDue(id, p)
		n++
	}
	return n
}

// NackedCount returns how many pending entries are unowned (released by
// XNACK and not claimed since): XINFO STREAM FULL's nacked-count. It costs
// one step per pending entry.
func (g *Group) NackedCount() int {
	n := 0
	for it := g.pel.first(); it.valid(); it.next() {
		if it.val().consumer == nil {
			n++
		}
	}
	return n
}

// setUnowned makes id an unowned pending entry with exactly this delivery
// time, count and NACK-zone order, taking it from its owner if it has one.
// It changes nothing else: it is for loading snapshots.
func (g *Group) setUnowned(id ID, deliveryTime, deliveryCount int64, order uint64) {
	p, _ := g.pel.upsert(id)
	if p.consumer != nil {
		p.consumer.pel.delete(id)
		p.consumer = nil
	}
	p.deliveryTime, p.deliveryCount, p.nackOrder, p.redeliverAt = deliveryTime, deliveryCount, order, 0
	g.nackSeq = max(g.nackSeq, order)
	g.noteDue(id, p)
}
