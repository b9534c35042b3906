package streams

import (
	"fmt"
	"math"
	"testing"
)

// AppendBinary reserves encodedSize bytes up front: the reservation must be
// exact, or the snapshot either grows dst again or wastes memory.
func TestFrozenEncodedSize(t *testing.T) {
	streams := []*Stream{New(), fillAuto(t, 1000)}
	for seed := uint64(1); seed <= 10; seed++ {
		streams = append(streams, randomStream(t, seed, 300))
	}
	big := New()
	big.Add(ID{Ms: math.MaxUint64 - 1, Seq: math.MaxUint64}, pairs("f", string(make([]byte, 20000))), DefaultNodeLimits)
	streams = append(streams, big)
	for i, s := range streams {
		f := s.Freeze()
		prefix := []byte("head")
		enc := f.AppendBinary(prefix)
		if got, want := f.encodedSize(), len(enc)-len(prefix); got != want {
			t.Errorf("stream %d: encodedSize %d, AppendBinary appended %d", i, got, want)
		}
	}
	for _, v := range []uint64{0, 1, 127, 128, 16383, 16384, 1<<63 - 1, math.MaxUint64} {
		if got, want := uvarintLen(v), len(appendID(nil, ID{Ms: v}))-1; got != want {
			t.Errorf("uvarintLen(%d) = %d, want %d", v, got, want)
		}
	}
}

// BenchmarkFrozenAppendBinary is the snapshot encoding of one stream into
// a fresh buffer, as server.writeSnapshot does.
func BenchmarkFrozenAppendBinary(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			f := sharedStream(b, n).Freeze()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = f.AppendBinary(nil)
			}
		})
	}
}
