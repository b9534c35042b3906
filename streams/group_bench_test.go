package streams

import (
	"fmt"
	"math/rand"
	"testing"
)

// pendingSizes are the PEL sizes of the group benchmarks: the cost per call
// must not grow with them.
var pendingSizes = []int{1_000, 1_000_000}

// groupWithPending returns a group over a stream of n tiny entries, all
// delivered to consumer "owner" (so all pending), and the stream.
func groupWithPending(b *testing.B, n int) (*Stream, *Group) {
	b.Helper()
	s := fillAuto(b, n)
	g, err := s.CreateGroup("g", MinID, -1)
	if err != nil {
		b.Fatal(err)
	}
	owner, _ := g.CreateConsumer("owner", 0)
	g.ReadNew(owner, 0, false, 1_000)
	if g.PendingCount() != n {
		b.Fatalf("%d pending, want %d", g.PendingCount(), n)
	}
	return s, g
}

// BenchmarkReadNewAck is the queue loop: XREADGROUP COUNT 10 ">" then XACK
// of the 10 IDs, with and without a large standing PEL (entries another
// consumer never acknowledges).
func BenchmarkReadNewAck(b *testing.B) {
	for _, standing := range []int{0, 1_000_000} {
		b.Run(fmt.Sprintf("pending=%d", standing), func(b *testing.B) {
			const n = 1_000_000
			s := fillAuto(b, n+standing)
			g, _ := s.CreateGroup("g", MinID, -1)
			if standing > 0 {
				slow, _ := g.CreateConsumer("slow", 0)
				g.ReadNew(slow, standing, false, 1)
			}
			restart := g.LastID()
			worker, _ := g.CreateConsumer("worker", 0)
			ids := make([]ID, 0, 10)
			now := int64(1_000_000)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ds := g.ReadNew(worker, 10, false, now)
				if len(ds) < 10 {
					// End of the stream: deliver the same entries again.
					g.SetID(restart, -1)
				}
				ids = ids[:0]
				for _, d := range ds {
					ids = append(ids, d.ID)
				}
				if g.Ack(ids...) != len(ids) {
					b.Fatal("ack")
				}
				now++
			}
		})
	}
}

// BenchmarkPendingRange is XPENDING key group - + 10 from a random start,
// for the whole group and for one consumer.
func BenchmarkPendingRange(b *testing.B) {
	for _, n := range pendingSizes {
		s, g := groupWithPending(b, n)
		first, _ := s.FirstEntryID()
		last, _ := s.LastEntryID()
		owner := g.Consumer("owner")
		for _, who := range []string{"group", "consumer"} {
			b.Run(fmt.Sprintf("%s/pending=%d", who, n), func(b *testing.B) {
				r := rand.New(rand.NewSource(1))
				var c *Consumer
				if who == "consumer" {
					c = owner
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					start := ID{first.Ms + uint64(r.Int63n(int64(last.Ms-first.Ms+1))), 0}
					if ps := g.PendingRange(start, MaxID, 10, c, 0, 2_000); len(ps) == 0 {
						b.Fatal("empty range")
					}
				}
			})
		}
	}
}

// BenchmarkAutoClaim is XAUTOCLAIM key group c 0 <start> COUNT 10 from a
// random start: every call moves 10 entries to another consumer and fetches
// them from the stream (JUSTID: without fetching).
func BenchmarkAutoClaim(b *testing.B) {
	for _, n := range pendingSizes {
		s, g := groupWithPending(b, n)
		first, _ := s.FirstEntryID()
		last, _ := s.LastEntryID()
		for _, justID := range []bool{false, true} {
			b.Run(fmt.Sprintf("justid=%v/pending=%d", justID, n), func(b *testing.B) {
				r := rand.New(rand.NewSource(1))
				claimers := []*Consumer{consumer(g, "c1", 0), consumer(g, "c2", 0)}
				now := int64(10_000)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					start := ID{first.Ms + uint64(r.Int63n(int64(last.Ms-first.Ms+1))), 0}
					res := g.AutoClaim(claimers[i%2], 0, start, 10, justID, now)
					if len(res.Claimed) == 0 {
						b.Fatal("nothing claimed")
					}
					now++
				}
			})
		}
	}
}
