package load

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"github.com/spool-dev/spool/bench/hist"
	"github.com/spool-dev/spool/bench/resp"
)

// DefaultMix is the mixed scenario's blend: mostly appends, some reads of
// the stream's tail, group consumption and notifications.
const DefaultMix = "xadd=50,xrange=15,xlen=10,xreadgroup=15,publish=10"

// mixOps are the operations a mix can name, in report order. xack is not
// chosen: it follows xreadgroup (the IDs one batch read are acknowledged at
// the head of the connection's next batch).
var mixOps = []string{"xadd", "xrange", "xlen", "xreadgroup", "xack", "publish"}

const (
	opXAdd = iota
	opXRange
	opXLen
	opXReadGroup
	opXAck
	opPublish
)

// parseMix turns "xadd=50,xlen=10" into cumulative weights by operation.
func parseMix(s string) ([]int, error) {
	cum := make([]int, len(mixOps))
	weights := make([]int, len(mixOps))
	for _, part := range strings.Split(s, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(w)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("mix: %q is not op=weight", part)
		}
		found := false
		for i, op := range mixOps {
			if op == name && i != opXAck {
				weights[i] += n
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("mix: unknown operation %q (have xadd, xrange, xlen, xreadgroup, publish)", name)
		}
	}
	total := 0
	for i, w := range weights {
		total += w
		cum[i] = total
	}
	if total == 0 {
		return nil, fmt.Errorf("mix: %q has no weight", s)
	}
	return cum, nil
}

// runMixed: Clients connections send pipelines of Pipeline commands drawn
// from the mix against one stream. Throughput and latency are over every
// reply; Extra has each operation's p99.
func runMixed(o Options) (*Result, error) {
	cum, err := parseMix(o.Mix)
	if err != nil {
		return nil, err
	}
	setupEnd := time.Now().Add(setupTimeout)
	conns, err := dialAll(o, o.Clients, setupEnd)
	if err != nil {
		return nil, err
	}
	defer closeAll(conns)
	admin := conns[0]
	if _, err := do(admin, "DEL", o.Key); err != nil {
		return nil, err
	}
	defer cleanup(o, o.Key)
	// Each operation once, so that a missing command fails here with the
	// server's own error.
	probes := [][]string{
		{"XGROUP", "CREATE", o.Key, consumeGroup, "$", "MKSTREAM"},
		{"XADD", o.Key, "*", "probe", "1"},
		{"XREVRANGE", o.Key, "+", "-", "COUNT", "1"},
		{"XLEN", o.Key},
		{"XREADGROUP", "GROUP", consumeGroup, "probe", "COUNT", "1", "STREAMS", o.Key, ">"},
		{"XACK", o.Key, consumeGroup, "0-1"},
		{"PUBLISH", o.Key, "probe"},
	}
	for _, p := range probes {
		if _, err := do(admin, p...); err != nil {
			return nil, err
		}
	}

	e := newEntry(o)
	b := &budget{limit: o.Requests}
	type workerStats struct {
		all   *hist.Histogram
		perOp []*hist.Histogram
	}
	stats := make([]workerStats, len(conns))
	var g group
	start := time.Now()
	end := start.Add(o.Duration)
	extend(end.Add(grace), conns)
	for i, c := range conns {
		i, c := i, c
		st := workerStats{all: hist.New(), perOp: make([]*hist.Histogram, len(mixOps))}
		for j := range st.perOp {
			st.perOp[j] = hist.New()
		}
		stats[i] = st
		w := &mixWorker{
			c: c, e: &e, key: []byte(o.Key), name: []byte("m" + strconv.Itoa(i)),
			count: []byte(strconv.Itoa(o.Count)), cum: cum,
			rng: rand.New(rand.NewSource(int64(i) + 1)), body: filler(o.ValueSize),
			all: st.all, perOp: st.perOp,
		}
		p := newPacer(o.Rate, len(conns), o.Pipeline, start, rand.New(rand.NewSource(int64(i)+1000)))
		g.goFn(func() (time.Time, error) { return w.run(o.Pipeline, b, p, end) })
	}
	last, err := g.wait()
	res := &Result{Latency: hist.New(), Elapsed: elapsed(start, last), PerOp: map[string]int64{}}
	for j, op := range mixOps {
		h := hist.New()
		for i := range stats {
			h.Merge(stats[i].perOp[j])
		}
		if h.Count() > 0 {
			res.PerOp[op] = int64(h.Count())
			res.Extra = append(res.Extra, Metric{op + " p99", float64(h.Percentile(99)), "ns"})
		}
	}
	for i := range stats {
		res.Latency.Merge(stats[i].all)
	}
	res.Ops = int64(res.Latency.Count())
	return res, err
}

type mixWorker struct {
	c     *resp.Conn
	e     *entry
	key   []byte
	name  []byte
	count []byte
	cum   []int
	rng   *rand.Rand
	body  []byte
	all   *hist.Histogram
	perOp []*hist.Histogram

	sent   []int  // operation of each command in the batch, in order
	ids    []byte // IDs to acknowledge in the next batch
	idEnds []int
}

func (w *mixWorker) pick() int {
	r := w.rng.Intn(w.cum[len(w.cum)-1])
	for i, c := range w.cum {
		if r < c {
			return i
		}
	}
	return opXAdd
}

func (w *mixWorker) run(depth int, b *budget, p *pacer, end time.Time) (time.Time, error) {
	var last time.Time
	msg := make([]byte, 0, 24+len(w.body))
	for time.Now().Before(end) {
		n := b.take(depth)
		if n == 0 {
			break
		}
		sent := p.wait()
		if !sent.Before(end) {
			break
		}
		w.sent = w.sent[:0]
		if len(w.idEnds) > 0 {
			w.c.Array(3 + len(w.idEnds))
			w.c.BulkString("XACK")
			w.c.Bulk(w.key)
			w.c.BulkString(consumeGroup)
			from := 0
			for _, to := range w.idEnds {
				w.c.Bulk(w.ids[from:to])
				from = to
			}
			w.sent = append(w.sent, opXAck)
		}
		w.ids, w.idEnds = w.ids[:0], w.idEnds[:0]
		for j := 0; j < n; j++ {
			op := w.pick()
			switch op {
			case opXAdd:
				w.e.write(w.c.Writer, w.key, -1)
			case opXRange:
				w.c.Array(6)
				w.c.BulkString("XREVRANGE")
				w.c.Bulk(w.key)
				w.c.BulkString("+")
				w.c.BulkString("-")
				w.c.BulkString("COUNT")
				w.c.Bulk(w.count)
			case opXLen:
				w.c.Array(2)
				w.c.BulkString("XLEN")
				w.c.Bulk(w.key)
			case opXReadGroup:
				w.c.Array(9)
				w.c.BulkString("XREADGROUP")
				w.c.BulkString("GROUP")
				w.c.BulkString(consumeGroup)
				w.c.Bulk(w.name)
				w.c.BulkString("COUNT")
				w.c.Bulk(w.count)
				w.c.BulkString("STREAMS")
				w.c.Bulk(w.key)
				w.c.BulkString(">")
			case opPublish:
				msg = appendStamp(msg[:0], int64(sent.Sub(epoch)))
				msg = append(msg, ':')
				msg = append(msg, w.body...)
				w.c.Array(3)
				w.c.BulkString("PUBLISH")
				w.c.Bulk(w.key)
				w.c.Bulk(msg)
			}
			w.sent = append(w.sent, op)
		}
		if err := w.c.Flush(); err != nil {
			return last, err
		}
		for _, op := range w.sent {
			v, err := w.c.Read()
			if err != nil {
				return last, err
			}
			if err := w.check(op, v); err != nil {
				return last, err
			}
			last = time.Now()
			lat := int64(last.Sub(sent))
			w.all.Record(lat)
			w.perOp[op].Record(lat)
		}
	}
	return last, nil
}

// check validates a reply and collects the IDs an XREADGROUP delivered.
func (w *mixWorker) check(op int, v resp.Value) error {
	name := strings.ToUpper(mixOps[op])
	switch op {
	case opXAdd:
		return expectKind(name, v, resp.Bulk)
	case opXRange:
		return expectKind("XREVRANGE", v, resp.Array)
	case opXLen, opXAck, opPublish:
		return expectKind(name, v, resp.Integer)
	case opXReadGroup:
		if v.Kind == resp.Null {
			return nil
		}
		if v.IsError() {
			return replyError(name, v)
		}
		return forEachEntry(name, v, func(id []byte, _ []resp.Value) error {
			w.ids = append(w.ids, id...)
			w.idEnds = append(w.idEnds, len(w.ids))
			return nil
		})
	}
	return nil
}
