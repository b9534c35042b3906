package commands

import (
	"reflect"
	"runtime"
	"testing"
	"time"
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

// decodeAllocLimit is what decoding n bytes may allocate: every count a
// decoder reads must be checked against the bytes left, so that a few bytes
// claiming a billion elements cannot make it allocate them. Decoded values
// cost a small multiple of their encoding (slice headers, maps, skiplist
// nodes); the constant covers fixed costs such as a fresh keyspace.
func decodeAllocLimit(n int) uint64 { return 512*uint64(n) + 4<<20 }

// FuzzEffectCodec: arbitrary bytes decode as an effect batch without a
// panic or an allocation out of proportion to their length, every decoded
// effect has a command, and re-encoding what decoded gives the same effects.
func FuzzEffectCodec(f *testing.F) {
	f.Add(EncodeEffects(nil, []Effect{
		{DB: 0, Args: [][]byte{[]byte("XADD"), []byte("s"), []byte("1-1"), []byte("f"), []byte("v")}},
		{DB: 3, Args: [][]byte{[]byte("XACK"), []byte("s"), []byte("g"), []byte("1-1")}},
	}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		var effs []Effect
		var err error
		if n := allocatedBy(func() { effs, err = DecodeEffects(b) }); n > decodeAllocLimit(len(b)) {
			t.Fatalf("decoding %d bytes allocated %d bytes", len(b), n)
		}
		if err != nil {
			return
		}
		for i, e := range effs {
			if len(e.Args) == 0 || e.DB < 0 {
				t.Fatalf("effect %d has db %d and %d arguments", i, e.DB, len(e.Args))
			}
		}
		again, err := DecodeEffects(EncodeEffects(nil, effs))
		if err != nil {
			t.Fatalf("decoding re-encoded effects: %v", err)
		}
		if len(effs) != 0 && !reflect.DeepEqual(again, effs) {
			t.Fatalf("re-encoding changed %q into %q", effectsText(effs), effectsText(again))
		}
	})
}

// FuzzLoadSnapshot: arbitrary bytes load as a dataset snapshot without a
// panic or an allocation out of proportion to their length. A snapshot
// that loads is written again and loaded into another engine: the two
// datasets are the same (the bytes may differ, since the keys of a
// database are written in map order).
func FuzzLoadSnapshot(f *testing.F) {
	snap, err := newFuzzEnv(f).eng.AppendSnapshot(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(snap)
	empty, _ := NewEngine(16, nil, nil).AppendSnapshot(nil)
	f.Add(empty)
	f.Fuzz(func(t *testing.T, b []byte) {
		eng := NewEngine(16, nil, func() time.Time { return fuzzStart })
		var err error
		if n := allocatedBy(func() { err = eng.LoadSnapshot(b) }); n > decodeAllocLimit(len(b)) {
			t.Fatalf("loading %d bytes allocated %d bytes", len(b), n)
		}
		if err != nil {
			return
		}
		want := eng.Dump()
		again, err := eng.AppendSnapshot(nil)
		if err != nil {
			t.Fatalf("writing a loaded snapshot: %v", err)
		}
		other := NewEngine(16, nil, func() time.Time { return fuzzStart })
		if err := other.LoadSnapshot(again); err != nil {
			t.Fatalf("loading a re-written snapshot: %v", err)
		}
		if got := other.Dump(); got != want {
			t.Fatalf("snapshot round trip changed the dataset\nloaded:\n%s\nreloaded:\n%s", want, got)
		}
	})
}
