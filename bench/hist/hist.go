// Package hist is a latency histogram in the style of HdrHistogram: values
// up to 255 are counted exactly, and above that every power-of-two range is
// split into 128 equal buckets, so any recorded value is reported within
// 1/128 (0.8%) of itself, from a nanosecond to an hour, in a fixed 37 KiB
// array. Recording is a few instructions and never allocates.
//
// A Histogram is not safe for concurrent use: give each worker its own and
// Merge them at the end.
package hist

import (
	"math"
	"math/bits"
	"time"
)

const (
	subBits    = 7
	subCount   = 1 << subBits       // buckets per power of two
	exactLimit = 1 << (subBits + 1) // values below are their own bucket
	maxBits    = 42                 // values up to 2^42 ns (73 minutes)
	numBuckets = exactLimit + (maxBits-subBits-1)*subCount
	maxValue   = int64(1)<<maxBits - 1 // larger values are clamped
)

// Histogram counts values (nanoseconds, by convention) in log buckets.
type Histogram struct {
	counts [numBuckets]uint64
	total  uint64
	sum    float64
	min    int64
	max    int64
}

// New returns an empty histogram.
func New() *Histogram { return &Histogram{min: math.MaxInt64} }

// bucketOf returns v's bucket.
func bucketOf(v int64) int {
	if v < exactLimit {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - (subBits + 1) // >= 1
	top := int(v >> uint(shift))                   // in [subCount, 2*subCount)
	return exactLimit + (shift-1)*subCount + (top - subCount)
}

// bounds returns the smallest and largest value that land in bucket b.
func bounds(b int) (lo, hi int64) {
	if b < exactLimit {
		return int64(b), int64(b)
	}
	b -= exactLimit
	shift := uint(b/subCount + 1)
	top := int64(b%subCount + subCount)
	return top << shift, (top+1)<<shift - 1
}

// Record counts one value. Values below 0 count as 0 and above 2^42-1 as
// 2^42-1 (but Max still reports the true maximum).
func (h *Histogram) Record(v int64) {
	if v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.total++
	h.sum += float64(v)
	if v < 0 {
		v = 0
	} else if v > maxValue {
		v = maxValue
	}
	h.counts[bucketOf(v)]++
}

// RecordDuration counts a duration in nanoseconds.
func (h *Histogram) RecordDuration(d time.Duration) { h.Record(int64(d)) }

// Merge adds other's counts to h.
func (h *Histogram) Merge(other *Histogram) {
	if other.total == 0 {
		return
	}
	for i, c := range other.counts {
		h.counts[i] += c
	}
	h.total += other.total
	h.sum += other.sum
	if other.min < h.min {
		h.min = other.min
	}
	if other.max > h.max {
		h.max = other.max
	}
}

// Reset empties the histogram.
func (h *Histogram) Reset() { *h = Histogram{min: math.MaxInt64} }

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.total }

// Min is the smallest recorded value (0 when empty).
func (h *Histogram) Min() int64 {
	if h.total == 0 {
		return 0
	}
	return h.min
}

// Max is the largest recorded value (0 when empty).
func (h *Histogram) Max() int64 { return h.max }

// Mean is the exact mean of the recorded values (0 when empty).
func (h *Histogram) Mean() float64 {
	if h.total == 0 {
		return 0
	}
	return h.sum / float64(h.total)
}

// Percentile returns the value at or below which q percent (0 < q <= 100)
// of the recorded values lie: the highest value of the bucket that holds the
// rank, as HdrHistogram reports it, but never above Max or below Min. An
// empty histogram returns 0.
func (h *Histogram) Percentile(q float64) int64 {
	if h.total == 0 {
		return 0
	}
	if q <= 0 {
		return h.Min()
	}
	rank := uint64(math.Ceil(q / 100 * float64(h.total)))
	if rank < 1 {
		rank = 1
	}
	if rank > h.total {
		rank = h.total
	}
	var seen uint64
	for b, c := range h.counts {
		seen += c
		if seen >= rank {
			_, hi := bounds(b)
			if hi > h.max {
				hi = h.max
			}
			if hi < h.min {
				hi = h.min
			}
			return hi
		}
	}
	return h.max
}
