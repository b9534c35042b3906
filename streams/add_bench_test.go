package streams

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkAddRate adds spoolbench's xadd entry ("f" and a 10-byte value)
// with the IDs "*" gives at a given rate, from an empty stream: the bytes
// per op are the block storage as it is allocated, grown and shrunk.
// At 200 per ms (a busy server) sequence numbers take two varint bytes.
func BenchmarkAddRate(b *testing.B) {
	fields := pairs("f", "vvvvvvvvvv")
	for _, perMs := range []int{8, 200} {
		b.Run(fmt.Sprintf("perMs=%d", perMs), func(b *testing.B) {
			s := New()
			now := uint64(1_700_000_000_000)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%perMs == 0 {
					now++
				}
				id, _ := s.NextAutoID(now)
				if err := s.Add(id, fields, DefaultNodeLimits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSmallStreamBytes reports the heap held by streams of 1 and 10
// entries (spoolbench's entry), per stream: many small streams must not
// each reserve a full node.
func BenchmarkSmallStreamBytes(b *testing.B) {
	fields := pairs("f", "vvvvvvvvvv")
	wide := pairs("field", string(make([]byte, 100)))
	for _, c := range []struct {
		name    string
		fv      [][]byte
		entries int
	}{{"entries=1", fields, 1}, {"entries=10", fields, 10}, {"entries=1/value=100", wide, 1}} {
		b.Run(c.name, func(b *testing.B) {
			const n = 10_000
			for i := 0; i < b.N; i++ {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				all := make([]*Stream, n)
				for k := range all {
					s := New()
					for e := 1; e <= c.entries; e++ {
						if err := s.Add(ID{Ms: uint64(e)}, c.fv, DefaultNodeLimits); err != nil {
							b.Fatal(err)
						}
					}
					all[k] = s
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				runtime.KeepAlive(all)
				b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "bytes/stream")
			}
		})
	}
}
