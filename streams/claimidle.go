package streams

import (
	"cmp"
	"slices"
)

// IdleClaim is a pending entry taken over by ClaimIdle (XREADGROUP ...
// CLAIM min-idle-time, Redis 8.4).
type IdleClaim struct {
	// Delivery is the entry with its PEL values after the claim (delivery
	// time nowMs, count incremented): what the XCLAIM effect carries.
	Delivery
	// Idle is the milliseconds since the previous delivery, and PrevCount
	// the delivery count before this claim: the two extra reply elements
	// ("milliseconds since the last time this entry was delivered" and
	// "number of times this entry was previously delivered").
	Idle      int64
	PrevCount int64
}

// idleCandidate is a PEL entry eligible for ClaimIdle.
type idleCandidate struct {
	id           ID
	deliveryTime int64
	unowned      bool   // released by XNACK
	nackOrder    uint64 // when unowned: its place in the NACK zone
}

// idleCandidates returns the PEL entries idle for at least minIdle ms (ms
// since their last delivery): first the unowned ones (released by XNACK,
// whatever their idle time) in the order they were released, as Redis 8.8
// serves its NACK zone first; then the others longest idle first, ties in
// ID order. It scans the whole PEL: Spool keeps no time index (Redis 8.4
// does).
func (g *Group) idleCandidates(minIdle, nowMs int64) []idleCandidate {
	var out []idleCandidate
	for it := g.pel.first(); it.valid(); it.next() {
		p := it.val()
		if p.consumer == nil || nowMs-p.deliveryTime >= minIdle {
			out = append(out, idleCandidate{it.id(), p.deliveryTime, p.consumer == nil, p.nackOrder})
		}
	}
	slices.SortFunc(out, func(a, b idleCandidate) int {
		switch {
		case a.unowned != b.unowned:
			if a.unowned {
				return -1
			}
			return 1
		case a.unowned:
			return cmp.Compare(a.nackOrder, b.nackOrder)
		case a.deliveryTime < b.deliveryTime:
			return -1
		case a.deliveryTime > b.deliveryTime:
			return 1
		}
		return a.id.Compare(b.id)
	})
	return out
}

// HasIdle reports whether some pending entry of the group has been idle
// for at least minIdle ms, that is whether ClaimIdle would examine one.
func (g *Group) HasIdle(minIdle, nowMs int64) bool {
	minIdle = max(minIdle, 0)
	for it := g.pel.first(); it.valid(); it.next() {
		if p := it.val(); p.consumer == nil || nowMs-p.deliveryTime >= minIdle {
			return true
		}
	}
	return false
}

// ClaimIdle is the claim phase of XREADGROUP ... CLAIM min-idle-time for
// consumer c (see CreateConsumer): it takes over up to count (count <= 0:
// all) pending entries of the group, whoever owns them (c included), that
// have been idle for at least minIdle ms (a negative minIdle counts as 0),
// longest idle first. Each claimed entry gets delivery time nowMs and its
// count incremented, moves to c, and c's active-time becomes nowMs. A
// pending entry whose stream entry is gone is dropped from the PEL and
// reported in deleted instead (as XAUTOCLAIM does); it does not use up
// count. c's seen-time becomes nowMs in any case.
//
// Effects: each claimed entry as the XCLAIM form on Group, each deleted
// one as XACK of its ID.
func (g *Group) ClaimIdle(c *Consumer, minIdle int64, count int, nowMs int64) (claimed []IdleClaim, deleted []PendingEntry) {
	g.mustOwn(c)
	c.seenTime = nowMs
	minIdle = max(minIdle, 0)
	s := g.stream
	for _, cand := range g.idleCandidates(minIdle, nowMs) {
		if count > 0 && len(claimed) >= count {
			break
		}
		p := g.pel.get(cand.id)
		if g.queueDeadLetter(cand.id, p) {
			continue
		}
		d := newDeliveries(1)
		if !d.fetch(s, cand.id, nowMs, p.deliveryCount+1) {
			deleted = append(deleted, g.pendingEntry(cand.id, p))
			g.dropDeleted(cand.id, p)
			continue
		}
		claimed = append(claimed, IdleClaim{
			Delivery:  d.out[0],
			Idle:      max(nowMs-p.deliveryTime, 0),
			PrevCount: p.deliveryCount,
		})
		g.moveTo(c, cand.id, p)
		g.setDelivered(cand.id, p, nowMs, p.deliveryCount+1)
		c.activeTime = nowMs
	}
	return claimed, deleted
}
