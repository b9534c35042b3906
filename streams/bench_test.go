package streams

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"
)

// Sizes for the scaling benchmarks: the cost per operation must not grow
// with the stream.
var benchSizes = []int{1_000, 100_000, 10_000_000}

var tinyFields = pairs("f", "v")

// fillAuto adds n tiny entries with IDs as "*" would give them under a
// clock that advances one millisecond every 8 entries.
func fillAuto(tb testing.TB, n int) *Stream {
	tb.Helper()
	s := New()
	for i := 0; i < n; i++ {
		id, err := s.NextAutoID(1_700_000_000_000 + uint64(i/8))
		if err != nil {
			tb.Fatal(err)
		}
		if err := s.Add(id, tinyFields, DefaultNodeLimits); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// sharedStreams caches read-only streams across benchmarks; building the
// 10M one takes a while.
var sharedStreams = map[int]*Stream{}

func sharedStream(b *testing.B, n int) *Stream {
	if s, ok := sharedStreams[n]; ok {
		return s
	}
	s := fillAuto(b, n)
	sharedStreams[n] = s
	return s
}

func BenchmarkAdd(b *testing.B) {
	for _, n := range benchSizes {
		var s *Stream // built once, reused by every round of b.N
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if s == nil {
				s = fillAuto(b, n)
			}
			now := s.LastID().Ms
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%8 == 0 {
					now++
				}
				id, _ := s.NextAutoID(now)
				if err := s.Add(id, tinyFields, DefaultNodeLimits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRange is XRANGE key <random existing ID> + COUNT 10 (and the
// XREVRANGE equivalent).
func BenchmarkRange(b *testing.B) {
	for _, reverse := range []bool{false, true} {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("reverse=%v/n=%d", reverse, n), func(b *testing.B) {
				s := sharedStream(b, n)
				first, _ := s.FirstEntryID()
				last, _ := s.LastEntryID()
				r := rand.New(rand.NewSource(1))
				starts := make([]ID, 1024)
				for i := range starts {
					// Any ID in the stream's span; about 8 entries share a ms.
					starts[i] = ID{first.Ms + uint64(r.Int63n(int64(last.Ms-first.Ms+1))), uint64(r.Intn(8))}
				}
				visited := 0
				fn := func(e Entry) bool { visited += len(e.Fields); return true }
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					start := starts[i%len(starts)]
					if reverse {
						s.Range(MinID, start, 10, true, fn)
					} else {
						s.Range(start, MaxID, 10, false, fn)
					}
				}
				if visited == 0 {
					b.Fatal("nothing visited")
				}
			})
		}
	}
}

// BenchmarkTrimSteady is XADD followed by XTRIM MAXLEN ~ n: the stream
// stays at about n entries, and a whole node goes every 100 adds.
func BenchmarkTrimSteady(b *testing.B) {
	for _, n := range benchSizes {
		var s *Stream // built once, reused by every round of b.N
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if s == nil {
				s = fillAuto(b, n)
			}
			now := s.LastID().Ms
			spec := TrimSpec{MaxLen: uint64(n), Approx: true, Limit: -1}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%8 == 0 {
					now++
				}
				id, _ := s.NextAutoID(now)
				if err := s.Add(id, tinyFields, DefaultNodeLimits); err != nil {
					b.Fatal(err)
				}
				s.Trim(spec, DefaultNodeLimits)
			}
			if s.Len() > uint64(n)+100 {
				b.Fatalf("stream grew to %d", s.Len())
			}
		})
	}
}

// BenchmarkDeleteOldest is the queue pattern XADD + XDEL of the oldest entry.
func BenchmarkDeleteOldest(b *testing.B) {
	for _, n := range benchSizes {
		var s *Stream // built once, reused by every round of b.N
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if s == nil {
				s = fillAuto(b, n)
			}
			now := s.LastID().Ms
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%8 == 0 {
					now++
				}
				id, _ := s.NextAutoID(now)
				if err := s.Add(id, tinyFields, DefaultNodeLimits); err != nil {
					b.Fatal(err)
				}
				oldest, _ := s.FirstEntryID()
				if !s.Delete(oldest) {
					b.Fatal("delete failed")
				}
			}
		})
	}
}

// bytesPerEntry measures the heap a stream of n "f v" entries holds, per
// entry.
func bytesPerEntry(tb testing.TB, n int) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := fillAuto(tb, n)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(s)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// BenchmarkBytesPerEntry reports the memory cost of 1M tiny entries
// (XADD s * f v). Redis 7.0 needs about 12-13 bytes for the same.
func BenchmarkBytesPerEntry(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.ReportMetric(bytesPerEntry(b, 1_000_000), "bytes/entry")
	}
}

func TestBytesPerEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1M-entry stream")
	}
	got := bytesPerEntry(t, 1_000_000)
	t.Logf("%.2f bytes per 'f v' entry", got)
	if got > 25 {
		t.Errorf("%.2f bytes per entry, budget is 25", got)
	}
}
