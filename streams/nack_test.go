package streams

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// checkNackGroup is checkGroup for a group that may hold unowned entries:
// every owned entry is in its owner's PEL, and the consumers' PELs plus the
// unowned entries make up the group's PEL.
func checkNackGroup(t testing.TB, g *Group) {
	t.Helper()
	owned := 0
	for c := range g.Consumers() {
		owned += c.PendingCount()
		for it := c.pel.first(); it.valid(); it.next() {
			if p := g.pel.get(it.id()); p == nil || p.consumer != c {
				t.Fatalf("%v in %q's PEL but not owned by it", it.id(), c.name)
			}
		}
	}
	for p := range g.PEL(MinID) {
		if p.Consumer != nil && !p.Consumer.pel.has(p.ID) {
			t.Fatalf("%v not in its owner's PEL", p.ID)
		}
	}
	if owned+g.NackedCount() != g.PendingCount() {
		t.Fatalf("owned %d + unowned %d != pending %d", owned, g.NackedCount(), g.PendingCount())
	}
}

func TestNackModes(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4, 5)
	g := mustCreateGroup(t, s, "g", MinID, 0)
	a := consumer(g, "a", 0)
	g.ReadNew(a, 4, false, 100)
	g.SetPending(a, mid(2), 100, 3)
	a.SetTimes(100, 100)

	if n := g.Nack([]ID{mid(1), mid(9)}, NackSilent, NackOptions{}); n != 1 {
		t.Fatalf("SILENT released %d, want 1 (9-0 is not pending)", n)
	}
	if n := g.Nack([]ID{mid(2)}, NackFail, NackOptions{}); n != 1 {
		t.Fatalf("FAIL released %d", n)
	}
	if n := g.Nack([]ID{mid(3)}, NackFatal, NackOptions{}); n != 1 {
		t.Fatalf("FATAL released %d", n)
	}
	want := map[ID]int64{mid(1): 0, mid(2): 3, mid(3): math.MaxInt64}
	for id, count := range want {
		p, ok := g.PendingEntry(id)
		if !ok || p.Consumer != nil || p.DeliveryTime != 0 || p.DeliveryCount != count {
			t.Fatalf("%v = %+v, want unowned, time 0, count %d", id, p, count)
		}
	}
	if p, _ := g.PendingEntry(mid(4)); p.Consumer != a {
		t.Fatalf("4-0 lost its owner: %+v", p)
	}
	if a.PendingCount() != 1 || g.PendingCount() != 4 || g.NackedCount() != 3 {
		t.Fatalf("a has %d, group %d, nacked %d", a.PendingCount(), g.PendingCount(), g.NackedCount())
	}
	if a.SeenTime() != 100 || a.ActiveTime() != 100 {
		t.Fatal("XNACK touched the consumer's times")
	}
	// SILENT does not go below 0; an unowned entry can be released again.
	if n := g.Nack([]ID{mid(1)}, NackSilent, NackOptions{}); n != 1 {
		t.Fatalf("re-release %d", n)
	}
	if p, _ := g.PendingEntry(mid(1)); p.DeliveryCount != 0 {
		t.Fatalf("count %d", p.DeliveryCount)
	}
	// RETRYCOUNT wins over the mode.
	g.Nack([]ID{mid(4)}, NackFatal, NackOptions{RetryCountGiven: true, RetryCount: 7})
	if p, _ := g.PendingEntry(mid(4)); p.Consumer != nil || p.DeliveryCount != 7 {
		t.Fatalf("4-0 = %+v", p)
	}
	checkNackGroup(t, g)
	// The summary lists no owner for unowned entries.
	if sum := g.PendingSummary(); sum.Count != 4 || len(sum.Consumers) != 0 {
		t.Fatalf("summary %+v", sum)
	}
}

func TestNackForce(t *testing.T) {
	s := streamOf(t, 1, 2)
	g := mustCreateGroup(t, s, "g", MinID, 0)
	if n := g.Nack([]ID{mid(1)}, NackFail, NackOptions{}); n != 0 {
		t.Fatalf("released %d without FORCE", n)
	}
	if n := g.Nack([]ID{mid(1), mid(7)}, NackFail, NackOptions{Force: true}); n != 1 {
		t.Fatalf("FORCE released %d, want 1 (7-0 is not in the stream)", n)
	}
	if p, ok := g.PendingEntry(mid(1)); !ok || p.Consumer != nil || p.DeliveryCount != 0 {
		t.Fatalf("1-0 = %+v", p)
	}
	g.Nack([]ID{mid(2)}, NackFatal, NackOptions{Force: true})
	if p, _ := g.PendingEntry(mid(2)); p.DeliveryCount != math.MaxInt64 {
		t.Fatalf("2-0 = %+v", p)
	}
	checkNackGroup(t, g)
}

// Unowned entries are claimable at once, first in the order they were
// released, and every path that owns, acks or drops them keeps the group
// consistent.
func TestNackedEntriesAreClaimable(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4, 5)
	g := mustCreateGroup(t, s, "g", MinID, 0)
	a, b := consumer(g, "a", 0), consumer(g, "b", 0)
	g.ReadNew(a, 5, false, 100)
	g.Nack([]ID{mid(3)}, NackFail, NackOptions{})
	g.Nack([]ID{mid(1)}, NackFail, NackOptions{})
	if !g.HasIdle(1_000_000, 200) {
		t.Fatal("HasIdle ignores unowned entries")
	}
	claimed, _ := g.ClaimIdle(b, 1_000_000, 0, 200)
	var ids []ID
	for _, c := range claimed {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []ID{mid(3), mid(1)}) {
		t.Fatalf("claimed %v, want 3-0 then 1-0 (NACK order)", ids)
	}
	if c := claimed[0]; c.DeliveryCount != 2 || c.PrevCount != 1 || c.DeliveryTime != 200 {
		t.Fatalf("claimed[0] = %+v", c)
	}
	checkNackGroup(t, g)
	if g.NackedCount() != 0 || b.PendingCount() != 2 {
		t.Fatalf("nacked %d, b has %d", g.NackedCount(), b.PendingCount())
	}

	// XCLAIM and XAUTOCLAIM see delivery time 0: idle for any realistic
	// min-idle-time at a real clock's time.
	const now = 1_700_000_000_000
	g.Nack([]ID{mid(2), mid(4)}, NackSilent, NackOptions{})
	res := g.Claim(a, 1_000_000, []ID{mid(2)}, ClaimOptions{}, now)
	if len(res.Claimed) != 1 {
		t.Fatalf("XCLAIM claimed %v", res.Claimed)
	}
	ares := g.AutoClaim(b, 1_000_000, MinID, 10, true, now)
	if !slices.ContainsFunc(ares.Claimed, func(d Delivery) bool { return d.ID == mid(4) }) {
		t.Fatalf("XAUTOCLAIM claimed %v", ares.Claimed)
	}
	checkNackGroup(t, g)

	// XACK, a deleted entry, XGROUP DELCONSUMER and a redelivery after
	// SETID handle unowned entries.
	g.Nack([]ID{mid(5), mid(1), mid(2), mid(3)}, NackFail, NackOptions{})
	if n := g.Ack(mid(5)); n != 1 {
		t.Fatalf("XACK %d", n)
	}
	s.Delete(mid(1))
	if _, deleted := g.ClaimIdle(a, 0, 1, now); len(deleted) != 1 || deleted[0].ID != mid(1) || deleted[0].Consumer != nil {
		t.Fatalf("deleted %v", deleted)
	}
	if _, ok := g.DeleteConsumer("b"); !ok {
		t.Fatal("DELCONSUMER b")
	}
	g.SetID(MinID, 0)
	g.ReadNew(a, 0, false, now)
	checkNackGroup(t, g)
	if g.NackedCount() != 0 {
		t.Fatalf("nacked %d after redelivery", g.NackedCount())
	}
}

// The snapshot keeps unowned entries and their NACK order; a version 2
// encoding (owned entries only, plain consumer index) still decodes.
func TestNackCodec(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4)
	g := mustCreateGroup(t, s, "g", MinID, 0)
	a := consumer(g, "a", 0)
	g.ReadNew(a, 4, false, 100)

	// Version 2 of a group with owned entries: consumer index without +1.
	enc := s.AppendBinary(nil)
	v2 := decodeAsV2(t, enc)
	got, err := DecodeStream(v2)
	if err != nil {
		t.Fatal(err)
	}
	if gg := got.Group("g"); gg.PendingCount() != 4 || gg.Consumer("a").PendingCount() != 4 {
		t.Fatal("v2 PEL lost")
	}

	g.Nack([]ID{mid(4), mid(2)}, NackFatal, NackOptions{})
	enc = s.AppendBinary(nil)
	got, err = DecodeStream(enc)
	if err != nil {
		t.Fatal(err)
	}
	if again := got.AppendBinary(nil); !bytes.Equal(again, enc) {
		t.Fatal("re-encoding differs")
	}
	gg := got.Group("g")
	checkNackGroup(t, gg)
	claimed, _ := gg.ClaimIdle(gg.Consumer("a"), 0, 2, 200)
	if len(claimed) != 2 || claimed[0].ID != mid(4) || claimed[1].ID != mid(2) {
		t.Fatalf("claimed %v, want 4-0 then 2-0", claimed)
	}
	// A later release goes after the restored ones.
	gg.Nack([]ID{mid(1)}, NackFail, NackOptions{})
	if p := gg.pel.get(mid(1)); p.nackOrder <= gg.pel.get(mid(4)).nackOrder {
		t.Fatal("NACK order restarted")
	}
}

// decodeAsV2 rewrites a version 3 encoding of a stream whose PEL entries
// are all owned into version 2 (plain consumer index, version byte 2).
func decodeAsV2(t *testing.T, v3 []byte) []byte {
	t.Helper()
	s, err := DecodeStream(v3)
	if err != nil {
		t.Fatal(err)
	}
	groups := s.groups
	s.groups = nil
	bare := s.AppendBinary(nil) // ends with 0 groups and no idmp state
	s.groups = groups
	enc := append([]byte{2}, bare[1:len(bare)-2]...)
	return appendV2Groups(enc, s)
}

func appendV2Groups(dst []byte, s *Stream) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s.groups)))
	for _, g := range s.groups {
		dst = appendBytes(dst, []byte(g.name))
		dst = appendID(dst, g.lastID)
		dst = binary.AppendVarint(dst, g.entriesRead)
		dst = binary.AppendUvarint(dst, uint64(len(g.consumers)))
		index := map[*Consumer]int{}
		for i, c := range g.consumers {
			index[c] = i
			dst = appendBytes(dst, []byte(c.name))
			dst = binary.AppendVarint(dst, c.seenTime)
			dst = binary.AppendVarint(dst, c.activeTime)
		}
		dst = binary.AppendUvarint(dst, uint64(g.pel.Len()))
		for p := range g.PEL(MinID) {
			dst = appendID(dst, p.ID)
			dst = binary.AppendUvarint(dst, uint64(index[p.Consumer]))
			dst = binary.AppendVarint(dst, p.DeliveryTime)
			dst = binary.AppendVarint(dst, p.DeliveryCount)
		}
	}
	return append(dst, 0) // no idmp state
}
