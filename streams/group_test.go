package streams

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// mid returns the ID ms-0.
func mid(ms uint64) ID { return ID{Ms: ms} }

// streamOf returns a stream with entries ms-0 for each ms, each with the
// field "f" and the value ms.
func streamOf(t testing.TB, ms ...uint64) *Stream {
	t.Helper()
	s := New()
	for _, m := range ms {
		mustAdd(t, s, mid(m), DefaultNodeLimits, "f", fmt.Sprint(m))
	}
	return s
}

func mustCreateGroup(t testing.TB, s *Stream, name string, last ID, entriesRead int64) *Group {
	t.Helper()
	g, err := s.CreateGroup(name, last, entriesRead)
	if err != nil {
		t.Fatalf("CreateGroup(%q): %v", name, err)
	}
	return g
}

func consumer(g *Group, name string, nowMs int64) *Consumer {
	c, _ := g.CreateConsumer(name, nowMs)
	return c
}

// checkGroup verifies that the group PEL and the consumers' PELs agree.
func checkGroup(t testing.TB, g *Group) {
	t.Helper()
	n := 0
	for c := range g.Consumers() {
		if c.group != g {
			t.Fatalf("consumer %q points to another group", c.name)
		}
		n += c.PendingCount()
		for it := c.pel.first(); it.valid(); it.next() {
			id := it.id()
			p := g.pel.get(id)
			if p == nil || p.consumer != c {
				t.Fatalf("%v in %q's PEL but not owned by it in the group PEL", id, c.name)
			}
		}
	}
	if n != g.PendingCount() {
		t.Fatalf("consumers have %d pending, group %d", n, g.PendingCount())
	}
	for p := range g.PEL(MinID) {
		if p.Consumer == nil || !p.Consumer.pel.has(p.ID) {
			t.Fatalf("%v pending in the group but not in its owner's PEL", p.ID)
		}
		if g.Consumer(p.Consumer.name) != p.Consumer {
			t.Fatalf("%v owned by a consumer not in the group", p.ID)
		}
	}
	if !slices.IsSortedFunc(g.consumers, func(a, b *Consumer) int { return strings.Compare(a.name, b.name) }) {
		t.Fatalf("consumers not sorted")
	}
}

// dumpGroup renders everything observable about a group.
func dumpGroup(g *Group) string {
	var b strings.Builder
	fmt.Fprintf(&b, "last=%v read=%d\n", g.LastID(), g.EntriesRead())
	for p := range g.PEL(MinID) {
		fmt.Fprintf(&b, "  pel %v %s t=%d n=%d\n", p.ID, p.Consumer.Name(), p.DeliveryTime, p.DeliveryCount)
	}
	for c := range g.Consumers() {
		fmt.Fprintf(&b, "  consumer %s seen=%d active=%d [", c.Name(), c.SeenTime(), c.ActiveTime())
		for p := range c.PEL(MinID) {
			fmt.Fprintf(&b, " %v", p.ID)
		}
		b.WriteString(" ]\n")
	}
	return b.String()
}

// pelString renders a group PEL as "id:owner:time:count ...".
func pelString(g *Group) string {
	var parts []string
	for p := range g.PEL(MinID) {
		parts = append(parts, fmt.Sprintf("%v:%s:%d:%d", p.ID, p.Consumer.Name(), p.DeliveryTime, p.DeliveryCount))
	}
	return strings.Join(parts, " ")
}

func deliveryIDs(ds []Delivery) string {
	var parts []string
	for _, d := range ds {
		s := d.ID.String()
		if d.Fields == nil {
			s += "(nil)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func pendingIDs(ps []PendingEntry) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, p.ID.String())
	}
	return strings.Join(parts, " ")
}

func TestGroupsOfAStream(t *testing.T) {
	s := New()
	names := []string{"b", "a", "B", "aa", "\xff", "", "a\x00"}
	for i, name := range names {
		g := mustCreateGroup(t, s, name, mid(uint64(i)), -1)
		if g.Name() != name || g.LastID() != mid(uint64(i)) || g.EntriesRead() != UnknownEntriesRead {
			t.Fatalf("new group %q: %q %v %d", name, g.Name(), g.LastID(), g.EntriesRead())
		}
	}
	if _, err := s.CreateGroup("a", MinID, 0); !errors.Is(err, ErrBusyGroup) {
		t.Fatalf("CreateGroup of an existing name: %v, want ErrBusyGroup", err)
	}
	var got []string
	for g := range s.Groups() {
		got = append(got, g.Name())
	}
	// Byte-wise, as Redis's rax orders them.
	want := []string{"", "B", "a", "a\x00", "aa", "b", "\xff"}
	if !slices.Equal(got, want) || s.GroupCount() != len(want) {
		t.Fatalf("groups %q, want %q", got, want)
	}
	if g := s.Group("aa"); g == nil || g.LastID() != mid(3) {
		t.Fatalf("Group(aa) = %v", g)
	}
	if s.Group("nope") != nil {
		t.Fatalf("Group of a missing name is not nil")
	}
	if !s.DestroyGroup("aa") || s.DestroyGroup("aa") || s.Group("aa") != nil || s.GroupCount() != 6 {
		t.Fatalf("DestroyGroup")
	}
	if g := mustCreateGroup(t, s, "x", MinID, 7); g.EntriesRead() != 7 {
		t.Fatalf("entries-read %d, want 7", g.EntriesRead())
	}
	if g := mustCreateGroup(t, s, "y", MinID, -5); g.EntriesRead() != UnknownEntriesRead {
		t.Fatalf("negative entries-read kept as %d", g.EntriesRead())
	}
}

func TestConsumers(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4)
	g := mustCreateGroup(t, s, "g", MinID, -1)
	bob, created := g.CreateConsumer("bob", 100)
	if !created || bob.Name() != "bob" || bob.SeenTime() != 100 || bob.ActiveTime() != -1 {
		t.Fatalf("new consumer: %v %q %d %d", created, bob.Name(), bob.SeenTime(), bob.ActiveTime())
	}
	if again, created := g.CreateConsumer("bob", 999); created || again != bob || bob.SeenTime() != 100 {
		t.Fatalf("CreateConsumer of an existing one must return it unchanged")
	}
	alice := consumer(g, "alice", 200)
	consumer(g, "Zed", 300)
	var names []string
	for c := range g.Consumers() {
		names = append(names, c.Name())
	}
	if !slices.Equal(names, []string{"Zed", "alice", "bob"}) || g.ConsumerCount() != 3 {
		t.Fatalf("consumers %q", names)
	}
	if g.Consumer("alice") != alice || g.Consumer("carol") != nil {
		t.Fatalf("Consumer lookup")
	}
	if bob.Idle(150) != 50 || bob.Idle(50) != 0 || bob.Inactive(150) != -1 {
		t.Fatalf("Idle/Inactive of a new consumer")
	}

	g.ReadNew(alice, 3, false, 1000)
	g.ReadNew(bob, 1, false, 2000)
	if alice.Inactive(1500) != 500 || alice.Inactive(900) != -100 {
		t.Fatalf("Inactive is not clamped: %d %d", alice.Inactive(1500), alice.Inactive(900))
	}
	if n, ok := g.DeleteConsumer("alice"); !ok || n != 3 {
		t.Fatalf("DeleteConsumer(alice) = %d, %v; want 3, true", n, ok)
	}
	checkGroup(t, g)
	if got := pelString(g); got != "4-0:bob:2000:1" {
		t.Fatalf("PEL after DELCONSUMER: %s", got)
	}
	if n, ok := g.DeleteConsumer("alice"); ok || n != 0 {
		t.Fatalf("DeleteConsumer of a missing consumer = %d, %v", n, ok)
	}
	if n, ok := g.DeleteConsumer("Zed"); !ok || n != 0 {
		t.Fatalf("DeleteConsumer of a consumer with nothing pending = %d, %v", n, ok)
	}
	if g.ConsumerCount() != 1 {
		t.Fatalf("%d consumers left", g.ConsumerCount())
	}
}

func TestReadNew(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4, 5)
	g := mustCreateGroup(t, s, "g", MinID, -1)
	alice := consumer(g, "alice", 100)
	bob := consumer(g, "bob", 100)

	ds := g.ReadNew(alice, 2, false, 1000)
	if deliveryIDs(ds) != "1-0 2-0" || string(ds[1].Fields[1]) != "2" || ds[0].DeliveryTime != 1000 || ds[0].DeliveryCount != 1 {
		t.Fatalf("ReadNew: %+v", ds)
	}
	if g.LastID() != mid(2) || g.EntriesRead() != 2 || pelString(g) != "1-0:alice:1000:1 2-0:alice:1000:1" {
		t.Fatalf("after ReadNew: %s", dumpGroup(g))
	}
	if alice.SeenTime() != 1000 || alice.ActiveTime() != 1000 {
		t.Fatalf("alice times %d %d", alice.SeenTime(), alice.ActiveTime())
	}

	// NOACK: last-delivered-id and entries-read move, nothing enters a PEL,
	// and the consumer is seen but not active.
	ds = g.ReadNew(bob, 0, true, 2000)
	if deliveryIDs(ds) != "3-0 4-0 5-0" || ds[0].DeliveryTime != 0 || ds[0].DeliveryCount != 0 {
		t.Fatalf("NOACK ReadNew: %+v", ds)
	}
	if g.LastID() != mid(5) || g.EntriesRead() != 5 || g.PendingCount() != 2 || bob.SeenTime() != 2000 || bob.ActiveTime() != -1 {
		t.Fatalf("after NOACK: %s", dumpGroup(g))
	}

	// Nothing new: only seen-time changes.
	if ds := g.ReadNew(bob, 10, false, 3000); ds != nil || bob.SeenTime() != 3000 || bob.ActiveTime() != -1 || g.HasNew() {
		t.Fatalf("ReadNew with nothing new: %v, %s", ds, dumpGroup(g))
	}

	// Entries after last-delivered-id that were deleted are skipped, and the
	// last entry being deleted means nothing is new even though the stream's
	// last ID is ahead.
	mustAdd(t, s, mid(6), DefaultNodeLimits, "f", "6")
	mustAdd(t, s, mid(7), DefaultNodeLimits, "f", "7")
	s.Delete(mid(7))
	if !g.HasNew() {
		t.Fatalf("HasNew with 6-0 unread")
	}
	if ds := g.ReadNew(bob, 10, false, 3500); deliveryIDs(ds) != "6-0" {
		t.Fatalf("ReadNew over a tombstone: %v", deliveryIDs(ds))
	}
	if g.HasNew() || g.ReadNew(bob, 10, false, 3600) != nil {
		t.Fatalf("only a deleted entry is after last-delivered-id")
	}

	// SETID back: entries are delivered again, and one pending for another
	// consumer is taken over with a fresh time and count.
	g.SetID(MinID, -1)
	ds = g.ReadNew(bob, 1, false, 4000)
	if deliveryIDs(ds) != "1-0" || ds[0].DeliveryCount != 1 {
		t.Fatalf("re-delivery: %+v", ds)
	}
	// entries-read is unknown: 7-0 was deleted after 1-0.
	if pelString(g) != "1-0:bob:4000:1 2-0:alice:1000:1 6-0:bob:3500:1" || g.LastID() != mid(1) || g.EntriesRead() != UnknownEntriesRead {
		t.Fatalf("after re-delivery: %s", dumpGroup(g))
	}
	checkGroup(t, g)
}

func TestReadNewRejectsAForeignConsumer(t *testing.T) {
	s := streamOf(t, 1)
	g1 := mustCreateGroup(t, s, "g1", MinID, -1)
	g2 := mustCreateGroup(t, s, "g2", MinID, -1)
	c := consumer(g2, "c", 0)
	defer func() {
		if recover() == nil {
			t.Fatalf("no panic")
		}
	}()
	g1.ReadNew(c, 1, false, 0)
}

func TestReadHistory(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4)
	g := mustCreateGroup(t, s, "g", MinID, -1)
	alice := consumer(g, "alice", 0)
	bob := consumer(g, "bob", 0)
	g.ReadNew(alice, 3, false, 1000)
	g.ReadNew(bob, 1, false, 1000)
	s.Delete(mid(2))

	// XREADGROUP ... 0 reads from 0-1.
	start, _ := MinID.Next()
	ds := g.ReadHistory(alice, start, 0, 5000)
	if deliveryIDs(ds) != "1-0 2-0(nil) 3-0" {
		t.Fatalf("history: %s", deliveryIDs(ds))
	}
	if ds[0].DeliveryTime != 5000 || ds[0].DeliveryCount != 2 || ds[1].DeliveryCount != 0 || string(ds[2].Fields[1]) != "3" {
		t.Fatalf("history deliveries: %+v", ds)
	}
	// Live entries are bumped, the deleted one is not; only alice's entries.
	if got := pelString(g); got != "1-0:alice:5000:2 2-0:alice:1000:1 3-0:alice:5000:2 4-0:bob:1000:1" {
		t.Fatalf("PEL after history read: %s", got)
	}
	if alice.SeenTime() != 5000 || alice.ActiveTime() != 1000 {
		t.Fatalf("history read must set seen-time only: %d %d", alice.SeenTime(), alice.ActiveTime())
	}
	// COUNT counts deleted entries too; start is inclusive.
	if ds := g.ReadHistory(alice, mid(2), 1, 6000); deliveryIDs(ds) != "2-0(nil)" {
		t.Fatalf("history from 2-0 count 1: %s", deliveryIDs(ds))
	}
	if ds := g.ReadHistory(alice, mid(3), 5, 6000); deliveryIDs(ds) != "3-0" || ds[0].DeliveryCount != 3 {
		t.Fatalf("history from 3-0: %+v", ds)
	}
	if ds := g.ReadHistory(alice, mid(9), 0, 6000); ds != nil {
		t.Fatalf("history past the end: %v", ds)
	}
	if ds := g.ReadHistory(consumer(g, "carol", 0), MinID, 0, 6000); ds != nil {
		t.Fatalf("history of a consumer with nothing pending: %v", ds)
	}
	checkGroup(t, g)
}

func TestAck(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4)
	g := mustCreateGroup(t, s, "g", MinID, -1)
	alice := consumer(g, "alice", 0)
	bob := consumer(g, "bob", 0)
	g.ReadNew(alice, 2, false, 1000)
	g.ReadNew(bob, 2, false, 1000)
	if n := g.Ack(mid(1), mid(1), mid(4), mid(9)); n != 2 {
		t.Fatalf("Ack = %d, want 2 (duplicates and unknown IDs do not count)", n)
	}
	if pelString(g) != "2-0:alice:1000:1 3-0:bob:1000:1" || alice.PendingCount() != 1 || bob.PendingCount() != 1 {
		t.Fatalf("after Ack: %s", dumpGroup(g))
	}
	if g.Ack() != 0 {
		t.Fatalf("Ack of nothing")
	}
	checkGroup(t, g)
}

func TestClaim(t *testing.T) {
	type claimCase struct {
		name    string
		before  func(s *Stream, g *Group)
		ids     []uint64
		minIdle int64
		opts    ClaimOptions
		now     int64
		claimed string // "id(count)@time ..." in order
		deleted string
		pel     string
		lastID  ID
		active  int64 // bob's active-time after
	}
	const base = "1-0:alice:1000:1 2-0:alice:1000:1 3-0:alice:1000:1"
	tests := []claimCase{
		{name: "idle enough: moves and counts", ids: []uint64{1}, minIdle: 500, now: 2000,
			claimed: "1-0(2)@2000", pel: "1-0:bob:2000:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "not idle enough: skipped", ids: []uint64{1}, minIdle: 1500, now: 2000,
			pel: base, active: -1},
		{name: "min-idle exactly reached", ids: []uint64{1}, minIdle: 1000, now: 2000,
			claimed: "1-0(2)@2000", pel: "1-0:bob:2000:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "negative min-idle is 0", ids: []uint64{2}, minIdle: -5, now: 1000,
			claimed: "2-0(2)@1000", pel: "1-0:alice:1000:1 2-0:bob:1000:2 3-0:alice:1000:1", active: 1000},
		{name: "JUSTID does not count", ids: []uint64{1}, opts: ClaimOptions{JustID: true}, now: 2000,
			claimed: "1-0(1)@2000", pel: "1-0:bob:2000:1 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "RETRYCOUNT sets the count", ids: []uint64{1, 2}, opts: ClaimOptions{RetryCountGiven: true, RetryCount: 7}, now: 2000,
			claimed: "1-0(7)@2000 2-0(7)@2000", pel: "1-0:bob:2000:7 2-0:bob:2000:7 3-0:alice:1000:1", active: 2000},
		{name: "RETRYCOUNT 0 with JUSTID", ids: []uint64{1}, opts: ClaimOptions{RetryCountGiven: true, JustID: true}, now: 2000,
			claimed: "1-0(0)@2000", pel: "1-0:bob:2000:0 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "negative RETRYCOUNT is ignored", ids: []uint64{1}, opts: ClaimOptions{RetryCountGiven: true, RetryCount: -3}, now: 2000,
			claimed: "1-0(2)@2000", pel: "1-0:bob:2000:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "TIME sets the delivery time", ids: []uint64{1}, opts: ClaimOptions{TimeGiven: true, Time: 1500}, now: 2000,
			claimed: "1-0(2)@1500", pel: "1-0:bob:1500:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "TIME 0 is kept", ids: []uint64{1}, opts: ClaimOptions{TimeGiven: true, Time: 0}, now: 2000,
			claimed: "1-0(2)@0", pel: "1-0:bob:0:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "TIME in the future becomes now", ids: []uint64{1}, opts: ClaimOptions{TimeGiven: true, Time: 9999}, now: 2000,
			claimed: "1-0(2)@2000", pel: "1-0:bob:2000:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "negative TIME becomes now", ids: []uint64{1}, opts: ClaimOptions{TimeGiven: true, Time: -1}, now: 2000,
			claimed: "1-0(2)@2000", pel: "1-0:bob:2000:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "IDLE as now minus idle", ids: []uint64{1}, opts: ClaimOptions{TimeGiven: true, Time: 2000 - 300}, now: 2000,
			claimed: "1-0(2)@1700", pel: "1-0:bob:1700:2 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "not pending, no FORCE: ignored", ids: []uint64{4}, now: 2000, pel: base, active: -1},
		{name: "FORCE creates the entry with count 2", ids: []uint64{4}, opts: ClaimOptions{Force: true}, now: 2000,
			claimed: "4-0(2)@2000", pel: base + " 4-0:bob:2000:2", active: 2000},
		{name: "FORCE JUSTID creates the entry with count 1", ids: []uint64{4}, opts: ClaimOptions{Force: true, JustID: true}, now: 2000,
			claimed: "4-0(1)@2000", pel: base + " 4-0:bob:2000:1", active: 2000},
		{name: "FORCE ignores min-idle for the entry it creates", ids: []uint64{4, 1}, minIdle: 1 << 40,
			opts: ClaimOptions{Force: true, RetryCountGiven: true, RetryCount: 3, TimeGiven: true, Time: 1200}, now: 2000,
			claimed: "4-0(3)@1200", pel: base + " 4-0:bob:1200:3", active: 2000},
		{name: "FORCE on an ID not in the stream: ignored", ids: []uint64{9}, opts: ClaimOptions{Force: true}, now: 2000,
			pel: base, active: -1},
		{name: "deleted entries are dropped from the PEL and reported",
			before: func(s *Stream, g *Group) { s.Delete(mid(2)); s.Delete(mid(4)) },
			ids:    []uint64{2, 3, 4}, opts: ClaimOptions{Force: true}, now: 2000,
			claimed: "3-0(2)@2000", deleted: "2-0", pel: "1-0:alice:1000:1 3-0:bob:2000:2", active: 2000},
		{name: "deleted entries are dropped even when min-idle is not reached",
			before: func(s *Stream, g *Group) { s.Delete(mid(1)) },
			ids:    []uint64{1, 2}, minIdle: 1 << 40, now: 2000,
			deleted: "1-0", pel: "2-0:alice:1000:1 3-0:alice:1000:1", active: -1},
		{name: "an ID given twice is claimed twice", ids: []uint64{1, 1}, now: 2000,
			claimed: "1-0(2)@2000 1-0(3)@2000", pel: "1-0:bob:2000:3 2-0:alice:1000:1 3-0:alice:1000:1", active: 2000},
		{name: "LASTID moves last-delivered-id up", ids: []uint64{1}, opts: ClaimOptions{LastID: mid(4)}, now: 2000,
			claimed: "1-0(2)@2000", pel: "1-0:bob:2000:2 2-0:alice:1000:1 3-0:alice:1000:1", lastID: mid(4), active: 2000},
		{name: "LASTID below last-delivered-id is ignored", opts: ClaimOptions{LastID: mid(2)}, now: 2000,
			pel: base, active: -1},
		{name: "LASTID moves even when nothing is claimed", ids: []uint64{9}, opts: ClaimOptions{LastID: ID{9, 9}}, now: 2000,
			pel: base, lastID: ID{9, 9}, active: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := streamOf(t, 1, 2, 3, 4)
			g := mustCreateGroup(t, s, "g", MinID, -1)
			alice := consumer(g, "alice", 0)
			g.ReadNew(alice, 3, false, 1000)
			bob := consumer(g, "bob", 0)
			if tc.before != nil {
				tc.before(s, g)
			}
			readBefore := g.EntriesRead()
			var ids []ID
			for _, m := range tc.ids {
				ids = append(ids, mid(m))
			}
			res := g.Claim(bob, tc.minIdle, ids, tc.opts, tc.now)
			var claimed []string
			for _, d := range res.Claimed {
				claimed = append(claimed, fmt.Sprintf("%v(%d)@%d", d.ID, d.DeliveryCount, d.DeliveryTime))
				if (d.Fields == nil) != tc.opts.JustID {
					t.Errorf("claimed %v: Fields %v with JustID %v", d.ID, d.Fields, tc.opts.JustID)
				}
			}
			if got := strings.Join(claimed, " "); got != tc.claimed {
				t.Errorf("claimed %q, want %q", got, tc.claimed)
			}
			if got := pendingIDs(res.Deleted); got != tc.deleted {
				t.Errorf("deleted %q, want %q", got, tc.deleted)
			}
			for _, p := range res.Deleted {
				if p.Consumer != alice || p.DeliveryTime != 1000 || p.DeliveryCount != 1 {
					t.Errorf("deleted %+v must be reported as it was", p)
				}
			}
			if got := pelString(g); got != tc.pel {
				t.Errorf("PEL %q, want %q", got, tc.pel)
			}
			wantLast := tc.lastID
			if wantLast.IsZero() {
				wantLast = mid(3)
			}
			if g.LastID() != wantLast || res.LastIDMoved != (wantLast != mid(3)) || g.EntriesRead() != readBefore {
				t.Errorf("last-delivered-id %v (moved %v), entries-read %d", g.LastID(), res.LastIDMoved, g.EntriesRead())
			}
			if bob.SeenTime() != tc.now || bob.ActiveTime() != tc.active {
				t.Errorf("bob seen %d active %d, want %d %d", bob.SeenTime(), bob.ActiveTime(), tc.now, tc.active)
			}
			checkGroup(t, g)
		})
	}
}

func TestAutoClaim(t *testing.T) {
	type autoCase struct {
		name    string
		before  func(s *Stream, g *Group)
		start   ID
		count   int
		minIdle int64
		justID  bool
		now     int64
		claimed string
		deleted string
		next    ID
	}
	tests := []autoCase{
		{name: "first five", start: MinID, count: 5, now: 2000, claimed: "1-0 2-0 3-0 4-0 5-0", next: mid(6)},
		{name: "deleted entries count against COUNT",
			before: func(s *Stream, g *Group) { s.Delete(mid(2)); s.Delete(mid(4)) },
			start:  MinID, count: 5, now: 2000, claimed: "1-0 3-0 5-0", deleted: "2-0 4-0", next: mid(6)},
		{name: "at most COUNT*10 entries are examined", start: MinID, count: 1, minIdle: 5000, now: 2000,
			next: mid(11)},
		{name: "only idle entries are claimed",
			before: func(s *Stream, g *Group) {
				g.SetPending(g.Consumer("alice"), mid(5), -9000, 1)
				g.SetPending(g.Consumer("alice"), mid(12), -9000, 1)
			},
			start: MinID, count: 2, minIdle: 5000, now: 2000, claimed: "5-0 12-0", next: mid(13)},
		{name: "reaching the end gives 0-0", start: mid(15), count: 100, now: 2000,
			claimed: "15-0 16-0 17-0 18-0 19-0 20-0", next: MinID},
		{name: "COUNT used up on the last entry gives 0-0", start: mid(16), count: 5, now: 2000,
			claimed: "16-0 17-0 18-0 19-0 20-0", next: MinID},
		{name: "a deleted last entry ends the scan", before: func(s *Stream, g *Group) { s.Delete(mid(20)) },
			start: mid(19), count: 2, now: 2000, claimed: "19-0", deleted: "20-0", next: MinID},
		{name: "start between IDs", start: ID{3, 1}, count: 2, now: 2000, claimed: "4-0 5-0", next: mid(6)},
		{name: "start past the end", start: mid(99), count: 10, now: 2000, next: MinID},
		{name: "JUSTID", start: MinID, count: 2, justID: true, now: 2000, claimed: "1-0 2-0", next: mid(3)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ms []uint64
			for i := uint64(1); i <= 20; i++ {
				ms = append(ms, i)
			}
			s := streamOf(t, ms...)
			g := mustCreateGroup(t, s, "g", MinID, -1)
			alice := consumer(g, "alice", 0)
			g.ReadNew(alice, 0, false, 1000)
			bob := consumer(g, "bob", 0)
			if tc.before != nil {
				tc.before(s, g)
			}
			before := map[ID]PendingEntry{}
			for p := range g.PEL(MinID) {
				before[p.ID] = p
			}
			res := g.AutoClaim(bob, tc.minIdle, tc.start, tc.count, tc.justID, tc.now)
			if got := deliveryIDs(res.Claimed); strings.ReplaceAll(got, "(nil)", "") != tc.claimed {
				t.Errorf("claimed %q, want %q", got, tc.claimed)
			}
			if got := pendingIDs(res.Deleted); got != tc.deleted {
				t.Errorf("deleted %q, want %q", got, tc.deleted)
			}
			if res.Next != tc.next {
				t.Errorf("next %v, want %v", res.Next, tc.next)
			}
			for _, d := range res.Claimed {
				p, ok := g.PendingEntry(d.ID)
				wantCount := before[d.ID].DeliveryCount + 1
				if tc.justID {
					wantCount--
				}
				if !ok || p.Consumer != bob || p.DeliveryTime != tc.now || p.DeliveryCount != wantCount ||
					d.DeliveryCount != wantCount || d.DeliveryTime != tc.now || (d.Fields == nil) != tc.justID {
					t.Errorf("claimed %v: %+v, delivery %+v", d.ID, p, d)
				}
			}
			for _, p := range res.Deleted {
				if _, ok := g.PendingEntry(p.ID); ok || p != before[p.ID] {
					t.Errorf("deleted %v: still pending or misreported (%+v)", p.ID, p)
				}
			}
			wantActive := int64(-1)
			if len(res.Claimed) > 0 {
				wantActive = tc.now
			}
			if bob.SeenTime() != tc.now || bob.ActiveTime() != wantActive {
				t.Errorf("bob seen %d active %d", bob.SeenTime(), bob.ActiveTime())
			}
			checkGroup(t, g)
		})
	}
}

func TestPending(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4, 5, 6)
	g := mustCreateGroup(t, s, "g", MinID, -1)
	if sum := g.PendingSummary(); sum.Count != 0 || sum.Consumers != nil {
		t.Fatalf("empty summary: %+v", sum)
	}
	bob := consumer(g, "bob", 0)
	alice := consumer(g, "alice", 0)
	consumer(g, "carol", 0)
	g.ReadNew(alice, 3, false, 1000)
	g.ReadNew(bob, 2, false, 2000)

	sum := g.PendingSummary()
	var cs []string
	for _, c := range sum.Consumers {
		cs = append(cs, fmt.Sprintf("%s:%d", c.Consumer.Name(), c.Count))
	}
	if sum.Count != 5 || sum.First != mid(1) || sum.Last != mid(5) || strings.Join(cs, " ") != "alice:3 bob:2" {
		t.Fatalf("summary %+v %v", sum, cs)
	}

	tests := []struct {
		name       string
		start, end ID
		count      int
		c          *Consumer
		minIdle    int64
		want       string
	}{
		{"all", MinID, MaxID, 10, nil, 0, "1-0 2-0 3-0 4-0 5-0"},
		{"count", MinID, MaxID, 2, nil, 0, "1-0 2-0"},
		{"range", mid(2), mid(4), 10, nil, 0, "2-0 3-0 4-0"},
		{"range between IDs", ID{2, 1}, ID{4, 0}, 10, nil, 0, "3-0 4-0"},
		{"consumer", MinID, MaxID, 10, bob, 0, "4-0 5-0"},
		{"consumer and range", mid(3), MaxID, 1, alice, 0, "3-0"},
		{"idle", MinID, MaxID, 10, nil, 1500, "1-0 2-0 3-0"},
		{"idle filters before count", mid(2), MaxID, 1, nil, 1500, "2-0"},
		{"idle with consumer", MinID, MaxID, 10, bob, 1500, ""},
		{"negative idle", MinID, MaxID, 10, nil, -1, "1-0 2-0 3-0 4-0 5-0"},
		{"count 0", MinID, MaxID, 0, nil, 0, ""},
		{"start after end", mid(4), mid(2), 10, nil, 0, ""},
		{"consumer with nothing pending", MinID, MaxID, 10, g.Consumer("carol"), 0, ""},
	}
	for _, tc := range tests {
		got := g.PendingRange(tc.start, tc.end, tc.count, tc.c, tc.minIdle, 3000)
		if pendingIDs(got) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, pendingIDs(got), tc.want)
		}
	}
	ps := g.PendingRange(mid(4), mid(4), 1, nil, 0, 3000)
	if ps[0].Consumer != bob || ps[0].DeliveryTime != 2000 || ps[0].DeliveryCount != 1 || ps[0].Idle(3000) != 1000 || ps[0].Idle(1000) != 0 {
		t.Fatalf("pending entry %+v", ps[0])
	}
	if p, ok := g.PendingEntry(mid(6)); ok {
		t.Fatalf("PendingEntry of a delivered-never ID: %+v", p)
	}
	var some []string
	for p := range g.PEL(mid(2)) {
		some = append(some, p.ID.String())
		if len(some) == 2 {
			break
		}
	}
	if strings.Join(some, " ") != "2-0 3-0" {
		t.Fatalf("PEL iteration: %v", some)
	}
	some = nil
	for p := range alice.PEL(ID{1, 1}) {
		some = append(some, p.ID.String())
	}
	if strings.Join(some, " ") != "2-0 3-0" {
		t.Fatalf("consumer PEL iteration: %v", some)
	}
}

func TestSetPending(t *testing.T) {
	s := streamOf(t, 1, 2)
	g := mustCreateGroup(t, s, "g", MinID, -1)
	alice := consumer(g, "alice", 5)
	bob := consumer(g, "bob", 6)
	g.SetPending(alice, mid(1), 100, 4)
	g.SetPending(alice, mid(9), 200, 1) // need not exist in the stream
	g.SetPending(bob, mid(1), 300, 7)   // takes it over
	g.SetPending(bob, mid(1), 301, 8)   // same owner
	if got := pelString(g); got != "1-0:bob:301:8 9-0:alice:200:1" {
		t.Fatalf("PEL %s", got)
	}
	if alice.SeenTime() != 5 || alice.ActiveTime() != -1 || bob.SeenTime() != 6 || bob.ActiveTime() != -1 {
		t.Fatalf("SetPending must not touch consumer times")
	}
	bob.SetTimes(10, 11)
	if bob.SeenTime() != 10 || bob.ActiveTime() != 11 {
		t.Fatalf("SetTimes")
	}
	checkGroup(t, g)
}
