package load

import (
	"math/rand"
	"sync/atomic"
	"time"

	"github.com/spool-dev/spool/bench/hist"
	"github.com/spool-dev/spool/bench/resp"
)

// runXAdd: Clients connections each send Pipeline XADDs per round trip, as
// redis-benchmark does. Latency is per XADD, from its batch's send (or
// scheduled send) to its reply.
func runXAdd(o Options) (*Result, error) {
	keys := streamKeys(o)
	conns, err := dialAll(o, o.Clients, time.Now().Add(setupTimeout))
	if err != nil {
		return nil, err
	}
	defer closeAll(conns)
	// Fail at once, with the server's words, if XADD is refused.
	if _, err := do(conns[0], append([]string{"DEL"}, keyStrings(keys)...)...); err != nil {
		return nil, err
	}
	if _, err := do(conns[0], "XADD", string(keys[0]), "*", "probe", "1"); err != nil {
		return nil, err
	}
	if _, err := do(conns[0], "DEL", string(keys[0])); err != nil {
		return nil, err
	}
	defer cleanup(o, keyStrings(keys)...)

	e := newEntry(o)
	b := &budget{limit: o.Requests}
	hists := make([]*hist.Histogram, len(conns))
	counts := make([]int64, len(conns))
	var g group
	start := time.Now()
	end := start.Add(o.Duration)
	extend(end.Add(grace), conns)
	for i, c := range conns {
		i, c := i, c
		hists[i] = hist.New()
		key := keys[i%len(keys)]
		rng := rand.New(rand.NewSource(int64(i) + 1))
		p := newPacer(o.Rate, len(conns), o.Pipeline, start, rng)
		g.goFn(func() (time.Time, error) {
			return xaddLoop(c, &e, key, o.Pipeline, b, p, end, false, hists[i], &counts[i], nil)
		})
	}
	last, err := g.wait()
	res := &Result{Latency: hist.New(), Elapsed: elapsed(start, last)}
	for i := range conns {
		res.Latency.Merge(hists[i])
		res.Ops += counts[i]
	}
	return res, err
}

// xaddLoop sends pipelines of XADD until end or the budget is spent. With
// stamped, each entry carries its send time in a "ts" field. Replies are
// counted in count and, when total is not nil, in total.
func xaddLoop(c *resp.Conn, e *entry, key []byte, depth int, b *budget, p *pacer, end time.Time,
	stamped bool, h *hist.Histogram, count *int64, total *atomic.Int64) (time.Time, error) {
	var last time.Time
	for time.Now().Before(end) {
		n := b.take(depth)
		if n == 0 {
			break
		}
		sent := p.wait()
		if !sent.Before(end) {
			break
		}
		stamp := int64(-1)
		if stamped {
			stamp = int64(sent.Sub(epoch))
		}
		for j := 0; j < n; j++ {
			e.write(c.Writer, key, stamp)
		}
		if err := c.Flush(); err != nil {
			return last, err
		}
		for j := 0; j < n; j++ {
			v, err := c.Read()
			if err != nil {
				return last, err
			}
			if err := expectKind("XADD", v, resp.Bulk); err != nil {
				return last, err
			}
			last = time.Now()
			h.Record(int64(last.Sub(sent)))
			*count++
		}
		if total != nil {
			total.Add(int64(n))
		}
	}
	return last, nil
}
