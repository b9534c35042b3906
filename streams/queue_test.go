package streams

import (
	"math"
	"testing"
)

// queueGroup returns a stream with entries 1-0..n-0, a group "g" on it with
// the policy, and consumers a and b created at time 0.
func queueGroup(t *testing.T, n int, pol *Policy) (*Stream, *Group, *Consumer, *Consumer) {
	t.Helper()
	ms := make([]uint64, n)
	for i := range ms {
		ms[i] = uint64(i + 1)
	}
	s := streamOf(t, ms...)
	g := mustCreateGroup(t, s, "g", MinID, 0)
	if pol != nil {
		g.SetPolicy(*pol)
	}
	return s, g, consumer(g, "a", 0), consumer(g, "b", 0)
}

func redeliveredIDs(cs []IdleClaim) []ID {
	var out []ID
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestPolicyWait(t *testing.T) {
	for _, tc := range []struct {
		pol   Policy
		count int64
		want  int64
	}{
		{Policy{AckWait: 100}, 1, 100},
		{Policy{AckWait: 100}, 7, 100},
		{Policy{AckWait: 100, Backoff: []int64{10, 20, 40}}, 0, 10},
		{Policy{AckWait: 100, Backoff: []int64{10, 20, 40}}, 1, 10},
		{Policy{AckWait: 100, Backoff: []int64{10, 20, 40}}, 2, 20},
		{Policy{AckWait: 100, Backoff: []int64{10, 20, 40}}, 3, 40},
		{Policy{AckWait: 100, Backoff: []int64{10, 20, 40}}, 9, 40},
		{Policy{Backoff: []int64{5}}, 3, 5},
	} {
		if got := tc.pol.wait(tc.count); got != tc.want {
			t.Errorf("%+v wait(%d) = %d, want %d", tc.pol, tc.count, got, tc.want)
		}
	}
	if (&Policy{MaxDeliver: 3}).timed() || (*Policy)(nil).timed() || !(&Policy{Backoff: []int64{1}}).timed() {
		t.Error("timed() wrong")
	}
}

func TestRedeliverAfterAckWait(t *testing.T) {
	_, g, a, b := queueGroup(t, 3, &Policy{AckWait: 100})
	if ds := g.ReadNew(a, 2, false, 1000); len(ds) != 2 {
		t.Fatalf("read %d", len(ds))
	}
	if due, ok := g.NextDue(); !ok || due != 1100 {
		t.Fatalf("NextDue = %d %v, want 1100", due, ok)
	}
	if g.HasDue(1099) || !g.HasDue(1100) {
		t.Fatal("HasDue around the deadline")
	}
	if r := g.Redeliver(b, 10, -1, 1099); len(r.Redelivered) != 0 {
		t.Fatalf("redelivered early: %v", redeliveredIDs(r.Redelivered))
	}
	g.Ack(mid(2))
	r := g.Redeliver(b, 10, -1, 1150)
	if ids := redeliveredIDs(r.Redelivered); len(ids) != 1 || ids[0] != mid(1) {
		t.Fatalf("redelivered %v, want [1-0]", ids)
	}
	cl := r.Redelivered[0]
	if cl.Idle != 150 || cl.PrevCount != 1 || cl.DeliveryCount != 2 || cl.DeliveryTime != 1150 {
		t.Fatalf("claim %+v", cl)
	}
	if p, _ := g.PendingEntry(mid(1)); p.Consumer != b || p.DeliveryCount != 2 || p.DeliveryTime != 1150 {
		t.Fatalf("PEL entry %+v", p)
	}
	if b.ActiveTime() != 1150 {
		t.Fatalf("b active-time %d", b.ActiveTime())
	}
	if due, _ := g.NextDue(); due != 1250 {
		t.Fatalf("next due %d, want 1250", due)
	}
	checkGroup(t, g)
	want := GroupStats{Delivered: 3, Redelivered: 1, Acked: 1}
	if st := g.Stats(); st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
}

func TestRedeliverBackoffAndCount(t *testing.T) {
	_, g, a, _ := queueGroup(t, 4, &Policy{Backoff: []int64{10, 50}})
	g.ReadNew(a, 0, false, 0)
	// All four due at 10, earliest first (ties by ID); count limits.
	r := g.Redeliver(a, 3, -1, 10)
	if ids := redeliveredIDs(r.Redelivered); len(ids) != 3 || ids[0] != mid(1) || ids[2] != mid(3) {
		t.Fatalf("redelivered %v", ids)
	}
	// The three redelivered are now at count 2: due 50 ms later; 4-0 still due.
	if due, _ := g.NextDue(); due != 10 {
		t.Fatalf("next due %d, want 10 (4-0)", due)
	}
	g.Redeliver(a, 0, -1, 20)
	if due, _ := g.NextDue(); due != 60 {
		t.Fatalf("next due %d, want 60", due)
	}
	checkGroup(t, g)
}

func TestMaxDeliverDeadLetters(t *testing.T) {
	_, g, a, b := queueGroup(t, 2, &Policy{AckWait: 10, MaxDeliver: 2})
	g.ReadNew(a, 1, false, 0)
	g.Redeliver(b, 0, -1, 10) // delivery 2
	r := g.Redeliver(a, 0, -1, 20)
	if len(r.Redelivered) != 0 {
		t.Fatalf("delivered a third time")
	}
	dead := g.TakeDeadLetters()
	if len(dead) != 1 || dead[0].ID != mid(1) || dead[0].Consumer != "b" || dead[0].Deliveries != 2 || dead[0].Reason != ReasonMaxDeliver {
		t.Fatalf("dead letters %+v", dead)
	}
	if string(dead[0].Fields[1]) != "1" {
		t.Fatalf("fields %q", dead[0].Fields)
	}
	if g.TakeDeadLetters() != nil {
		t.Fatal("dead letters not forgotten")
	}
	// Still pending until the caller moves it; still due.
	if g.PendingCount() != 1 || !g.HasDue(20) {
		t.Fatalf("pending %d", g.PendingCount())
	}
	if !g.RemoveDeadLetter(mid(1)) || g.RemoveDeadLetter(mid(1)) {
		t.Fatal("RemoveDeadLetter")
	}
	if g.HasDue(1 << 40) {
		t.Fatal("removed entry still due")
	}
	want := GroupStats{Delivered: 2, Redelivered: 1, DeadLettered: 1}
	if st := g.Stats(); st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	checkGroup(t, g)
}

// Every delivery path dead-letters an exhausted entry instead of
// delivering it; JUSTID claims (the replay form) do not.
func TestDeadLetterOnEveryPath(t *testing.T) {
	pol := &Policy{MaxDeliver: 1}
	for _, tc := range []struct {
		name string
		op   func(g *Group, a, b *Consumer) int // returns entries delivered
	}{
		{"history", func(g *Group, a, b *Consumer) int { return len(g.ReadHistory(a, MinID, 0, 50)) }},
		{"xclaim", func(g *Group, a, b *Consumer) int {
			return len(g.Claim(b, 0, []ID{mid(1)}, ClaimOptions{}, 50).Claimed)
		}},
		{"xautoclaim", func(g *Group, a, b *Consumer) int { return len(g.AutoClaim(b, 0, MinID, 10, false, 50).Claimed) }},
		{"claim-idle", func(g *Group, a, b *Consumer) int { c, _ := g.ClaimIdle(b, 0, 10, 50); return len(c) }},
		{"redeliver-after-xnack", func(g *Group, a, b *Consumer) int {
			g.Nack([]ID{mid(1)}, NackFail, NackOptions{})
			g.SetPolicy(Policy{MaxDeliver: 1, AckWait: 1})
			return len(g.Redeliver(b, 0, -1, 50).Redelivered)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, g, a, b := queueGroup(t, 1, pol)
			g.ReadNew(a, 0, false, 0)
			if n := tc.op(g, a, b); n != 0 {
				t.Fatalf("delivered %d", n)
			}
			dead := g.TakeDeadLetters()
			if len(dead) != 1 || dead[0].ID != mid(1) || dead[0].Reason != ReasonMaxDeliver {
				t.Fatalf("dead %+v", dead)
			}
			if p, ok := g.PendingEntry(mid(1)); !ok || p.DeliveryCount != 1 {
				t.Fatalf("entry changed: %+v %v", p, ok)
			}
		})
	}
	t.Run("justid-claim-is-not-a-delivery", func(t *testing.T) {
		_, g, a, b := queueGroup(t, 1, pol)
		g.ReadNew(a, 0, false, 0)
		res := g.Claim(b, 0, []ID{mid(1)}, ClaimOptions{JustID: true, Force: true, RetryCountGiven: true, RetryCount: 1}, 50)
		if len(res.Claimed) != 1 || g.TakeDeadLetters() != nil {
			t.Fatalf("JUSTID claim: %+v", res)
		}
	})
	t.Run("no-policy", func(t *testing.T) {
		_, g, a, b := queueGroup(t, 1, nil)
		g.ReadNew(a, 0, false, 0)
		g.Nack([]ID{mid(1)}, NackFatal, NackOptions{})
		if c, _ := g.ClaimIdle(b, 0, 10, 50); len(c) != 1 || g.TakeDeadLetters() != nil {
			t.Fatal("a group without policy must behave as Redis")
		}
	})
}

func TestFatalDeadLetters(t *testing.T) {
	_, g, a, b := queueGroup(t, 1, &Policy{AckWait: 1000})
	g.ReadNew(a, 0, false, 0)
	g.Nack([]ID{mid(1)}, NackFatal, NackOptions{})
	g.Redeliver(b, 0, -1, 1)
	dead := g.TakeDeadLetters()
	if len(dead) != 1 || dead[0].Reason != ReasonFatal || dead[0].Consumer != "" || dead[0].Deliveries != math.MaxInt64 {
		t.Fatalf("dead %+v", dead)
	}
}

func TestNackDelayAndTouch(t *testing.T) {
	// No policy: a delay alone makes the entry due.
	_, g, a, b := queueGroup(t, 3, nil)
	g.ReadNew(a, 0, false, 100)
	if _, ok := g.NextDue(); ok {
		t.Fatal("due without policy or delay")
	}
	if n := g.NackDelay([]ID{mid(2), mid(9)}, 500); n != 1 {
		t.Fatalf("NackDelay = %d", n)
	}
	if due, ok := g.NextDue(); !ok || due != 500 {
		t.Fatalf("NextDue %d %v", due, ok)
	}
	if p, _ := g.PendingEntry(mid(2)); p.Consumer != a || p.DeliveryCount != 1 {
		t.Fatalf("XQ.NACK changed owner or count: %+v", p)
	}
	if r := g.Redeliver(b, 0, -1, 499); len(r.Redelivered) != 0 {
		t.Fatal("redelivered before the delay")
	}
	r := g.Redeliver(b, 0, -1, 500)
	if ids := redeliveredIDs(r.Redelivered); len(ids) != 1 || ids[0] != mid(2) {
		t.Fatalf("redelivered %v", ids)
	}
	if g.RedeliverAt(mid(2)) != 0 {
		t.Fatal("delay not cleared by the redelivery")
	}
	if _, ok := g.NextDue(); ok {
		t.Fatal("still due after redelivery without a policy")
	}

	// Touch restarts the ack wait and clears a delay.
	_, g, a, _ = queueGroup(t, 2, &Policy{AckWait: 100})
	g.ReadNew(a, 0, false, 0)
	g.NackDelay([]ID{mid(1)}, 5)
	if n := g.Touch([]ID{mid(1), mid(2), mid(7)}, 60); n != 2 {
		t.Fatalf("Touch = %d", n)
	}
	if due, _ := g.NextDue(); due != 160 {
		t.Fatalf("next due after touch %d, want 160", due)
	}
	if p, _ := g.PendingEntry(mid(1)); p.DeliveryTime != 60 || p.DeliveryCount != 1 || g.RedeliverAt(mid(1)) != 0 {
		t.Fatalf("touched entry %+v", p)
	}
}

func TestRedeliverDropsDeletedEntries(t *testing.T) {
	s, g, a, b := queueGroup(t, 2, &Policy{AckWait: 10})
	g.ReadNew(a, 0, false, 0)
	s.Delete(mid(1))
	r := g.Redeliver(b, 0, -1, 10)
	if len(r.Deleted) != 1 || r.Deleted[0].ID != mid(1) || len(r.Redelivered) != 1 {
		t.Fatalf("%+v", r)
	}
	if st := g.Stats(); st.Acked != 1 {
		t.Fatalf("a dropped deleted entry counts as acked (Redis logs XACK): %+v", st)
	}
}

// The due index stays bounded however many deliveries and acks go by.
func TestDueIndexCompacts(t *testing.T) {
	ms := make([]uint64, 5000)
	for i := range ms {
		ms[i] = uint64(i + 1)
	}
	s := streamOf(t, ms...)
	g := mustCreateGroup(t, s, "g", MinID, 0)
	g.SetPolicy(Policy{AckWait: 1 << 30})
	a := consumer(g, "a", 0)
	for i := 0; i < 5000; i++ {
		ds := g.ReadNew(a, 1, false, int64(i))
		g.Ack(ds[0].ID)
	}
	if n := g.due.Len(); n > 2*g.PendingCount()+1024 {
		t.Fatalf("due index holds %d items for %d pending", n, g.PendingCount())
	}
	if _, ok := g.NextDue(); ok {
		t.Fatal("nothing pending, yet something is due")
	}
}

func TestQueueStateSurvivesCodec(t *testing.T) {
	s, g, a, b := queueGroup(t, 5, &Policy{AckWait: 100, Backoff: []int64{5, 10}, MaxDeliver: 4, DLQ: "dead", MaxPending: 7})
	g.ReadNew(a, 3, false, 0)
	g.Redeliver(b, 1, -1, 5)
	g.Ack(mid(3))
	g.NackDelay([]ID{mid(2)}, 777)
	mustCreateGroup(t, s, "plain", MinID, 0)
	enc := s.AppendBinary(nil)
	queueLen := len(s.appendQueue(nil))
	got, err := DecodeStream(enc)
	if err != nil {
		t.Fatal(err)
	}
	if describe(got) != describe(s) {
		t.Fatalf("decoded differs:\n%s\nvs\n%s", describe(got), describe(s))
	}
	// The decoded group keeps working identically.
	gg := got.Group("g")
	r1 := g.Redeliver(a, 0, -1, 1000)
	r2 := gg.Redeliver(gg.Consumer("a"), 0, -1, 1000)
	if len(r1.Redelivered) != len(r2.Redelivered) || describe(got) != describe(s) {
		t.Fatalf("diverged after redelivery:\n%s\nvs\n%s", describe(got), describe(s))
	}
	// A version 3 encoding (no queue state) still decodes.
	if _, err := DecodeStream(append([]byte{3}, enc[1:len(enc)-queueLen]...)); err != nil {
		t.Fatalf("version 3: %v", err)
	}
}

// Room bounds what a consumer takes from others; its own due entries come
// back whatever room, and NextDueFor says when.
func TestRedeliverRoom(t *testing.T) {
	_, g, a, b := queueGroup(t, 4, &Policy{AckWait: 10, MaxPending: 2})
	g.ReadNew(a, 2, false, 0) // 1-0, 2-0 to a
	g.ReadNew(b, 2, false, 5) // 3-0, 4-0 to b
	if room, limited := g.Room(b); !limited || room != 0 {
		t.Fatalf("Room(b) = %d %v", room, limited)
	}
	if due, ok := g.NextDueFor(b); !ok || due != 15 {
		t.Fatalf("NextDueFor(b) = %d %v, want b's own 15", due, ok)
	}
	if due, _ := g.NextDue(); due != 10 {
		t.Fatalf("NextDue = %d", due)
	}
	r := g.Redeliver(b, 0, 0, 20)
	if ids := redeliveredIDs(r.Redelivered); len(ids) != 2 || ids[0] != mid(3) || ids[1] != mid(4) {
		t.Fatalf("b at MAXPENDING got %v, want its own 3-0 4-0", ids)
	}
	r = g.Redeliver(b, 0, 1, 20)
	if ids := redeliveredIDs(r.Redelivered); len(ids) != 1 || ids[0] != mid(1) {
		t.Fatalf("b with room 1 got %v, want [1-0]", ids)
	}
	if p, _ := g.PendingEntry(mid(2)); p.Consumer != a {
		t.Fatalf("2-0 taken beyond room: %+v", p)
	}
	checkGroup(t, g)
}

func TestDueHeapOrder(t *testing.T) {
	var h dueHeap
	r := []int64{5, 3, 9, 1, 3, 7, 2, 8, 1}
	for i, due := range r {
		h.push(dueItem{due, mid(uint64(10 - i))})
	}
	var prev dueItem
	for i := 0; h.Len() > 0; i++ {
		it := h.pop()
		if i > 0 && (it.due < prev.due || (it.due == prev.due && it.id.Less(prev.id))) {
			t.Fatalf("popped %+v after %+v", it, prev)
		}
		prev = it
	}
	h = dueHeap{{4, mid(1)}, {2, mid(2)}, {9, mid(3)}, {1, mid(4)}}
	h.init()
	if got := h.pop(); got.due != 1 {
		t.Fatalf("init: popped %+v first", got)
	}
}
