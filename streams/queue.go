package streams

import (
	"math"
)

// Queue semantics beyond Redis (Spool's XQ. commands): a group's Policy,
// the due index that finds pending entries to redeliver, dead letters and
// the group's delivery counters.
//
// Nothing here runs on its own: an entry is redelivered or dead-lettered
// when a consumer of the group asks for entries (XREADGROUP ">") or claims
// them (XCLAIM, XAUTOCLAIM, XREADGROUP ... CLAIM, history reads), and the
// caller moves dead letters to the DLQ stream, another key. A group without
// a policy and without XQ.NACK delays behaves exactly as in Redis.

// Policy is a group's queue policy (XQ.POLICY SET). The zero value has no
// effect but still dead-letters entries marked FATAL by XNACK.
type Policy struct {
	// AckWait is how long (ms) a delivered entry may stay unacknowledged
	// before the group's next XREADGROUP ">" serves it again, to whichever
	// consumer asks. 0: no timed redelivery (unless Backoff is set).
	AckWait int64
	// Backoff, when not empty, replaces AckWait: after the n-th delivery an
	// entry is due again Backoff[n-1] ms later, the last step repeating.
	Backoff []int64
	// MaxDeliver is how many deliveries an entry may have: the delivery
	// that would be the (MaxDeliver+1)-th moves it to the DLQ instead. 0: no
	// limit.
	MaxDeliver int64
	// DLQ is the dead-letter stream's key; "" means "<key>:dlq".
	DLQ string
	// MaxPending is how many pending entries a consumer may hold before it
	// gets no more (new or redelivered) until it acks. 0: no limit.
	MaxPending int64
}

// timed reports whether the policy redelivers entries after a wait.
func (p *Policy) timed() bool { return p != nil && (p.AckWait > 0 || len(p.Backoff) > 0) }

// wait returns how long after its last delivery an entry delivered count
// times is due again.
func (p *Policy) wait(count int64) int64 {
	if len(p.Backoff) == 0 {
		return p.AckWait
	}
	i := min(max(count-1, 0), int64(len(p.Backoff)-1))
	return p.Backoff[i]
}

// GroupStats are a group's delivery counters (XQ.STATS). They are kept for
// every group, policy or not, and are part of its durable state.
//
// Deliveries are counted where a delivery raises an entry's delivery
// count (a new entry read, a history read, a claim, a redelivery): the rule
// depends only on the PEL before and after, so replaying the logged XCLAIM
// forms counts exactly what the original commands counted. NOACK reads,
// which leave no PEL entry, are not counted.
type GroupStats struct {
	// Delivered counts deliveries into the PEL, first ones and repeats.
	Delivered int64
	// Redelivered counts the deliveries that were not an entry's first.
	Redelivered int64
	// Acked counts pending entries removed by XACK (and XACKDEL), and those
	// a claim dropped because their stream entry was deleted (which Redis
	// logs as an XACK).
	Acked int64
	// DeadLettered counts entries moved to the DLQ.
	DeadLettered int64
}

// Stats returns the group's counters.
func (g *Group) Stats() GroupStats { return g.stats }

// SetStats replaces the group's counters (loading snapshots).
func (g *Group) SetStats(st GroupStats) { g.stats = st }

// Policy returns a copy of the group's policy, or false if it has none.
func (g *Group) Policy() (Policy, bool) {
	if g.policy == nil {
		return Policy{}, false
	}
	p := *g.policy
	p.Backoff = append([]int64(nil), p.Backoff...)
	return p, true
}

// SetPolicy sets the group's policy (a copy of p) and re-indexes the PEL
// by due time. It costs O(n log n) for n pending entries.
func (g *Group) SetPolicy(p Policy) {
	p.Backoff = append([]int64(nil), p.Backoff...)
	g.policy = &p
	g.rebuildDue()
}

// DeletePolicy removes the group's policy and reports whether it had one.
// Delays given by NackDelay still apply.
func (g *Group) DeletePolicy() bool {
	had := g.policy != nil
	g.policy = nil
	g.rebuildDue()
	return had
}

// ---------------------------------------------------------------------------
// The due index

// dueItem is an entry of the due index: the entry id was due at due when
// it was pushed. Items are never updated in place: every change of a
// pending entry pushes a new item, and an item that no longer matches its
// PEL entry (acked, redelivered, due at another time) is stale and dropped
// when it reaches the top. This keeps every PEL change O(log n) without a
// back-pointer per entry.
type dueItem struct {
	due int64
	id  ID
}

// dueHeap is a binary min-heap of dueItems, earliest due first (ties in ID
// order). It is typed rather than built on container/heap, whose interface
// boxes every pushed item: with a policy every delivery pushes one, and the
// boxing was the feature's only allocation per entry.
type dueHeap []dueItem

func (h dueHeap) Len() int { return len(h) }

func (h dueHeap) less(i, j int) bool {
	if h[i].due != h[j].due {
		return h[i].due < h[j].due
	}
	return h[i].id.Less(h[j].id)
}

// push adds it.
func (h *dueHeap) push(it dueItem) {
	*h = append(*h, it)
	hh := *h
	for i := len(hh) - 1; i > 0; {
		parent := (i - 1) / 2
		if !hh.less(i, parent) {
			break
		}
		hh[i], hh[parent] = hh[parent], hh[i]
		i = parent
	}
}

// pop removes the earliest item; the heap must not be empty.
func (h *dueHeap) pop() dueItem {
	hh := *h
	top := hh[0]
	last := len(hh) - 1
	hh[0] = hh[last]
	hh = hh[:last]
	hh.down(0)
	*h = hh
	return top
}

func (h dueHeap) down(i int) {
	for {
		smallest, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h.less(l, smallest) {
			smallest = l
		}
		if r < len(h) && h.less(r, smallest) {
			smallest = r
		}
		if smallest == i {
			return
		}
		h[i], h[smallest] = h[smallest], h[i]
		i = smallest
	}
}

// init orders an arbitrary slice into a heap.
func (h dueHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

// dueOf returns when the pending entry p is due for redelivery: its
// XQ.NACK time if it has one; in a group with a policy, at once if XNACK
// released it (it has no owner); otherwise its last delivery plus the
// policy's wait. It reports false if it is never due (no policy, no
// delay; or an owned entry and no timed policy).
func (g *Group) dueOf(p *nack) (int64, bool) {
	switch {
	case p.redeliverAt != 0:
		return p.redeliverAt, true
	case g.policy != nil && p.consumer == nil:
		return p.deliveryTime, true
	case !g.policy.timed():
		return 0, false
	}
	return satAdd(p.deliveryTime, g.policy.wait(p.deliveryCount)), true
}

func satAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// noteDue records the current due time of the pending entry id (p) in the
// index, if the group keeps one. Every change of a PEL entry's delivery
// time, count, owner or delay calls it.
func (g *Group) noteDue(id ID, p *nack) {
	if g.due == nil {
		return
	}
	if due, ok := g.dueOf(p); ok {
		g.due.push(dueItem{due, id})
		// Stale items pile up as entries are delivered and acked; rebuild
		// when they outnumber the live ones, which keeps the index O(n)
		// in memory and amortised O(log n) per change.
		if g.due.Len() > 2*g.pel.Len()+1024 {
			g.rebuildDue()
		}
	}
}

// rebuildDue rebuilds the due index from the PEL, or drops it when nothing
// can become due (no policy, no delays). The index exists while the group
// has a policy or some entry an XQ.NACK delay.
func (g *Group) rebuildDue() {
	var items dueHeap
	for it := g.pel.first(); it.valid(); it.next() {
		p := it.val()
		if due, ok := g.dueOf(p); ok {
			items = append(items, dueItem{due, it.id()})
		}
	}
	if g.policy == nil && len(items) == 0 {
		g.due = nil
		return
	}
	items.init()
	g.due = &items
}

// peekDue returns the earliest live item of the index, dropping stale ones.
func (g *Group) peekDue() (dueItem, bool) {
	for g.due != nil && g.due.Len() > 0 {
		top := (*g.due)[0]
		if p := g.pel.get(top.id); p != nil {
			if due, ok := g.dueOf(p); ok && due == top.due {
				return top, true
			}
		}
		g.due.pop()
	}
	return dueItem{}, false
}

// NextDue returns the earliest time at which a pending entry of the group
// becomes due for redelivery, or false if none will without a change to
// the group. The server arms its one redelivery timer with it.
func (g *Group) NextDue() (int64, bool) {
	top, ok := g.peekDue()
	return top.due, ok
}

// HasDue reports whether some pending entry is due at nowMs.
func (g *Group) HasDue(nowMs int64) bool {
	due, ok := g.NextDue()
	return ok && due <= nowMs
}

// ---------------------------------------------------------------------------
// Delivery accounting and dead letters

// setDelivered gives the pending entry p (for id) a new delivery time and
// count, clears its delay, counts the delivery if the count rose (see
// GroupStats) and re-indexes it.
func (g *Group) setDelivered(id ID, p *nack, deliveryTime, count int64) {
	if count > p.deliveryCount {
		g.stats.Delivered++
		if count > 1 {
			g.stats.Redelivered++
		}
	}
	p.deliveryTime, p.deliveryCount, p.redeliverAt = deliveryTime, count, 0
	g.noteDue(id, p)
}

// Dead-letter reasons, the xq-reason field of a dead letter.
const (
	ReasonMaxDeliver = "maxdeliver"
	ReasonFatal      = "fatal"
)

// exhausted returns why the pending entry p must be dead-lettered instead
// of delivered again, or "" if it may be delivered. Only a group with a
// policy dead-letters: an entry marked FATAL by XNACK (delivery count
// LLONG_MAX) always, any other once it has MaxDeliver deliveries.
func (g *Group) exhausted(p *nack) string {
	switch {
	case g.policy == nil:
		return ""
	case p.deliveryCount == math.MaxInt64:
		return ReasonFatal
	case g.policy.MaxDeliver > 0 && p.deliveryCount >= g.policy.MaxDeliver:
		return ReasonMaxDeliver
	}
	return ""
}

// DeadLetter is a pending entry that must move to the DLQ instead of being
// delivered again. Every delivery path (ReadHistory, Claim without JustID,
// AutoClaim without justID, ClaimIdle, Redeliver) checks the entry first
// and, instead of delivering it, queues it in the group (TakeDeadLetters).
// The group still holds it: the caller appends it to the DLQ stream and
// then calls RemoveDeadLetter, or leaves it pending if it cannot (the DLQ
// key holds another type). An entry may be queued twice by two operations
// of one command; RemoveDeadLetter tells the second time.
type DeadLetter struct {
	// Entry is the entry as in the stream (fields shared with it: do not
	// modify them).
	Entry
	// Consumer is the entry's owner ("" for an unowned entry), Deliveries
	// its delivery count, Reason ReasonMaxDeliver or ReasonFatal.
	Consumer   string
	Deliveries int64
	Reason     string
}

// deadLetter returns the dead letter for the pending entry p (for id), or
// false if its stream entry is gone.
func (g *Group) deadLetter(id ID, p *nack, reason string) (DeadLetter, bool) {
	dl := DeadLetter{Consumer: p.consumer.Name(), Deliveries: p.deliveryCount, Reason: reason}
	found := g.stream.Range(id, id, 1, false, func(e Entry) bool {
		// Range reuses e.Fields between calls; the byte slices themselves
		// stay valid (they point into the stream's blocks).
		dl.Entry = Entry{ID: e.ID, Fields: append([][]byte(nil), e.Fields...)}
		return false
	}) == 1
	return dl, found
}

// queueDeadLetter queues the pending entry p (for id) as a dead letter and
// returns true if the policy does not let it be delivered again and its
// stream entry still exists (a deleted one is left to the caller's
// dropping path).
func (g *Group) queueDeadLetter(id ID, p *nack) bool {
	reason := g.exhausted(p)
	if reason == "" {
		return false
	}
	dl, found := g.deadLetter(id, p, reason)
	if found {
		g.dead = append(g.dead, dl)
	}
	return found
}

// TakeDeadLetters returns the dead letters queued by the operations since
// the last call, in the order they were found, and forgets them.
func (g *Group) TakeDeadLetters() []DeadLetter {
	dead := g.dead
	g.dead = nil
	return dead
}

// RemoveDeadLetter removes id from the PEL as moved to the DLQ: it counts
// as dead-lettered, not as acked. It reports whether id was pending.
// Effects: XQ.DEADLETTER, a replay-only command, calls it on replay.
func (g *Group) RemoveDeadLetter(id ID) bool {
	p := g.pel.get(id)
	if p == nil {
		return false
	}
	g.dropPending(id, p)
	g.stats.DeadLettered++
	return true
}

// dropDeleted removes the pending entry p (for id), whose stream entry is
// gone, counting it as acked (see GroupStats).
func (g *Group) dropDeleted(id ID, p *nack) {
	g.dropPending(id, p)
	g.stats.Acked++
}

// ---------------------------------------------------------------------------
// Redelivery, delays and leases

// RedeliverResult is what Redeliver did.
type RedeliverResult struct {
	// Redelivered are the entries delivered to the consumer, earliest due
	// first, with their PEL values after the delivery, the idle time they
	// had and their previous count (what XREADGROUP ... CLAIM replies).
	Redelivered []IdleClaim
	// Deleted are the pending entries dropped because their stream entry
	// was deleted (effects: XACK), as they were before; they do not use up
	// count.
	Deleted []PendingEntry
}

// Redeliver serves consumer c (see CreateConsumer) up to count (count <= 0:
// all) pending entries that are due at nowMs (see NextDue), earliest due
// first, whoever holds them: each moves to c with delivery time nowMs and
// its count incremented, exactly as if c had claimed it, and c's
// active-time becomes nowMs. room bounds how many entries c may take from
// other holders (room < 0: no bound; see Room); c's own due entries do not
// raise its pending count and are served whatever room, so that a consumer
// at MAXPENDING still gets its own entries again (and they still reach
// MAXDELIVER). Once room is used up, at most 64+10*count further due
// entries of others are passed over looking for c's own. An entry with as many deliveries as the
// policy allows (or marked FATAL) is queued as a dead letter instead (see
// TakeDeadLetters) and does not use up count. c's seen-time is left to the
// caller's read (ReadNew sets it).
//
// Effects: each redelivered entry as the XCLAIM form on Group; each
// deleted one as XACK; each dead letter as the DLQ append plus
// XQ.DEADLETTER.
func (g *Group) Redeliver(c *Consumer, count, room int, nowMs int64) RedeliverResult {
	g.mustOwn(c)
	var res RedeliverResult
	var skipped []dueItem // back into the index afterwards
	if g.due == nil {
		return res
	}
	passes := 64 + 10*max(count, 0)
	for count <= 0 || len(res.Redelivered) < count {
		top, ok := g.peekDue()
		if !ok || top.due > nowMs {
			break
		}
		g.due.pop()
		p := g.pel.get(top.id)
		if g.queueDeadLetter(top.id, p) {
			skipped = append(skipped, top)
			continue
		}
		if p.consumer != c && room == 0 {
			skipped = append(skipped, top)
			if passes--; passes <= 0 {
				break
			}
			continue
		}
		if p.consumer != c && room > 0 {
			room--
		}
		d := newDeliveries(1)
		if !d.fetch(g.stream, top.id, nowMs, p.deliveryCount+1) {
			res.Deleted = append(res.Deleted, g.pendingEntry(top.id, p))
			g.dropDeleted(top.id, p)
			continue
		}
		res.Redelivered = append(res.Redelivered, IdleClaim{
			Delivery:  d.out[0],
			Idle:      max(nowMs-p.deliveryTime, 0),
			PrevCount: p.deliveryCount,
		})
		g.moveTo(c, top.id, p)
		g.setDelivered(top.id, p, nowMs, p.deliveryCount+1)
		c.activeTime = nowMs
	}
	for _, it := range skipped {
		g.due.push(it)
	}
	return res
}

// NackDelay is XQ.NACK: each pending entry of ids becomes due for
// redelivery at redeliverAt (unix ms), keeping its owner, delivery time and
// count (the delivery that failed has been counted). IDs not pending are
// skipped. It returns how many were pending, an ID given twice counting
// twice.
//
// Effects: XQ.NACK key group PXAT redeliverAt IDS ... rebuilds the same
// state on replay.
func (g *Group) NackDelay(ids []ID, redeliverAt int64) int {
	redeliverAt = max(redeliverAt, 1) // 0 means "no delay"
	n := 0
	for _, id := range ids {
		p := g.pel.get(id)
		if p == nil {
			continue
		}
		if g.due == nil {
			g.due = &dueHeap{}
		}
		p.redeliverAt = redeliverAt
		g.noteDue(id, p)
		n++
	}
	return n
}

// Touch is XQ.TOUCH: each pending entry of ids gets delivery time nowMs and
// loses any XQ.NACK delay, so that its wait for redelivery starts again (a
// worker extending its lease). Owner and count do not change. IDs not
// pending are skipped. It returns how many were pending.
//
// Effects: XQ.TOUCH key group TIME nowMs IDS ... rebuilds the same state.
func (g *Group) Touch(ids []ID, nowMs int64) int {
	n := 0
	for _, id := range ids {
		p := g.pel.get(id)
		if p == nil {
			continue
		}
		p.deliveryTime, p.redeliverAt = nowMs, 0
		g.noteDue(id, p)
		n++
	}
	return n
}

// RedeliverAt returns the XQ.NACK time of a pending entry (0: none).
func (g *Group) RedeliverAt(id ID) int64 {
	if p := g.pel.get(id); p != nil {
		return p.redeliverAt
	}
	return 0
}

// setRedeliverAt restores an entry's XQ.NACK time (loading snapshots).
func (g *Group) setRedeliverAt(id ID, at int64) {
	if p := g.pel.get(id); p != nil {
		p.redeliverAt = at
	}
}

// OldestPending returns the lowest pending ID, or false if none is.
func (g *Group) OldestPending() (ID, bool) {
	if g.pel.Len() == 0 {
		return ID{}, false
	}
	it := g.pel.first()
	return it.id(), true
}

// Queued reports whether the group has a policy or XQ.NACK delays, that is
// whether anything beyond Redis's behaviour can happen to it. It is the
// cheap test every XREADGROUP makes first.
func (g *Group) Queued() bool { return g.policy != nil || g.due != nil }

// NextDueFor is NextDue for what consumer c may be served (see
// Redeliver): any due entry while c has room under MaxPending, only its own
// entries once it has none. That costs one step per entry c holds, which
// MaxPending bounds.
func (g *Group) NextDueFor(c *Consumer) (int64, bool) {
	room, limited := 0, false
	if c != nil {
		room, limited = g.Room(c)
	}
	if !limited || room > 0 {
		return g.NextDue()
	}
	next, found := int64(0), false
	for it := c.pel.first(); it.valid(); it.next() {
		if due, ok := g.dueOf(g.pel.get(it.id())); ok && (!found || due < next) {
			next, found = due, true
		}
	}
	return next, found
}

// Room returns how many more pending entries consumer c may take under the
// policy's MaxPending (never negative), or false if there is no limit.
func (g *Group) Room(c *Consumer) (int, bool) {
	if g.policy == nil || g.policy.MaxPending <= 0 {
		return 0, false
	}
	return int(max(g.policy.MaxPending-int64(c.pel.Len()), 0)), true
}
