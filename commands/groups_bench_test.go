package commands

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/spool-dev/spool/streams"
)

// Benchmarks of the consumer-group commands as the dispatcher runs them
// (parsing, the domain operation, the reply and the effects), without the
// network: BenchmarkXReadGroupAck in the server package adds it. Replies
// go to DiscardReply. The PEL sizes show that the cost per call does not
// grow with the number of pending entries.

var groupBenchPending = []int{1_000, 1_000_000}

type groupBenchEnv struct {
	eng    *Engine
	client *Client
}

func newGroupBenchEnv() *groupBenchEnv {
	now := time.UnixMilli(1_700_000_000_000)
	return &groupBenchEnv{
		eng:    NewEngine(16, nil, func() time.Time { return now }),
		client: NewClient(1, "bench:1", "bench:0", now, true),
	}
}

// do runs one command and fails the benchmark on an error reply.
func (env *groupBenchEnv) do(b *testing.B, args [][]byte) {
	ctx := env.eng.NewContext(env.client, DiscardReply{}, args)
	env.eng.Execute(ctx)
	if ctx.failed {
		b.Fatalf("%q failed", args)
	}
}

// withPending stores at key "q" a stream of n entries (IDs 1-0 to n-0) and
// a group "g" whose consumer "owner" has all of them pending.
func (env *groupBenchEnv) withPending(b *testing.B, n int) {
	b.Helper()
	s := streams.New()
	fields := [][]byte{[]byte("f"), []byte("v")}
	for i := 1; i <= n; i++ {
		if err := s.Add(streams.ID{Ms: uint64(i)}, fields, streams.DefaultNodeLimits); err != nil {
			b.Fatal(err)
		}
	}
	g, err := s.CreateGroup("g", streams.MinID, streams.UnknownEntriesRead)
	if err != nil {
		b.Fatal(err)
	}
	owner, _ := g.CreateConsumer("owner", 0)
	g.ReadNew(owner, 0, false, 1)
	env.eng.Keys.DBs[0].add("q", s, 1)
}

func benchArgs(args ...string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

// BenchmarkXReadGroupAckCycle is the queue loop: XREADGROUP COUNT 10 ">"
// then XACK of the ten IDs, with and without a standing PEL of a million
// entries that another consumer never acknowledges.
func BenchmarkXReadGroupAckCycle(b *testing.B) {
	for _, standing := range []int{0, 1_000_000} {
		b.Run(fmt.Sprintf("pending=%d", standing), func(b *testing.B) {
			env := newGroupBenchEnv()
			env.withPending(b, standing)
			read := benchArgs("XREADGROUP", "GROUP", "g", "worker", "COUNT", "10", "STREAMS", "q", ">")
			ack := benchArgs("XACK", "q", "g", "", "", "", "", "", "", "", "", "", "")
			next := uint64(standing) + 1
			fill := func() {
				for j := 0; j < 10_000; j++ {
					env.do(b, benchArgs("XADD", "q", strconv.FormatUint(next, 10)+"-0", "f", "v"))
					next++
				}
			}
			fill()
			acked := uint64(standing) + 1
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if acked+10 > next {
					b.StopTimer()
					fill()
					b.StartTimer()
				}
				env.do(b, read)
				for j := 0; j < 10; j++ {
					ack[3+j] = strconv.AppendUint(ack[3+j][:0], acked, 10)
					acked++
				}
				env.do(b, ack)
			}
		})
	}
}

// BenchmarkXPending: the summary, a page of ten from the start and from the
// middle of the PEL, and a page of one consumer's entries.
func BenchmarkXPending(b *testing.B) {
	for _, n := range groupBenchPending {
		env := newGroupBenchEnv()
		env.withPending(b, n)
		mid := strconv.Itoa(n/2) + "-0"
		for _, tc := range []struct {
			name string
			args [][]byte
		}{
			{"summary", benchArgs("XPENDING", "q", "g")},
			{"first10", benchArgs("XPENDING", "q", "g", "-", "+", "10")},
			{"middle10", benchArgs("XPENDING", "q", "g", mid, "+", "10")},
			{"consumer10", benchArgs("XPENDING", "q", "g", mid, "+", "10", "owner")},
		} {
			b.Run(fmt.Sprintf("pending=%d/%s", n, tc.name), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					env.do(b, tc.args)
				}
			})
		}
	}
}

// cursorReply keeps the first bulk string of a reply: XAUTOCLAIM's cursor.
type cursorReply struct {
	DiscardReply
	cursor []byte
	got    bool
}

func (r *cursorReply) Bulk(b []byte) {
	if !r.got {
		r.cursor, r.got = append(r.cursor[:0], b...), true
	}
}

// BenchmarkXAutoClaim claims ten entries per call from a PEL of n entries,
// following the cursor (and starting over at its end), with and without the
// entries in the reply.
func BenchmarkXAutoClaim(b *testing.B) {
	for _, n := range groupBenchPending {
		for _, justID := range []bool{false, true} {
			b.Run(fmt.Sprintf("pending=%d/justid=%v", n, justID), func(b *testing.B) {
				env := newGroupBenchEnv()
				env.withPending(b, n)
				args := benchArgs("XAUTOCLAIM", "q", "g", "claimer", "0", "0", "COUNT", "10")
				if justID {
					args = append(args, []byte("JUSTID"))
				}
				out := &cursorReply{cursor: []byte("0-0")}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					args[5] = append(args[5][:0], out.cursor...)
					out.got = false
					ctx := env.eng.NewContext(env.client, out, args)
					env.eng.Execute(ctx)
					if ctx.failed {
						b.Fatal("XAUTOCLAIM failed")
					}
				}
			})
		}
	}
}
