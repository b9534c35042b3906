package streams

import (
	"slices"
	"testing"
)

func TestClaimIdle(t *testing.T) {
	s := streamOf(t, 1, 2, 3, 4, 5)
	g := mustCreateGroup(t, s, "g", MinID, 0)
	a, b := consumer(g, "a", 0), consumer(g, "b", 0)
	g.ReadNew(a, 1, false, 100)    // 1-0 at 100
	g.ReadNew(b, 1, false, 50)     // 2-0 at 50: longest idle
	g.ReadNew(a, 1, false, 100)    // 3-0 at 100, same time as 1-0
	g.ReadNew(b, 1, false, 900)    // 4-0 at 900: not idle enough
	g.SetPending(b, mid(2), 50, 3) // delivered 3 times already

	if !g.HasIdle(500, 1000) || g.HasIdle(2000, 1000) {
		t.Fatal("HasIdle")
	}
	claimed, deleted := g.ClaimIdle(b, 500, 2, 1000)
	if len(deleted) != 0 {
		t.Fatalf("deleted %v", deleted)
	}
	var ids []ID
	for _, c := range claimed {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []ID{mid(2), mid(1)}) {
		t.Fatalf("claimed %v, want 2-0 then 1-0 (longest idle, then ID order)", ids)
	}
	if c := claimed[0]; c.Idle != 950 || c.PrevCount != 3 || c.DeliveryCount != 4 || c.DeliveryTime != 1000 || c.Fields == nil {
		t.Fatalf("claimed[0] = %+v", c)
	}
	if c := claimed[1]; c.Idle != 900 || c.PrevCount != 1 || c.DeliveryCount != 2 {
		t.Fatalf("claimed[1] = %+v", c)
	}
	p, _ := g.PendingEntry(mid(1))
	if p.Consumer != b || p.DeliveryTime != 1000 || p.DeliveryCount != 2 {
		t.Fatalf("PEL 1-0 = %+v", p)
	}
	if b.SeenTime() != 1000 || b.ActiveTime() != 1000 {
		t.Fatalf("times %d %d", b.SeenTime(), b.ActiveTime())
	}
	checkGroup(t, g)

	// A deleted entry is dropped, not claimed, and does not use up count.
	s.Delete(mid(3))
	claimed, deleted = g.ClaimIdle(a, 0, 1, 2000)
	if len(deleted) != 1 || deleted[0].ID != mid(3) {
		t.Fatalf("deleted %v", deleted)
	}
	if len(claimed) != 1 || claimed[0].ID != mid(4) {
		t.Fatalf("claimed %v", claimed)
	}
	if _, ok := g.PendingEntry(mid(3)); ok {
		t.Fatal("3-0 still pending")
	}
	checkGroup(t, g)

	// count <= 0 takes every idle entry; nothing idle: nothing, seen-time moves.
	claimed, _ = g.ClaimIdle(a, 0, 0, 3000)
	if len(claimed) != 3 {
		t.Fatalf("claimed %d, want 3", len(claimed))
	}
	claimed, _ = g.ClaimIdle(b, 10, 0, 3001)
	if len(claimed) != 0 || b.SeenTime() != 3001 {
		t.Fatalf("claimed %v seen %d", claimed, b.SeenTime())
	}
	checkGroup(t, g)
}
