package commands

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spool-dev/spool/streams"
)

// BenchmarkXQConsumeCycle is the cost of Spool's queue semantics on the
// consume loop (issue 8's note): one op is ten XADDs, XREADGROUP COUNT 10
// ">" and the XACK of the ten IDs, as the dispatcher runs them (no
// network), for a group without a policy (Redis's behaviour) and with
// one; and with a standing PEL of 100,000 entries another consumer never
// acknowledges, which the policy's due index holds too. The clock stands
// still, so nothing falls due: this is the bookkeeping every delivery and
// ack pays, not redelivery. BenchmarkXReadGroupAckCycle is the same loop
// without the XADDs.
//
// Besides ns/op (wall time), it reports cpu-ns/op, the process's CPU time
// per op (user + system, GC included), which a loaded machine disturbs
// much less.
func BenchmarkXQConsumeCycle(b *testing.B) {
	for _, standing := range []int{0, 100_000} {
		for _, policy := range []string{"", "ACKWAIT 30000 MAXDELIVER 5", "ACKWAIT 30000 MAXDELIVER 5 MAXPENDING 100"} {
			name := "none"
			if policy != "" {
				name = strings.ReplaceAll(policy, " ", "_")
			}
			b.Run(fmt.Sprintf("pending=%d/policy=%s", standing, name), func(b *testing.B) {
				env := newGroupBenchEnv()
				env.withPending(b, standing)
				if standing > 0 {
					// Delivered now, not at time 0: not due for 30 s.
					ids := make([]streams.ID, standing)
					for j := range ids {
						ids[j] = streams.ID{Ms: uint64(j + 1)}
					}
					s := env.eng.Keys.DBs[0].peek("q").value.(*streams.Stream)
					s.Group("g").Touch(ids, env.eng.Clock().UnixMilli())
				}
				if policy != "" {
					env.do(b, benchArgs(append([]string{"XQ.POLICY", "SET", "q", "g"}, strings.Fields(policy)...)...))
				}
				adds := make([][][]byte, 10)
				for j := range adds {
					adds[j] = benchArgs("XADD", "q", "", "f", "v")
				}
				read := benchArgs("XREADGROUP", "GROUP", "g", "worker", "COUNT", "10", "STREAMS", "q", ">")
				ack := benchArgs("XACK", "q", "g", "", "", "", "", "", "", "", "", "", "")
				next := uint64(standing) + 1
				b.ReportAllocs()
				b.ResetTimer()
				cpu := processCPU()
				for i := 0; i < b.N; i++ {
					for j, add := range adds {
						add[2] = append(strconv.AppendUint(add[2][:0], next+uint64(j), 10), "-0"...)
						env.do(b, add)
					}
					env.do(b, read)
					for j := 0; j < 10; j++ {
						ack[3+j] = strconv.AppendUint(ack[3+j][:0], next+uint64(j), 10)
					}
					env.do(b, ack)
					next += 10
				}
				b.StopTimer()
				b.ReportMetric(float64((processCPU()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
				// The loop did what it claims: every entry read was acked,
				// and only the standing PEL is left.
				s := env.eng.Keys.DBs[0].peek("q").value.(*streams.Stream)
				g := s.Group("g")
				if st := g.Stats(); st.Acked != int64(b.N)*10 || g.PendingCount() != standing {
					b.Fatalf("after %d cycles: %+v, %d pending", b.N, st, g.PendingCount())
				}
				if _, ok := g.Policy(); ok != (policy != "") {
					b.Fatalf("policy %q not in effect", policy)
				}
			})
		}
	}
}

// processCPU returns the CPU time (user + system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkXQPolicyOverhead measures the same cycle as BenchmarkXQConsumeCycle
// for a group without a policy and one with ACKWAIT 30000 MAXDELIVER 5,
// side by side: each op runs a chunk of 50 cycles on one, then on the
// other, so both see the same machine load; it reports the 10th
// percentile and the median of the chunks' time per cycle for each, and
// the policy's overhead on both. On a busy machine this is steadier than
// comparing two sub-benchmarks run one after the other.
func BenchmarkXQPolicyOverhead(b *testing.B) {
	const chunk = 50
	type variant struct {
		env   *groupBenchEnv
		next  uint64
		times []float64 // ns per cycle, per chunk
	}
	mk := func(policy string) *variant {
		v := &variant{env: newGroupBenchEnv(), next: 1}
		v.env.withPending(b, 0)
		if policy != "" {
			v.env.do(b, benchArgs(append([]string{"XQ.POLICY", "SET", "q", "g"}, strings.Fields(policy)...)...))
		}
		return v
	}
	none, pol := mk(""), mk("ACKWAIT 30000 MAXDELIVER 5")
	adds := make([][][]byte, 10)
	for j := range adds {
		adds[j] = benchArgs("XADD", "q", "", "f", "v")
	}
	read := benchArgs("XREADGROUP", "GROUP", "g", "worker", "COUNT", "10", "STREAMS", "q", ">")
	ack := benchArgs("XACK", "q", "g", "", "", "", "", "", "", "", "", "", "")
	run := func(v *variant) {
		start := time.Now()
		for i := 0; i < chunk; i++ {
			for j, add := range adds {
				add[2] = append(strconv.AppendUint(add[2][:0], v.next+uint64(j), 10), "-0"...)
				v.env.do(b, add)
			}
			v.env.do(b, read)
			for j := 0; j < 10; j++ {
				ack[3+j] = strconv.AppendUint(ack[3+j][:0], v.next+uint64(j), 10)
			}
			v.env.do(b, ack)
			v.next += 10
		}
		v.times = append(v.times, float64(time.Since(start).Nanoseconds())/chunk)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			run(none)
			run(pol)
		} else {
			run(pol)
			run(none)
		}
	}
	b.StopTimer()
	pct := func(xs []float64, p float64) float64 {
		xs = slices.Clone(xs)
		slices.Sort(xs)
		return xs[int(p*float64(len(xs)-1))]
	}
	n10, p10 := pct(none.times, 0.1), pct(pol.times, 0.1)
	n50, p50 := pct(none.times, 0.5), pct(pol.times, 0.5)
	b.ReportMetric(n10, "none-p10-ns/cycle")
	b.ReportMetric(p10, "policy-p10-ns/cycle")
	b.ReportMetric(n50, "none-p50-ns/cycle")
	b.ReportMetric(p50, "policy-p50-ns/cycle")
	b.ReportMetric(100*(p10/n10-1), "overhead-p10-%")
	b.ReportMetric(100*(p50/n50-1), "overhead-p50-%")
}
