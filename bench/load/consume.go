package load

import (
	"bytes"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spool-dev/spool/bench/hist"
	"github.com/spool-dev/spool/bench/resp"
)

const consumeGroup = "spoolbench"

// runConsume: Clients producers XADD entries stamped with their send time
// while a consumer group of Consumers consumers loops on
//
//	XACK key g <ids of the previous batch>          (when there are some)
//	XREADGROUP GROUP g cN COUNT n BLOCK ms STREAMS key >
//
// sent as one pipeline, as a well-behaved worker does. The primary latency
// is end to end: from an entry's XADD send to the reply of the XACK that
// acknowledged it. Throughput is entries acknowledged per second.
//
// With Policy, the group gets that queue policy (Spool's XQ.POLICY SET)
// before the run: the same loop then measures what the queue semantics
// cost (the due index kept per delivery and ack, the MAXPENDING check).
//
// The run ends at Duration for producers and consumers alike (the backlog
// left is reported), or, with Requests, once that many entries have been
// produced and all of them acknowledged.
func runConsume(o Options) (*Result, error) {
	key := []byte(o.Key)
	setupEnd := time.Now().Add(setupTimeout)
	admin, err := dial(o, setupEnd)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", o.Addr, err)
	}
	defer admin.Close()
	if _, err := do(admin, "DEL", o.Key); err != nil {
		return nil, err
	}
	// The commands the loop relies on, each checked once so that a server
	// without them fails here with its own error text.
	if _, err := do(admin, "XGROUP", "CREATE", o.Key, consumeGroup, "$", "MKSTREAM"); err != nil {
		return nil, err
	}
	defer cleanup(o, o.Key)
	if o.Policy != "" {
		args := append([]string{"XQ.POLICY", "SET", o.Key, consumeGroup}, strings.Fields(o.Policy)...)
		if _, err := do(admin, args...); err != nil {
			return nil, err
		}
	}
	if v, err := do(admin, "XREADGROUP", "GROUP", consumeGroup, "probe", "COUNT", "1", "STREAMS", o.Key, ">"); err != nil {
		return nil, err
	} else if v.Kind != resp.Null {
		return nil, fmt.Errorf("XREADGROUP on an empty stream: unexpected reply %s", v.String())
	}
	if _, err := do(admin, "XACK", o.Key, consumeGroup, "0-1"); err != nil {
		return nil, err
	}

	producers, err := dialAll(o, o.Clients, setupEnd)
	if err != nil {
		return nil, err
	}
	defer closeAll(producers)
	consumers, err := dialAll(o, o.Consumers, setupEnd)
	if err != nil {
		return nil, err
	}
	defer closeAll(consumers)

	var (
		produced, acked atomic.Int64
		producersDone   atomic.Bool
		prodGroup       group
		consGroup       group
	)
	e := newEntry(o)
	b := &budget{limit: o.Requests}
	prodHists := make([]*hist.Histogram, len(producers))
	prodCounts := make([]int64, len(producers))
	endHists := make([]*hist.Histogram, len(consumers))
	deliverHists := make([]*hist.Histogram, len(consumers))
	start := time.Now()
	end := start.Add(o.Duration)
	extend(end.Add(grace), producers, consumers, []*resp.Conn{admin})
	for i, c := range producers {
		i, c := i, c
		prodHists[i] = hist.New()
		rng := rand.New(rand.NewSource(int64(i) + 1))
		p := newPacer(o.Rate, len(producers), o.Pipeline, start, rng)
		prodGroup.goFn(func() (time.Time, error) {
			return xaddLoop(c, &e, key, o.Pipeline, b, p, end, true, prodHists[i], &prodCounts[i], &produced)
		})
	}
	for i, c := range consumers {
		i, c := i, c
		endHists[i], deliverHists[i] = hist.New(), hist.New()
		cl := &consumerLoop{
			c: c, key: key, name: []byte("c" + strconv.Itoa(i)),
			count: o.Count, block: o.Block, end: end,
			endToEnd: endHists[i], deliver: deliverHists[i],
			acked: &acked,
			done: func() bool {
				return producersDone.Load() && acked.Load() >= produced.Load()
			},
		}
		consGroup.goFn(cl.run)
	}
	_, prodErr := prodGroup.wait()
	producersDone.Store(true)
	last, consErr := consGroup.wait()

	res := &Result{Latency: hist.New(), Ops: acked.Load(), Elapsed: elapsed(start, last)}
	deliver, xadd := hist.New(), hist.New()
	for i := range consumers {
		res.Latency.Merge(endHists[i])
		deliver.Merge(deliverHists[i])
	}
	for i := range producers {
		xadd.Merge(prodHists[i])
	}
	secs := res.Elapsed.Seconds()
	if secs <= 0 {
		secs = o.Duration.Seconds()
	}
	res.Extra = []Metric{
		{"produced", float64(produced.Load()) / secs, "entries/s"},
		{"backlog at end", float64(produced.Load() - acked.Load()), "entries"},
		{"deliver p50 (XADD sent to XREADGROUP reply)", float64(deliver.Percentile(50)), "ns"},
		{"deliver p99", float64(deliver.Percentile(99)), "ns"},
		{"xadd p99", float64(xadd.Percentile(99)), "ns"},
	}
	if prodErr != nil {
		return res, prodErr
	}
	return res, consErr
}

// consumerLoop is one consumer of the group.
type consumerLoop struct {
	c        *resp.Conn
	key      []byte
	name     []byte
	count    int
	block    time.Duration
	end      time.Time
	endToEnd *hist.Histogram
	deliver  *hist.Histogram
	acked    *atomic.Int64
	done     func() bool // producers finished and every entry acknowledged

	ids    []byte  // IDs read and not yet acknowledged, back to back
	idEnds []int   // end offset of each ID in ids
	stamps []int64 // their send stamps
}

func (l *consumerLoop) run() (time.Time, error) {
	var last time.Time
	countArg := []byte(strconv.Itoa(l.count))
	for {
		now := time.Now()
		stop := !now.Before(l.end) || l.done()
		if stop && len(l.idEnds) == 0 {
			return last, nil
		}
		acking := len(l.idEnds)
		if acking > 0 {
			l.c.Array(3 + acking)
			l.c.BulkString("XACK")
			l.c.Bulk(l.key)
			l.c.BulkString(consumeGroup)
			from := 0
			for _, to := range l.idEnds {
				l.c.Bulk(l.ids[from:to])
				from = to
			}
		}
		if !stop {
			// Never BLOCK past the end (and never BLOCK 0, which is forever).
			block := min(l.block, l.end.Sub(now))
			l.c.Array(11)
			l.c.BulkString("XREADGROUP")
			l.c.BulkString("GROUP")
			l.c.BulkString(consumeGroup)
			l.c.Bulk(l.name)
			l.c.BulkString("COUNT")
			l.c.Bulk(countArg)
			l.c.BulkString("BLOCK")
			l.c.BulkInt(max(block.Milliseconds(), 1))
			l.c.BulkString("STREAMS")
			l.c.Bulk(l.key)
			l.c.BulkString(">")
		}
		if err := l.c.Flush(); err != nil {
			return last, err
		}
		if acking > 0 {
			v, err := l.c.Read()
			if err != nil {
				return last, err
			}
			if err := expectKind("XACK", v, resp.Integer); err != nil {
				return last, err
			}
			if v.Int != int64(acking) {
				return last, fmt.Errorf("XACK acknowledged %d of %d entries delivered to this consumer", v.Int, acking)
			}
			t := time.Now()
			at := int64(t.Sub(epoch))
			for _, s := range l.stamps {
				l.endToEnd.Record(at - s)
			}
			l.acked.Add(int64(acking))
			last = t
			l.ids, l.idEnds, l.stamps = l.ids[:0], l.idEnds[:0], l.stamps[:0]
		}
		if stop {
			continue
		}
		v, err := l.c.Read()
		if err != nil {
			return last, err
		}
		if err := l.take(v); err != nil {
			return last, err
		}
	}
}

// take records the entries of an XREADGROUP reply and keeps their IDs for
// the next XACK.
func (l *consumerLoop) take(v resp.Value) error {
	if v.Kind == resp.Null {
		return nil
	}
	if v.IsError() {
		return replyError("XREADGROUP", v)
	}
	at := nowNs()
	return forEachEntry("XREADGROUP", v, func(id []byte, fields []resp.Value) error {
		stamp, ok := stampOf(fields)
		if !ok {
			return fmt.Errorf("XREADGROUP: entry %s has no ts field", id)
		}
		l.deliver.Record(at - stamp)
		l.ids = append(l.ids, id...)
		l.idEnds = append(l.idEnds, len(l.ids))
		l.stamps = append(l.stamps, stamp)
		return nil
	})
}

// forEachEntry walks a RESP2 XREAD/XREADGROUP reply
// [[key, [[id, [field, value, ...]], ...]], ...], or its RESP3 map form
// {key: [[id, [...]], ...]}.
func forEachEntry(cmd string, v resp.Value, fn func(id []byte, fields []resp.Value) error) error {
	bad := func() error { return fmt.Errorf("%s: unexpected reply shape %s", cmd, v.String()) }
	if v.Kind != resp.Array && v.Kind != resp.Map {
		return bad()
	}
	for i, s := range v.Elems {
		entries := s // RESP3: the map's values
		if v.Kind == resp.Map {
			if i%2 == 0 {
				continue
			}
		} else {
			if s.Kind != resp.Array || len(s.Elems) != 2 {
				return bad()
			}
			entries = s.Elems[1]
		}
		if entries.Kind != resp.Array {
			return bad()
		}
		for _, e := range entries.Elems {
			if e.Kind != resp.Array || len(e.Elems) != 2 || e.Elems[0].Kind != resp.Bulk {
				return bad()
			}
			if err := fn(e.Elems[0].Str, e.Elems[1].Elems); err != nil {
				return err
			}
		}
	}
	return nil
}

var tsField = []byte("ts")

// stampOf finds the "ts" field of an entry.
func stampOf(fields []resp.Value) (int64, bool) {
	for i := 0; i+1 < len(fields); i += 2 {
		if bytes.Equal(fields[i].Str, tsField) {
			return parseStamp(fields[i+1].Str)
		}
	}
	return 0, false
}
