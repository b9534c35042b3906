package streams

import (
	"errors"
	"iter"
	"slices"
	"strings"
)

// ErrBusyGroup: CreateGroup was given the name of an existing group.
// Redis: "-BUSYGROUP Consumer Group name already exists" (the commands
// layer owns the text and its prefix).
var ErrBusyGroup = errors.New("streams: consumer group name already exists")

// UnknownEntriesRead is the entries-read value of a group whose logical read
// counter is unknown (Redis's SCG_INVALID_ENTRIES_READ); XINFO shows it as
// null.
const UnknownEntriesRead int64 = -1

// Group is a consumer group of a stream (Redis's streamCG), following
// t_stream.c of Redis 7.2: its last-delivered-id, its entries-read counter,
// its pending entries list (PEL) ordered by ID, and its consumers ordered by
// name byte-wise, as Redis's rax orders them. The entries themselves stay in
// the Stream; the group refers to them by ID.
//
// Times are unix milliseconds passed in by the caller (nowMs): nothing here
// reads a clock. Like Stream, a Group is not safe for concurrent use: the
// caller holds the keyspace lock.
//
// Replay. Every operation that changes a group is deterministic given its
// arguments and nowMs, and reports what it did, so that the commands layer
// can log effects that rebuild the same state (TestReplayEffects checks
// this recipe). Redis's own forms do it:
//
//   - a delivery or claim of entry id to consumer c (ReadNew without
//     NOACK, Claim, AutoClaim; each Delivery carries the values) is
//     XCLAIM key group c 0 id TIME <DeliveryTime> RETRYCOUNT <DeliveryCount>
//     FORCE JUSTID LASTID <LastID after the operation>, which Claim,
//     applied at a nowMs >= DeliveryTime, turns into exactly that PEL entry
//     and owner;
//   - a move of last-delivered-id by ReadNew (anything delivered), or by
//     Claim's LastID when nothing was claimed, is XGROUP SETID key group
//     <LastID> ENTRIESREAD <EntriesRead> (SetID): XCLAIM's LASTID does not
//     carry entries-read, so ReadNew needs it even without NOACK, as Redis
//     logs it since #12898;
//   - a PEL entry dropped by Claim or AutoClaim because its stream entry is
//     gone is XACK key group id (Redis logs an XCLAIM, which drops it too on
//     replay but touches the old owner's seen-time);
//   - a consumer created by CreateConsumer is XGROUP CREATECONSUMER.
//
// What those forms do not carry: consumer seen-time where nothing was
// claimed (NOACK and empty reads), and a history read's new delivery time
// and count, which Redis does not propagate at all. SetPending and
// Consumer.SetTimes set these directly, for exact replay and for loading
// snapshots.
type Group struct {
	stream      *Stream
	name        string
	lastID      ID
	entriesRead int64
	pel         idTree[nack]
	consumers   []*Consumer // sorted by name
	nackSeq     uint64      // the last nackOrder given (see Group.Nack)

	// Queue semantics (queue.go): the XQ.POLICY, the due index (nil when
	// nothing can become due), the counters, and dead letters found by the
	// last operations, waiting for the caller to move them.
	policy *Policy
	due    *dueHeap
	stats  GroupStats
	dead   []DeadLetter
}

// ---------------------------------------------------------------------------
// Groups of a stream

// CreateGroup adds a consumer group (XGROUP CREATE) with the given
// last-delivered-id and entries-read (UnknownEntriesRead, or any negative
// value, for unknown, which is what XGROUP CREATE without ENTRIESREAD
// gives). It returns ErrBusyGroup if the name is taken. Resolving "$" to
// LastID is the caller's job.
func (s *Stream) CreateGroup(name string, lastID ID, entriesRead int64) (*Group, error) {
	i, found := slices.BinarySearchFunc(s.groups, name, func(g *Group, name string) int {
		return strings.Compare(g.name, name)
	})
	if found {
		return nil, ErrBusyGroup
	}
	g := &Group{stream: s, name: name, lastID: lastID, entriesRead: normEntriesRead(entriesRead)}
	s.groups = slices.Insert(s.groups, i, g)
	return g, nil
}

// Group returns the consumer group with this name, or nil.
func (s *Stream) Group(name string) *Group {
	i, found := slices.BinarySearchFunc(s.groups, name, func(g *Group, name string) int {
		return strings.Compare(g.name, name)
	})
	if !found {
		return nil
	}
	return s.groups[i]
}

// DestroyGroup removes the group with this name, its consumers and its PEL
// (XGROUP DESTROY), and reports whether it existed.
func (s *Stream) DestroyGroup(name string) bool {
	i, found := slices.BinarySearchFunc(s.groups, name, func(g *Group, name string) int {
		return strings.Compare(g.name, name)
	})
	if !found {
		return false
	}
	s.groups = slices.Delete(s.groups, i, i+1)
	return true
}

// Groups iterates over the stream's groups in name order (byte-wise, as
// XINFO GROUPS lists them). Groups must not be created or destroyed during
// the iteration.
func (s *Stream) Groups() iter.Seq[*Group] { return slices.Values(s.groups) }

// GroupCount returns the number of groups (XINFO STREAM "groups").
func (s *Stream) GroupCount() int { return len(s.groups) }

func normEntriesRead(n int64) int64 {
	if n < 0 {
		return UnknownEntriesRead
	}
	return n
}

// ---------------------------------------------------------------------------
// Group state

// Name returns the group's name.
func (g *Group) Name() string { return g.name }

// LastID returns last-delivered-id.
func (g *Group) LastID() ID { return g.lastID }

// EntriesRead returns entries-read, the logical read counter of
// last-delivered-id, or UnknownEntriesRead.
func (g *Group) EntriesRead() int64 { return g.entriesRead }

// PendingCount returns the number of entries in the group's PEL.
func (g *Group) PendingCount() int { return g.pel.Len() }

// SetID applies XGROUP SETID: last-delivered-id becomes id and entries-read
// becomes entriesRead (a negative value, which is what SETID without
// ENTRIESREAD gives, makes it unknown). As in Redis 7.2 nothing is checked
// against the stream: id may be beyond its last ID, and entriesRead beyond
// entries-added. Resolving "$" to LastID is the caller's job.
func (g *Group) SetID(id ID, entriesRead int64) {
	g.lastID = id
	g.entriesRead = normEntriesRead(entriesRead)
}

// HasNew reports whether an XREADGROUP ">" would deliver something now: the
// stream has an entry after last-delivered-id.
func (g *Group) HasNew() bool {
	s := g.stream
	if s.length == 0 || !g.lastID.Less(s.lastID) {
		return false
	}
	top, _ := s.LastEntryID()
	return g.lastID.Less(top)
}

// Lag returns the number of entries not yet delivered to the group, and
// false when it cannot be known, where XINFO shows a null lag. It follows
// Redis 7.2's streamReplyWithCGLag with the lag fixes of 7.2.7 (#13338,
// #13473):
//
//   - 0 if the stream never had an entry, or has none now;
//   - the stream's length if both last-delivered-id and the greatest
//     deleted ID are before the first entry (trimming moved past them);
//   - entries-added minus entries-read if entries-read is known and no
//     XDEL happened at or after last-delivered-id;
//   - else entries-added minus an estimate of last-delivered-id's read
//     counter (estimateDistance), unknown if that is unknown.
func (g *Group) Lag() (int64, bool) {
	s := g.stream
	switch {
	case s.entriesAdded == 0, s.length == 0:
		return 0, true
	case g.lastID.Less(s.firstID) && s.maxDeletedID.Less(s.firstID):
		return int64(s.length), true
	case g.entriesRead != UnknownEntriesRead && !s.rangeHasTombstones(g.lastID):
		return int64(s.entriesAdded) - g.entriesRead, true
	}
	if n := s.estimateDistance(g.lastID); n != UnknownEntriesRead {
		return int64(s.entriesAdded) - n, true
	}
	return 0, false
}

// exists reports whether an entry with this ID exists, like Contains. It
// goes through Range because block.seek walks a block in one decoding pass
// where Contains' findLive takes two, which makes JUSTID claims twice as
// fast.
func (s *Stream) exists(id ID) bool {
	return s.Range(id, id, 1, false, func(Entry) bool { return false }) == 1
}

// rangeHasTombstones is streamRangeHasTombstones(s, start, NULL): whether an
// entry at or after start may have been removed by XDEL. Since Redis 7.2.7
// (#13338) it does not assume that tombstones before the first entry do not
// matter: one may still lie after start.
func (s *Stream) rangeHasTombstones(start ID) bool {
	if s.length == 0 || s.maxDeletedID.IsZero() {
		return false
	}
	return !s.maxDeletedID.Less(start)
}

// estimateDistance is streamEstimateDistanceFromFirstEverEntry: the logical
// read counter of id (how many entries were ever added up to and including
// it), when the stream's counters can tell, else UnknownEntriesRead.
func (s *Stream) estimateDistance(id ID) int64 {
	added := int64(s.entriesAdded)
	if added == 0 {
		return 0
	}
	if s.length == 0 && !s.lastID.Less(id) {
		return added
	}
	// A tombstone after id: the entries between are not countable (#13338).
	if !id.IsZero() && id.Less(s.maxDeletedID) {
		return UnknownEntriesRead
	}
	switch id.Compare(s.lastID) {
	case 0:
		return added
	case 1:
		return UnknownEntriesRead
	}
	if s.maxDeletedID.IsZero() || s.maxDeletedID.Less(s.firstID) {
		// No fragmentation: every entry since the first one is still here.
		switch id.Compare(s.firstID) {
		case -1:
			return added - int64(s.length)
		case 0:
			return added - int64(s.length) + 1
		}
	}
	return UnknownEntriesRead
}

// advance moves last-delivered-id to id (greater than it) and keeps
// entries-read, as streamReplyWithRange does for each new entry delivered:
// it counts one more read while the counter is valid, no XDEL happened at or
// after last-delivered-id (7.2.7, #13338) and last-delivered-id is not
// before the first entry; otherwise it re-derives the counter from the
// stream's. The last condition is Redis's #13958 (2025): without it a group
// that a trim overtook goes on counting from its stale counter and reports
// a lag that never drains (XTRIM MAXLEN 1 past it, read the rest: lag 3
// instead of 0). It is in current Redis; whether a 7.2 patch release has it
// is not established, so dropping it is the one change that gives 7.2.7's
// exact behaviour ("lag with XTRIM" in lag_test.go shows the difference).
func (g *Group) advance(id ID) {
	s := g.stream
	if g.entriesRead != UnknownEntriesRead && !g.lastID.Less(s.firstID) && !s.rangeHasTombstones(g.lastID) {
		g.entriesRead++
	} else if s.entriesAdded != 0 {
		g.entriesRead = s.estimateDistance(id)
	}
	g.lastID = id
}

// ---------------------------------------------------------------------------
// Consumers

func (g *Group) findConsumer(name string) (int, bool) {
	return slices.BinarySearchFunc(g.consumers, name, func(c *Consumer, name string) int {
		return strings.Compare(c.name, name)
	})
}

// Consumer returns the consumer with this name, or nil. Looking a consumer
// up changes nothing.
func (g *Group) Consumer(name string) *Consumer {
	i, found := g.findConsumer(name)
	if !found {
		return nil
	}
	return g.consumers[i]
}

// CreateConsumer returns the consumer with this name, creating it if needed
// with seen-time nowMs and active-time -1, and reports whether it created
// it. An existing consumer is returned unchanged. XGROUP CREATECONSUMER
// replies with created; XREADGROUP, XCLAIM and XAUTOCLAIM call it before
// operating (Redis 7.2 creates the consumer even if nothing is read or
// claimed), and a caller that logs effects logs XGROUP CREATECONSUMER when
// created is true.
func (g *Group) CreateConsumer(name string, nowMs int64) (c *Consumer, created bool) {
	i, found := g.findConsumer(name)
	if found {
		return g.consumers[i], false
	}
	c = &Consumer{group: g, name: name, seenTime: nowMs, activeTime: -1}
	g.consumers = slices.Insert(g.consumers, i, c)
	return c, true
}

// DeleteConsumer removes the consumer with this name and its pending
// entries, from its PEL and the group's (XGROUP DELCONSUMER). It returns how
// many entries it had pending, and whether it existed (0, false if not).
func (g *Group) DeleteConsumer(name string) (pending int, deleted bool) {
	i, found := g.findConsumer(name)
	if !found {
		return 0, false
	}
	c := g.consumers[i]
	pending = c.pel.Len()
	for it := c.pel.first(); it.valid(); it.next() {
		g.pel.delete(it.id())
	}
	c.pel = idTree[struct{}]{}
	c.group = nil // a later use of c with the group panics instead of corrupting it
	g.consumers = slices.Delete(g.consumers, i, i+1)
	return pending, true
}

// Consumers iterates over the group's consumers in name order (byte-wise,
// as XINFO CONSUMERS and XPENDING list them). Consumers must not be created
// or deleted during the iteration.
func (g *Group) Consumers() iter.Seq[*Consumer] { return slices.Values(g.consumers) }

// ConsumerCount returns the number of consumers (XINFO GROUPS "consumers").
func (g *Group) ConsumerCount() int { return len(g.consumers) }

func (g *Group) mustOwn(c *Consumer) {
	if c == nil || c.group != g {
		panic("streams: consumer does not belong to this group")
	}
}

// ---------------------------------------------------------------------------
// Reading

// Delivery is an entry handed to a consumer by a read or a claim.
type Delivery struct {
	// Entry is the entry. Fields is nil when the entry no longer exists
	// (history reads only: the reply shows its ID with a null body) or was
	// not fetched (JUSTID claims). Otherwise the byte slices are shared with
	// the stream and must not be modified.
	Entry
	// DeliveryTime and DeliveryCount are the entry's PEL values after this
	// delivery: what an XCLAIM ... TIME RETRYCOUNT effect must carry. Both
	// are 0 for NOACK reads and for deleted entries.
	DeliveryTime  int64
	DeliveryCount int64
}

// deliveries collects Delivery values, with the fields of all entries in
// one shared slab. Nothing is allocated until the first entry.
type deliveries struct {
	out    []Delivery
	fields [][]byte
	hint   int // expected number of entries, 0 if unknown
}

// newDeliveries sizes the result for count entries (count <= 0: unknown).
func newDeliveries(count int) deliveries {
	return deliveries{hint: min(max(count, 0), 1024)}
}

func (d *deliveries) add(e Entry, deliveryTime, deliveryCount int64) {
	if d.out == nil && d.hint > 0 {
		d.out = make([]Delivery, 0, d.hint)
	}
	var fields [][]byte
	if e.Fields != nil {
		if d.fields == nil && d.hint > 0 {
			// Guess that the entries look alike, as they usually do.
			d.fields = make([][]byte, 0, len(e.Fields)*d.hint)
		}
		start := len(d.fields)
		d.fields = append(d.fields, e.Fields...)
		fields = d.fields[start:len(d.fields):len(d.fields)]
	}
	d.out = append(d.out, Delivery{Entry{e.ID, fields}, deliveryTime, deliveryCount})
}

// fetch adds the live entry with this ID and reports whether it exists.
func (d *deliveries) fetch(s *Stream, id ID, deliveryTime, deliveryCount int64) bool {
	return s.Range(id, id, 1, false, func(e Entry) bool {
		d.add(e, deliveryTime, deliveryCount)
		return false
	}) == 1
}

// ReadNew is XREADGROUP with the ID ">" for consumer c (see CreateConsumer):
// it delivers up to count entries (count <= 0: all) that come after
// last-delivered-id, in ID order. For each entry it moves last-delivered-id
// and entries-read (see advance) and, unless noack, puts the entry in the
// PEL with delivery time nowMs and count 1, owned by c; an entry already in
// the PEL (last-delivered-id was moved back by SETID) is taken over the
// same way. c's seen-time becomes nowMs in any case, its active-time if
// some entry entered its PEL.
//
// Effects: each delivery as the XCLAIM form described on Group (TIME nowMs
// RETRYCOUNT 1) unless noack, then, if anything was delivered, XGROUP SETID
// with LastID and EntriesRead.
func (g *Group) ReadNew(c *Consumer, count int, noack bool, nowMs int64) []Delivery {
	g.mustOwn(c)
	c.seenTime = nowMs
	s := g.stream
	if s.length == 0 || !g.lastID.Less(s.lastID) {
		return nil // nothing after last-delivered-id, even deleted
	}
	start, _ := g.lastID.Next() // lastID < s.lastID: not MaxID
	d := newDeliveries(count)
	s.Range(start, MaxID, count, false, func(e Entry) bool {
		g.advance(e.ID)
		if noack {
			d.add(e, 0, 0)
			return true
		}
		g.deliverNew(c, e.ID, nowMs)
		d.add(e, nowMs, 1)
		return true
	})
	return d.out
}

// deliverNew makes id pending for c with delivery time nowMs and count 1.
func (g *Group) deliverNew(c *Consumer, id ID, nowMs int64) {
	p, added := g.pel.upsert(id)
	if !added && p.consumer != nil { // nil: an unowned (XNACKed) entry
		p.consumer.pel.delete(id)
	}
	p.consumer, p.nackOrder = c, 0
	c.pel.set(id, struct{}{})
	g.setDelivered(id, p, nowMs, 1)
	c.activeTime = nowMs
}

// ReadHistory is XREADGROUP with an ID other than ">": it returns up to
// count (count <= 0: all) of c's own pending entries with an ID >= start, in
// ID order. XREADGROUP serves IDs greater than the one given, so it passes
// that ID's Next() as start. An entry still in the stream has its delivery
// time set to nowMs and its delivery count incremented (Redis 7.2 does,
// without propagating it); an entry deleted from the stream comes back with
// nil Fields and is left unchanged. c's seen-time becomes nowMs; its
// active-time does not change. An entry the group's policy does not let
// be delivered again is left out and queued as a dead letter (see
// TakeDeadLetters).
func (g *Group) ReadHistory(c *Consumer, start ID, count int, nowMs int64) []Delivery {
	g.mustOwn(c)
	c.seenTime = nowMs
	d := newDeliveries(count)
	for it := c.pel.seek(start); it.valid() && (count <= 0 || len(d.out) < count); it.next() {
		id := it.id()
		p := g.pel.get(id)
		if g.queueDeadLetter(id, p) {
			continue
		}
		if !d.fetch(g.stream, id, nowMs, p.deliveryCount+1) {
			d.add(Entry{ID: id}, 0, 0)
			continue
		}
		g.setDelivered(id, p, nowMs, p.deliveryCount+1)
	}
	return d.out
}

// Ack removes these IDs from the PEL (XACK) and returns how many were
// pending. IDs not pending, repeated ones included, are ignored.
func (g *Group) Ack(ids ...ID) int {
	n := 0
	for _, id := range ids {
		if p, ok := g.pel.delete(id); ok {
			if p.consumer != nil { // nil: an unowned (XNACKed) entry
				p.consumer.pel.delete(id)
			}
			n++
		}
	}
	g.stats.Acked += int64(n)
	return n
}

// ---------------------------------------------------------------------------
// Claiming

// ClaimOptions are XCLAIM's options. The zero value means none given.
type ClaimOptions struct {
	// TimeGiven says that IDLE or TIME was given; Time is then the delivery
	// time to set: TIME's value, or nowMs minus IDLE's (int64 arithmetic; if
	// both are given the last one wins, as in Redis). A Time that is negative
	// or after nowMs is replaced by nowMs. Without them the time is nowMs.
	TimeGiven bool
	Time      int64
	// RetryCountGiven says that RETRYCOUNT was given; RetryCount >= 0 then
	// becomes the delivery count (a negative one is ignored, as in Redis).
	// Otherwise the count is incremented, unless JustID.
	RetryCountGiven bool
	RetryCount      int64
	// Force creates a PEL entry for an ID that is not pending, if the entry
	// exists in the stream.
	Force bool
	// JustID leaves the delivery count alone and does not fetch the entries.
	JustID bool
	// LastID moves last-delivered-id up to it if it is greater (entries-read
	// does not change). The zero ID, never greater, means not given.
	LastID ID
}

// ClaimResult is what Claim did.
type ClaimResult struct {
	// Claimed are the claimed entries in the order their IDs were given
	// (an ID given twice can be claimed twice); Fields are nil with JustID.
	Claimed []Delivery
	// Deleted are the PEL entries dropped because their entry is no longer
	// in the stream, as they were before (Redis 7.0+ drops them and does not
	// reply with them).
	Deleted []PendingEntry
	// LastIDMoved says that LastID moved last-delivered-id.
	LastIDMoved bool
}

// Claim is XCLAIM for consumer c (see CreateConsumer), following
// xclaimCommand: LastID is applied first; then, for each ID in order:
//
//   - if the entry is not in the stream, its PEL entry (if any) is dropped
//     and reported in Deleted;
//   - if it is not pending, nothing happens, unless Force, which creates a
//     PEL entry (delivery count 1 before the increment below, so 2 without
//     RetryCount or JustID, as in Redis);
//   - a pending entry idle for less than minIdle (minIdle > 0; not checked
//     for one Force just created) is skipped;
//   - otherwise it moves to c with the delivery time of the options and its
//     count set or incremented (see ClaimOptions), and c's active-time
//     becomes nowMs.
//
// c's seen-time becomes nowMs in any case.
//
// Effects: each claimed entry as the XCLAIM form on Group, each deleted one
// as XACK of its ID (Redis logs an XCLAIM of it, which drops it on replay
// too but touches its owner's seen-time), and, if LastIDMoved and nothing
// was claimed, XGROUP SETID with LastID and EntriesRead (otherwise the
// XCLAIMs' LASTID carries it).
func (g *Group) Claim(c *Consumer, minIdle int64, ids []ID, opts ClaimOptions, nowMs int64) ClaimResult {
	g.mustOwn(c)
	var res ClaimResult
	if g.lastID.Less(opts.LastID) {
		g.lastID = opts.LastID
		res.LastIDMoved = true
	}
	deliveryTime := nowMs
	if opts.TimeGiven && opts.Time >= 0 && opts.Time <= nowMs {
		deliveryTime = opts.Time
	}
	minIdle = max(minIdle, 0)
	c.seenTime = nowMs
	s := g.stream
	d := newDeliveries(len(ids))
	for _, id := range ids {
		p := g.pel.get(id)
		if p == nil && !opts.Force {
			// Not pending: nothing to claim, and nothing to drop whether the
			// entry exists or not.
			continue
		}
		// A new PEL entry (Force) is claimed whatever minIdle; an existing
		// one only if idle long enough.
		claim := p == nil || minIdle == 0 || nowMs-p.deliveryTime >= minIdle
		count := int64(1) // what a Force-created entry starts with
		if p != nil {
			count = p.deliveryCount
		}
		if opts.RetryCountGiven && opts.RetryCount >= 0 {
			count = opts.RetryCount
		} else if !opts.JustID {
			count++
		}
		if claim && !opts.JustID && p != nil && g.queueDeadLetter(id, p) {
			continue
		}
		// One stream lookup: fetching the entry tells whether it exists.
		var exists bool
		if claim && !opts.JustID {
			exists = d.fetch(s, id, deliveryTime, count)
		} else {
			exists = s.exists(id)
		}
		if !exists {
			if p != nil {
				res.Deleted = append(res.Deleted, g.pendingEntry(id, p))
				g.dropDeleted(id, p)
			}
			continue
		}
		if !claim {
			continue
		}
		if p == nil {
			p, _ = g.pel.set(id, nack{})
		}
		g.moveTo(c, id, p)
		g.setDelivered(id, p, deliveryTime, count)
		if opts.JustID {
			d.add(Entry{ID: id}, deliveryTime, count)
		}
		c.activeTime = nowMs
	}
	res.Claimed = d.out
	return res
}

// moveTo makes c the owner of the PEL entry p for id (p.consumer may be nil
// for an entry Force just created).
func (g *Group) moveTo(c *Consumer, id ID, p *nack) {
	if p.consumer == c {
		return
	}
	if p.consumer != nil {
		p.consumer.pel.delete(id)
	}
	c.pel.set(id, struct{}{})
	p.consumer = c
}

// dropPending removes the PEL entry p for id from the group and its owner.
func (g *Group) dropPending(id ID, p *nack) {
	owner := p.consumer
	g.pel.delete(id) // p is invalid from here
	// owner is nil for an unowned (XNACKed) entry.
	if owner != nil {
		owner.pel.delete(id)
	}
}

// AutoClaimResult is what AutoClaim did.
type AutoClaimResult struct {
	// Next is the cursor for the next call: the first PEL entry after the
	// last one examined, or 0-0 when the scan reached the end.
	Next ID
	// Claimed are the claimed entries in ID order; Fields are nil with
	// justID.
	Claimed []Delivery
	// Deleted are the PEL entries dropped because their entry is no longer
	// in the stream, in ID order, as they were before.
	Deleted []PendingEntry
}

// AutoClaim is XAUTOCLAIM for consumer c (see CreateConsumer), following
// xautoclaimCommand: it scans the PEL from start in ID order, examining at
// most count*10 entries and stopping once count entries were claimed or
// dropped (count must be >= 1; the commands layer enforces Redis's range).
// An entry no longer in the stream is dropped and reported in Deleted; one
// idle for less than minIdle (minIdle > 0) is skipped; any other moves to c
// with delivery time nowMs and, unless justID, its count incremented, and
// c's active-time becomes nowMs. c's seen-time becomes nowMs in any case.
//
// Effects: each claimed and each deleted entry as for Claim.
func (g *Group) AutoClaim(c *Consumer, minIdle int64, start ID, count int, justID bool, nowMs int64) AutoClaimResult {
	g.mustOwn(c)
	c.seenTime = nowMs
	minIdle = max(minIdle, 0)
	s := g.stream
	var res AutoClaimResult
	d := newDeliveries(count)
	attempts := int64(count) * 10
	it := g.pel.seek(start)
	for attempts > 0 && count > 0 && it.valid() {
		attempts--
		id, p := it.id(), it.val()
		claim := minIdle == 0 || nowMs-p.deliveryTime >= minIdle
		newCount := p.deliveryCount
		if !justID {
			newCount++
		}
		if claim && !justID && g.queueDeadLetter(id, p) {
			count--
			it.next()
			continue
		}
		// One stream lookup: fetching the entry tells whether it exists.
		var exists bool
		if claim && !justID {
			exists = d.fetch(s, id, nowMs, newCount)
		} else {
			exists = s.exists(id)
		}
		if !exists {
			res.Deleted = append(res.Deleted, g.pendingEntry(id, p))
			g.dropDeleted(id, p)
			count--
			it = g.pel.seek(id) // the tree changed: find the entry after id
			continue
		}
		it.next() // claiming changes values and consumers' trees, not this tree
		if !claim {
			continue
		}
		g.moveTo(c, id, p)
		g.setDelivered(id, p, nowMs, newCount)
		if justID {
			d.add(Entry{ID: id}, nowMs, newCount)
		}
		count--
		c.activeTime = nowMs
	}
	if it.valid() {
		res.Next = it.id()
	}
	res.Claimed = d.out
	return res
}

// ---------------------------------------------------------------------------
// Inspecting and restoring the PEL

// PendingEntry is one entry of a PEL.
type PendingEntry struct {
	ID ID
	// Consumer owns the entry.
	Consumer *Consumer
	// DeliveryTime is the unix ms time of the last delivery.
	DeliveryTime int64
	// DeliveryCount is the number of deliveries.
	DeliveryCount int64
}

// Idle returns XPENDING's idle time of the entry: milliseconds since its
// last delivery, at least 0.
func (p PendingEntry) Idle(nowMs int64) int64 { return max(nowMs-p.DeliveryTime, 0) }

func (g *Group) pendingEntry(id ID, p *nack) PendingEntry {
	return PendingEntry{ID: id, Consumer: p.consumer, DeliveryTime: p.deliveryTime, DeliveryCount: p.deliveryCount}
}

// PendingEntry returns the PEL entry for id, or false if it is not pending.
func (g *Group) PendingEntry(id ID) (PendingEntry, bool) {
	p := g.pel.get(id)
	if p == nil {
		return PendingEntry{}, false
	}
	return g.pendingEntry(id, p), true
}

// PEL iterates over the group's pending entries in ID order, starting at the
// first one with an ID >= start (XINFO STREAM FULL, snapshots). The group
// must not be modified during the iteration.
func (g *Group) PEL(start ID) iter.Seq[PendingEntry] {
	return func(yield func(PendingEntry) bool) {
		for it := g.pel.seek(start); it.valid(); it.next() {
			if !yield(g.pendingEntry(it.id(), it.val())) {
				return
			}
		}
	}
}

// PendingSummary is the reply of XPENDING key group.
type PendingSummary struct {
	// Count is the number of pending entries; First and Last are the
	// smallest and greatest pending IDs when Count > 0.
	Count       int
	First, Last ID
	// Consumers lists the consumers that have pending entries, in name
	// order, with how many.
	Consumers []ConsumerPending
}

// ConsumerPending is a consumer and its number of pending entries.
type ConsumerPending struct {
	Consumer *Consumer
	Count    int
}

// PendingSummary returns XPENDING's summary form. It costs O(log n) plus
// one step per consumer.
func (g *Group) PendingSummary() PendingSummary {
	sum := PendingSummary{Count: g.pel.Len()}
	if sum.Count == 0 {
		return sum
	}
	first := g.pel.first()
	sum.First = first.id()
	sum.Last, _ = g.pel.last()
	for _, c := range g.consumers {
		if n := c.pel.Len(); n > 0 {
			sum.Consumers = append(sum.Consumers, ConsumerPending{c, n})
		}
	}
	return sum
}

// PendingRange returns XPENDING's extended form: up to count pending
// entries with start <= ID <= end in ID order, only those of consumer c if
// c is not nil, and only those idle for at least minIdle ms if minIdle is
// not 0 (as in Redis, a negative minIdle filters nothing out in practice).
// Exclusive bounds are the caller's (ParseIntervalID), and so is XPENDING's
// reply for a consumer name that does not exist (an empty array: do not
// call with nil then). count <= 0 returns nothing. The cost is O(log n)
// plus one step per entry examined: entries filtered out by minIdle are
// examined too, as in Redis.
func (g *Group) PendingRange(start, end ID, count int, c *Consumer, minIdle, nowMs int64) []PendingEntry {
	if count <= 0 || end.Less(start) {
		return nil
	}
	var out []PendingEntry
	add := func(id ID, p *nack) bool {
		if minIdle != 0 && nowMs-p.deliveryTime < minIdle {
			return true
		}
		if out == nil {
			out = make([]PendingEntry, 0, min(count, 128))
		}
		out = append(out, g.pendingEntry(id, p))
		return len(out) < count
	}
	if c != nil {
		g.mustOwn(c)
		for it := c.pel.seek(start); it.valid() && !end.Less(it.id()); it.next() {
			if !add(it.id(), g.pel.get(it.id())) {
				break
			}
		}
		return out
	}
	for it := g.pel.seek(start); it.valid() && !end.Less(it.id()); it.next() {
		if !add(it.id(), it.val()) {
			break
		}
	}
	return out
}

// SetPending makes id pending for consumer c with exactly this delivery time
// and count, creating the PEL entry or taking it over from its owner. It
// changes nothing else (no consumer times, no check that the entry exists
// in the stream): it is for loading snapshots and for replaying effects
// that recorded a PEL entry's state, such as a history read.
func (g *Group) SetPending(c *Consumer, id ID, deliveryTime, deliveryCount int64) {
	g.mustOwn(c)
	p, _ := g.pel.upsert(id)
	g.moveTo(c, id, p)
	p.deliveryTime, p.deliveryCount, p.redeliverAt = deliveryTime, deliveryCount, 0
	g.noteDue(id, p)
}
