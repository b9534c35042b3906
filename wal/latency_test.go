package wal

import (
	"testing"
	"time"
)

func TestFsyncBucket(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int
	}{
		{0, 0}, {1024, 0}, {1025, 1}, {time.Millisecond, 10}, {1 << 31, 21},
		{1<<31 + 1, FsyncBuckets}, {time.Minute, FsyncBuckets},
	} {
		if got := fsyncBucket(tc.d); got != tc.want {
			t.Errorf("fsyncBucket(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}
