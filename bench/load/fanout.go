package load

import (
	"bytes"
	"fmt"
	"math/rand"
	"sync/atomic"
	"time"

	"github.com/spool-dev/spool/bench/hist"
	"github.com/spool-dev/spool/bench/resp"
)

var stopMessage = []byte("stop")

// runFanout: Clients publishers (one by default) PUBLISH to one channel in
// pipelines of Pipeline; Subscribers connections SUBSCRIBE to it. Each
// message carries its send time; the primary latency is publish to receive,
// and throughput is messages delivered (summed over subscribers) per second.
// When the publishers are done, a "stop" message tells the subscribers that
// everything before it has arrived.
func runFanout(o Options) (*Result, error) {
	channel := o.Key
	setupEnd := time.Now().Add(setupTimeout)
	admin, err := dial(o, setupEnd)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", o.Addr, err)
	}
	defer admin.Close()
	if _, err := do(admin, "PUBLISH", channel, "probe"); err != nil {
		return nil, err
	}
	subs, err := dialAll(o, o.Subscribers, setupEnd)
	if err != nil {
		return nil, err
	}
	defer closeAll(subs)
	for _, c := range subs {
		v, err := do(c, "SUBSCRIBE", channel)
		if err != nil {
			return nil, err
		}
		if (v.Kind != resp.Array && v.Kind != resp.Push) || len(v.Elems) != 3 || string(v.Elems[0].Str) != "subscribe" {
			return nil, fmt.Errorf("SUBSCRIBE: unexpected reply %s", v.String())
		}
	}
	pubs, err := dialAll(o, o.Clients, setupEnd)
	if err != nil {
		return nil, err
	}
	defer closeAll(pubs)

	var (
		published atomic.Int64
		pubGroup  group
		subGroup  group
	)
	b := &budget{limit: o.Requests}
	pubHists := make([]*hist.Histogram, len(pubs))
	subHists := make([]*hist.Histogram, len(subs))
	subCounts := make([]int64, len(subs))
	body := filler(o.ValueSize)
	start := time.Now()
	end := start.Add(o.Duration)
	extend(end.Add(grace), pubs, subs, []*resp.Conn{admin})
	for i, c := range subs {
		i, c := i, c
		subHists[i] = hist.New()
		subGroup.goFn(func() (time.Time, error) {
			last, err := subscriberLoop(c, subHists[i], &subCounts[i])
			if err != nil {
				err = fmt.Errorf("subscriber %d after %d messages: %w", i, subCounts[i], err)
			}
			return last, err
		})
	}
	for i, c := range pubs {
		i, c := i, c
		pubHists[i] = hist.New()
		rng := rand.New(rand.NewSource(int64(i) + 1))
		p := newPacer(o.Rate, len(pubs), o.Pipeline, start, rng)
		pubGroup.goFn(func() (time.Time, error) {
			return publishLoop(c, []byte(channel), body, o.Pipeline, b, p, end, pubHists[i], &published)
		})
	}
	_, pubErr := pubGroup.wait()
	// Everything published has been dispatched (each PUBLISH replied), so
	// the stop message reaches every subscriber after all of it.
	if _, err := do(admin, "PUBLISH", channel, string(stopMessage)); err != nil && pubErr == nil {
		pubErr = err
	}
	last, subErr := subGroup.wait()

	res := &Result{Latency: hist.New(), Elapsed: elapsed(start, last)}
	pubLat := hist.New()
	for i := range subs {
		res.Latency.Merge(subHists[i])
		res.Ops += subCounts[i]
	}
	for i := range pubs {
		pubLat.Merge(pubHists[i])
	}
	secs := res.Elapsed.Seconds()
	if secs <= 0 {
		secs = o.Duration.Seconds()
	}
	res.Extra = []Metric{
		{"published", float64(published.Load()) / secs, "messages/s"},
		{"expected deliveries", float64(published.Load() * int64(len(subs))), "messages"},
		{"publish p99 (PUBLISH reply)", float64(pubLat.Percentile(99)), "ns"},
	}
	if pubErr != nil {
		return res, pubErr
	}
	return res, subErr
}

func publishLoop(c *resp.Conn, channel, body []byte, depth int, b *budget, p *pacer, end time.Time, h *hist.Histogram, published *atomic.Int64) (time.Time, error) {
	var last time.Time
	msg := make([]byte, 0, 24+len(body))
	for time.Now().Before(end) {
		n := b.take(depth)
		if n == 0 {
			break
		}
		sent := p.wait()
		if !sent.Before(end) {
			break
		}
		msg = appendStamp(msg[:0], int64(sent.Sub(epoch)))
		msg = append(msg, ':')
		msg = append(msg, body...)
		for j := 0; j < n; j++ {
			c.Array(3)
			c.BulkString("PUBLISH")
			c.Bulk(channel)
			c.Bulk(msg)
		}
		if err := c.Flush(); err != nil {
			return last, err
		}
		for j := 0; j < n; j++ {
			v, err := c.Read()
			if err != nil {
				return last, err
			}
			if err := expectKind("PUBLISH", v, resp.Integer); err != nil {
				return last, err
			}
			last = time.Now()
			h.Record(int64(last.Sub(sent)))
		}
		published.Add(int64(n))
	}
	return last, nil
}

// subscriberLoop reads messages until the stop message.
func subscriberLoop(c *resp.Conn, h *hist.Histogram, count *int64) (time.Time, error) {
	var last time.Time
	for {
		v, err := c.Read()
		if err != nil {
			return last, err
		}
		if v.IsError() {
			return last, replyError("SUBSCRIBE", v)
		}
		if (v.Kind != resp.Array && v.Kind != resp.Push) || len(v.Elems) != 3 || string(v.Elems[0].Str) != "message" {
			return last, fmt.Errorf("unexpected push %s", v.String())
		}
		payload := v.Elems[2].Str
		if bytes.Equal(payload, stopMessage) {
			return last, nil
		}
		stamp, ok := parseStamp(payload)
		if !ok {
			return last, fmt.Errorf("message without a stamp: %q", payload)
		}
		last = time.Now()
		h.Record(int64(last.Sub(epoch)) - stamp)
		*count++
	}
}
