package commands

import (
	"testing"
	"time"
)

func TestLatencyBucket(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int
	}{
		{0, 0}, {1, 0}, {1024, 0}, {1025, 1}, {2048, 1}, {2049, 2},
		{LatencyBound(5), 5}, {LatencyBound(5) + 1, 6},
		{1 << 31, 21}, {1<<31 + 1, LatencyBuckets}, {time.Hour, LatencyBuckets},
	} {
		if got := latencyBucket(tc.d); got != tc.want {
			t.Errorf("latencyBucket(%v) = %d, want %d", tc.d, got, tc.want)
		}
		if tc.want < LatencyBuckets && tc.d > LatencyBound(tc.want) {
			t.Errorf("%v is above bucket %d's bound %v", tc.d, tc.want, LatencyBound(tc.want))
		}
	}
	if LatencyBound(0) != 1024*time.Nanosecond || LatencyBound(LatencyBuckets-1) != 1<<31 {
		t.Errorf("bounds %v..%v", LatencyBound(0), LatencyBound(LatencyBuckets-1))
	}
}

func TestCommandStatsHistogram(t *testing.T) {
	st := &commandStat{}
	for _, d := range []time.Duration{500, 1500, 1500, 3 * time.Second} {
		st.observe(d)
	}
	if st.calls != 4 || st.usec != 3000002 || st.nanos != int64(3*time.Second)+3500 {
		t.Fatalf("calls=%d usec=%d nanos=%d", st.calls, st.usec, st.nanos)
	}
	if st.latency[0] != 1 || st.latency[1] != 2 || st.latency[LatencyBuckets] != 1 {
		t.Fatalf("latency %v", st.latency)
	}
}

// BenchmarkCommandStatObserve is the cost the histogram adds to every call.
func BenchmarkCommandStatObserve(b *testing.B) {
	st := &commandStat{}
	for i := 0; i < b.N; i++ {
		st.observe(time.Duration(3000 + i&1023))
	}
}
