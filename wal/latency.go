package wal

import (
	"math/bits"
	"time"
)

// FsyncBuckets is the number of finite buckets of Stats.FsyncLatency:
// bucket i counts fsyncs that took at most FsyncBound(i), from 1.024µs
// doubling up to about 2.1s; the extra last slot counts slower ones.
const FsyncBuckets = 22

// FsyncBound is the upper bound (inclusive) of fsync latency bucket i.
func FsyncBound(i int) time.Duration { return time.Duration(1) << (i + 10) }

// fsyncBucket is the Stats.FsyncLatency slot of an fsync that took d.
func fsyncBucket(d time.Duration) int {
	if d <= 1<<10 {
		return 0
	}
	return min(bits.Len64(uint64(d-1))-10, FsyncBuckets)
}
