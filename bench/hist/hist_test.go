package hist

import (
	"math"
	"math/rand"
	"sort"
	"testing"
)

func TestBucketsTileTheRange(t *testing.T) {
	// Consecutive buckets are contiguous and every bucket maps back to itself.
	prevHi := int64(-1)
	for b := 0; b < numBuckets; b++ {
		lo, hi := bounds(b)
		if lo != prevHi+1 || hi < lo {
			t.Fatalf("bucket %d: [%d,%d] after %d", b, lo, hi, prevHi)
		}
		if bucketOf(lo) != b || bucketOf(hi) != b {
			t.Fatalf("bucket %d: [%d,%d] maps to %d and %d", b, lo, hi, bucketOf(lo), bucketOf(hi))
		}
		if lo >= exactLimit && float64(hi-lo+1)/float64(lo) > 1.0/subCount+1e-12 {
			t.Fatalf("bucket %d: [%d,%d] wider than 1/%d", b, lo, hi, subCount)
		}
		prevHi = hi
	}
	if prevHi != maxValue {
		t.Fatalf("last bucket ends at %d, want %d", prevHi, maxValue)
	}
}

func TestPercentilesOfKnownValues(t *testing.T) {
	h := New()
	for v := int64(1); v <= 100; v++ {
		h.Record(v)
	}
	for _, tc := range []struct {
		q    float64
		want int64
	}{{50, 50}, {99, 99}, {99.9, 100}, {100, 100}, {1, 1}, {0, 1}} {
		if got := h.Percentile(tc.q); got != tc.want {
			t.Errorf("p%v = %d, want %d", tc.q, got, tc.want)
		}
	}
	if h.Count() != 100 || h.Min() != 1 || h.Max() != 100 || h.Mean() != 50.5 {
		t.Errorf("count %d min %d max %d mean %v", h.Count(), h.Min(), h.Max(), h.Mean())
	}
}

// Against an exact sort: every percentile is within the bucket precision.
func TestPercentilesWithinPrecision(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	h := New()
	vals := make([]int64, 100000)
	for i := range vals {
		// Log-uniform from 1µs to 1s, like latencies.
		v := int64(1000 * math.Pow(1e6, rng.Float64()))
		vals[i] = v
		h.Record(v)
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	for _, q := range []float64{10, 50, 90, 99, 99.9, 99.99} {
		exact := vals[int(q/100*float64(len(vals)))-1]
		got := h.Percentile(q)
		if rel := float64(got-exact) / float64(exact); rel < 0 || rel > 1.0/subCount {
			t.Errorf("p%v = %d, exact %d (rel %.4f)", q, got, exact, rel)
		}
	}
}

func TestMergeAndReset(t *testing.T) {
	a, b := New(), New()
	for i := int64(0); i < 1000; i++ {
		a.Record(i * 1000)
		b.Record(i*1000 + 1e6)
	}
	a.Merge(b)
	a.Merge(New()) // merging an empty histogram changes nothing
	if a.Count() != 2000 || a.Min() != 0 || a.Max() != 999000+1e6 {
		t.Fatalf("count %d min %d max %d", a.Count(), a.Min(), a.Max())
	}
	if p := a.Percentile(50); p < 999000 || float64(p) > 999000*(1+1.0/subCount) {
		t.Fatalf("p50 %d", p)
	}
	a.Reset()
	if a.Count() != 0 || a.Percentile(99) != 0 || a.Max() != 0 || a.Min() != 0 || a.Mean() != 0 {
		t.Fatal("reset histogram not empty")
	}
}

func TestClampsOutOfRange(t *testing.T) {
	h := New()
	h.Record(-5)
	h.Record(1 << 50)
	if h.Count() != 2 || h.Max() != 1<<50 || h.Min() != -5 {
		t.Fatalf("count %d max %d min %d", h.Count(), h.Max(), h.Min())
	}
	if p := h.Percentile(100); p != maxValue {
		t.Fatalf("p100 %d", p)
	}
}

func TestRecordDoesNotAllocate(t *testing.T) {
	h := New()
	if n := testing.AllocsPerRun(1000, func() { h.Record(123456) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

func BenchmarkRecord(b *testing.B) {
	h := New()
	for i := 0; i < b.N; i++ {
		h.Record(int64(i) * 7919)
	}
}
