package streams

import (
	"bytes"
	"runtime"
	"testing"
)

// allocatedBy returns the bytes fn allocates. Fuzz workers run one input at
// a time, so the process-wide counter is fn's own give or take the
// fuzzing engine's bookkeeping.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// decodeAllocLimit is what decoding n bytes may allocate: a decoder must
// check every count against the bytes left, so that a few bytes claiming a
// billion entries cannot make it allocate them. Decoded structures cost a
// small multiple of their encoding (index nodes, maps, a copy of each
// block); the constant covers fixed costs.
func decodeAllocLimit(n int) uint64 { return 256*uint64(n) + 1<<20 }

// FuzzStreamCodecRoundTrip: arbitrary bytes decode without a panic and
// without an allocation out of proportion to their length; what decodes
// encodes to bytes that decode again, and that second round gives the same
// bytes (the encoding of a decoded stream is a fixed point).
func FuzzStreamCodecRoundTrip(f *testing.F) {
	f.Add(randomStream(f, 7, 50).AppendBinary(nil))
	f.Add(New().AppendBinary(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s *Stream
		var err error
		if n := allocatedBy(func() { s, err = DecodeStream(b) }); n > decodeAllocLimit(len(b)) {
			t.Fatalf("decoding %d bytes allocated %d bytes", len(b), n)
		}
		if err != nil {
			return
		}
		want := describe(s)
		once := s.AppendBinary(nil)
		s2, err := DecodeStream(once)
		if err != nil {
			t.Fatalf("re-decoding a decoded stream: %v", err)
		}
		if got := describe(s2); got != want {
			t.Fatalf("round trip changed the stream:\n%s\n%s", want, got)
		}
		if twice := s2.AppendBinary(nil); !bytes.Equal(once, twice) {
			t.Fatalf("encoding is not stable:\n%x\n%x", once, twice)
		}
	})
}
