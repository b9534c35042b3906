package commands

import (
	"testing"
	"time"
)

// BenchmarkXAddDispatch runs XADD through the dispatcher as a connection
// does (one reused Context, Reset per command) and encodes its effects as
// the server's logEffectsLocked does, so that allocations made for the
// reply, the effect and the stream all show. "plain" is spoolbench's xadd
// entry (one 10-byte value); "maxlen" adds MAXLEN ~ 1000; "3fields" is the
// xadd-3f row of bench-compare.
func BenchmarkXAddDispatch(b *testing.B) {
	value := "vvvvvvvvvv"
	long := "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
	cases := []struct {
		name string
		args [][]byte
	}{
		{"plain", benchArgs("XADD", "s", "*", "f0", value)},
		{"maxlen", benchArgs("XADD", "s", "MAXLEN", "~", "1000", "*", "f0", value)},
		{"3fields", benchArgs("XADD", "s", "*", "f0", long, "f1", long, "f2", long)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			env := newGroupBenchEnv()
			ms := int64(1_700_000_000_000)
			env.eng.Clock = func() time.Time { return time.UnixMilli(ms) }
			ctx := new(Context)
			var enc []byte
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%16 == 0 {
					ms++ // about what a busy server sees: 16 XADDs per ms
				}
				ctx.Reset(env.eng, env.client, DiscardReply{}, c.args)
				env.eng.Execute(ctx)
				if ctx.failed {
					b.Fatalf("%q failed", c.args)
				}
				enc = EncodeEffects(enc[:0], ctx.Effects())
			}
			b.ReportMetric(float64(len(enc)), "effect-bytes")
		})
	}
}
