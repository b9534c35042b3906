// Command workqueue shows Spool's queue semantics (the XQ. commands): an
// SQS-style work queue whose workers use nothing but plain XREADGROUP and
// XACK, with the server doing what Redis leaves to every client. The group
// gets a policy once:
//
//	XQ.POLICY SET jobs workers ACKWAIT 500 MAXDELIVER 3 MAXPENDING 5
//
// and from then on:
//
//   - ACKWAIT: an entry left unacknowledged for 500 ms is served again by the
//     group's next XREADGROUP ">" (before new entries), to whichever worker
//     asks, with its delivery count bumped. A worker that crashes holding
//     jobs needs no reaper: the survivors get its jobs. A blocked reader is
//     woken when one falls due.
//   - MAXDELIVER: a job that would be delivered a 4th time (a poison
//     message) is moved instead to the dead-letter stream jobs:dlq, with its
//     fields plus xq-source, xq-id, xq-group, xq-consumer, xq-deliveries and
//     xq-reason; the channel __xq__:deadletter:jobs gets its ID.
//   - MAXPENDING: a worker holding 5 unacknowledged jobs gets no more until
//     it acks (prefetch), so one slow or greedy worker cannot hoard the queue.
//   - XQ.NACK ... DELAY ms gives a failed job back for a retry after a
//     delay (it counts toward MAXDELIVER); XQ.REDRIVE moves dead letters back
//     once the bug is fixed.
//
// The promise: at-least-once processing of every job whose XADD was
// acknowledged, crashes included (the policy, pending entries, counters and
// dead letters survive a server restart too); a job that keeps failing
// stops being retried after MAXDELIVER and waits in the DLQ instead of
// blocking the queue. The cost: handlers must tolerate duplicates (a job
// whose work was done but whose XACK was lost runs again), and a job takes
// ACKWAIT to come back after a crash.
//
//	go run ./examples/workqueue -addr 127.0.0.1:6379
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrCrashed is returned by a worker whose crash was injected.
var ErrCrashed = errors.New("worker crashed (injected)")

// Policy is a group's queue policy (XQ.POLICY SET).
type Policy struct {
	AckWait    time.Duration // redeliver an entry unacknowledged this long
	MaxDeliver int           // deliveries before the DLQ
	MaxPending int           // unacknowledged entries a worker may hold
}

// DLQKey is the default dead-letter stream of a stream.
func DLQKey(stream string) string { return stream + ":dlq" }

// NoticeChannel is where Spool announces each dead letter of stream (the
// message is the source entry's ID).
func NoticeChannel(stream string) string { return "__xq__:deadletter:" + stream }

// Setup creates the stream, its consumer group (an existing one is fine)
// and sets the group's queue policy.
func Setup(ctx context.Context, rdb *redis.Client, stream, group string, p Policy) error {
	err := rdb.XGroupCreateMkStream(ctx, stream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return rdb.Do(ctx, "XQ.POLICY", "SET", stream, group,
		"ACKWAIT", p.AckWait.Milliseconds(), "MAXDELIVER", p.MaxDeliver, "MAXPENDING", p.MaxPending).Err()
}

// Produce appends one entry per job, field "job".
func Produce(ctx context.Context, rdb *redis.Client, stream string, jobs ...string) ([]string, error) {
	ids := make([]string, 0, len(jobs))
	for _, job := range jobs {
		id, err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []string{"job", job}}).Result()
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Delivery is a job as a worker got it.
type Delivery struct {
	ID, Job, Worker string
}

// Worker reads jobs with plain XREADGROUP ... BLOCK, runs the handler and
// acknowledges each job after its work. A job whose handler fails is given
// back with XQ.NACK ... DELAY RetryDelay.
type Worker struct {
	Client     *redis.Client
	Stream     string
	Group      string
	Name       string
	Batch      int64         // COUNT per read
	Block      time.Duration // BLOCK per read
	RetryDelay time.Duration // XQ.NACK DELAY for a failed job
	// CrashAfterRead, when set, makes the worker die right after its first
	// read, holding every job it got unacknowledged.
	CrashAfterRead bool
}

// Run serves jobs until ctx ends (it then returns nil) or the worker
// crashes (ErrCrashed). It returns what it got, in order.
func (w *Worker) Run(ctx context.Context, handle func(Delivery) error) ([]Delivery, error) {
	var got []Delivery
	for ctx.Err() == nil {
		res, err := w.Client.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: w.Group, Consumer: w.Name, Streams: []string{w.Stream, ">"},
			Count: w.Batch, Block: w.Block,
		}).Result()
		if errors.Is(err, redis.Nil) {
			continue // nothing within Block
		}
		if err != nil {
			if ctx.Err() != nil {
				return got, nil
			}
			return got, err
		}
		for _, m := range res[0].Messages {
			d := Delivery{ID: m.ID, Job: fmt.Sprint(m.Values["job"]), Worker: w.Name}
			got = append(got, d)
			if w.CrashAfterRead {
				continue
			}
			if err := handle(d); err != nil {
				// Give it back for a retry after RetryDelay.
				err = w.Client.Do(ctx, "XQ.NACK", w.Stream, w.Group, "DELAY", w.RetryDelay.Milliseconds(), "IDS", 1, m.ID).Err()
				if err != nil {
					return got, err
				}
				continue
			}
			if err := w.Client.XAck(ctx, w.Stream, w.Group, m.ID).Err(); err != nil {
				return got, err
			}
		}
		if w.CrashAfterRead {
			return got, ErrCrashed
		}
	}
	return got, nil
}

// DeadLetter is an entry of the DLQ stream.
type DeadLetter struct {
	ID         string // in the DLQ
	Job        string
	Source     string // xq-source: the stream it came from
	SourceID   string // xq-id: its ID there
	Group      string // xq-group
	Consumer   string // xq-consumer: the last worker that had it
	Deliveries int    // xq-deliveries
	Reason     string // xq-reason: maxdeliver, or fatal (XNACK ... FATAL)
}

// DeadLetters returns the entries of the DLQ stream dlq.
func DeadLetters(ctx context.Context, rdb *redis.Client, dlq string) ([]DeadLetter, error) {
	entries, err := rdb.XRange(ctx, dlq, "-", "+").Result()
	if err != nil {
		return nil, err
	}
	out := make([]DeadLetter, 0, len(entries))
	for _, e := range entries {
		v := func(f string) string { return fmt.Sprint(e.Values[f]) }
		n, _ := strconv.Atoi(v("xq-deliveries"))
		out = append(out, DeadLetter{ID: e.ID, Job: v("job"), Source: v("xq-source"), SourceID: v("xq-id"),
			Group: v("xq-group"), Consumer: v("xq-consumer"), Deliveries: n, Reason: v("xq-reason")})
	}
	return out, nil
}

// Redrive moves every dead letter of dlq back to its source stream, as a new
// entry without the xq-* fields, and returns how many moved.
func Redrive(ctx context.Context, rdb *redis.Client, dlq string) (int64, error) {
	return rdb.Do(ctx, "XQ.REDRIVE", dlq).Int64()
}

// Stats returns XQ.STATS of the group: delivered, redelivered, acked,
// dead-lettered, pending, oldest-pending-age, next-due-in (and lag, -1 when
// unknown).
func Stats(ctx context.Context, rdb *redis.Client, stream, group string) (map[string]int64, error) {
	v, err := rdb.Do(ctx, "XQ.STATS", stream, group).Result()
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	add := func(k, val any) {
		n, ok := val.(int64)
		if !ok {
			n = -1 // lag: null when unknown
		}
		out[fmt.Sprint(k)] = n
	}
	switch m := v.(type) {
	case map[any]any: // RESP3
		for k, val := range m {
			add(k, val)
		}
	case []any: // RESP2: field, value, ...
		for i := 0; i+1 < len(m); i += 2 {
			add(m[i], m[i+1])
		}
	default:
		return nil, fmt.Errorf("XQ.STATS: unexpected reply %v", v)
	}
	return out, nil
}

// Report is what Demo saw.
type Report struct {
	Jobs        []string            // produced, in order
	Crashed     []Delivery          // what worker a held when it died
	Deliveries  []Delivery          // every delivery to the live workers
	Done        map[string][]string // job -> workers whose handler succeeded
	Tries       map[string][]string // job -> workers that ran its handler, in order
	DeadLetters []DeadLetter        // the DLQ before the redrive
	Notices     []string            // IDs announced on NoticeChannel
	Redriven    int64
	Stats       map[string]int64 // XQ.STATS at the end
}

// Demo plays the story on stream (a fresh key) with group "workers": n jobs
// of which job-<poison> always fails until "fixed"; worker a takes a batch
// (MAXPENDING caps it) and crashes; workers b and c get a's jobs once
// ACKWAIT passes, process everything else, and retry the poison job until
// it reaches the DLQ; then the bug is fixed, the DLQ redriven, and the
// poison job processed.
func Demo(ctx context.Context, rdb *redis.Client, stream string, n, poison int, p Policy) (*Report, error) {
	const group = "workers"
	if err := Setup(ctx, rdb, stream, group, p); err != nil {
		return nil, err
	}
	sub := rdb.Subscribe(ctx, NoticeChannel(stream))
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil { // subscribed
		return nil, err
	}

	rep := &Report{Done: map[string][]string{}, Tries: map[string][]string{}}
	for i := 0; i < n; i++ {
		rep.Jobs = append(rep.Jobs, "job-"+strconv.Itoa(i))
	}
	if _, err := Produce(ctx, rdb, stream, rep.Jobs...); err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		fixed bool
	)
	poisonJob := "job-" + strconv.Itoa(poison)
	handle := func(d Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		// Handlers run in delivery order for one job (its next delivery
		// waits for this one's ack or XQ.NACK), unlike Deliveries, which
		// is gathered per worker.
		rep.Tries[d.Job] = append(rep.Tries[d.Job], d.Worker)
		if d.Job == poisonJob && !fixed {
			return errors.New("cannot parse job")
		}
		rep.Done[d.Job] = append(rep.Done[d.Job], d.Worker)
		return nil
	}
	worker := func(name string) *Worker {
		return &Worker{Client: rdb, Stream: stream, Group: group, Name: name, Batch: 10,
			Block: 200 * time.Millisecond, RetryDelay: 50 * time.Millisecond}
	}

	// Worker a asks for 10 jobs, gets MAXPENDING of them, and dies.
	a := worker("a")
	a.CrashAfterRead = true
	held, err := a.Run(ctx, handle)
	if !errors.Is(err, ErrCrashed) {
		return nil, fmt.Errorf("worker a: %v", err)
	}
	rep.Crashed = held

	// Workers b and c run until every job but the poison one is done and
	// the poison job is dead-lettered.
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var runErr error
	for _, name := range []string{"b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := worker(name).Run(runCtx, handle)
			mu.Lock()
			defer mu.Unlock()
			rep.Deliveries = append(rep.Deliveries, got...)
			if err != nil && runErr == nil {
				runErr = fmt.Errorf("worker %s: %w", name, err)
			}
		}()
	}
	defer func() {
		stop()
		wg.Wait()
	}()
	notices := sub.Channel()
	waitFor := func(what string, cond func() (bool, error)) error {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			ok, err := cond()
			if err != nil || ok {
				return err
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
			case m := <-notices:
				rep.Notices = append(rep.Notices, m.Payload)
			case <-tick.C:
			}
		}
	}
	allDone := func(except string) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		if runErr != nil {
			return false, runErr
		}
		for _, job := range rep.Jobs {
			if job != except && len(rep.Done[job]) == 0 {
				return false, nil
			}
		}
		return true, nil
	}
	err = waitFor("the jobs and the dead letter", func() (bool, error) {
		ok, err := allDone(poisonJob)
		if !ok || err != nil {
			return false, err
		}
		rep.DeadLetters, err = DeadLetters(ctx, rdb, DLQKey(stream))
		return len(rep.DeadLetters) == 1 && len(rep.Notices) == 1, err
	})
	if err != nil {
		return nil, err
	}

	// The bug is fixed: send the dead letter back.
	mu.Lock()
	fixed = true
	mu.Unlock()
	if rep.Redriven, err = Redrive(ctx, rdb, DLQKey(stream)); err != nil {
		return nil, err
	}
	if err := waitFor("the redriven job", func() (bool, error) { return allDone("") }); err != nil {
		return nil, err
	}
	stop()
	wg.Wait()
	if runErr != nil {
		return nil, runErr
	}
	rep.Stats, err = Stats(ctx, rdb, stream, group)
	return rep, err
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "Spool address")
	n := flag.Int("n", 20, "jobs to produce")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: *addr})
	defer rdb.Close()

	stream := "example:workqueue"
	if err := rdb.Del(ctx, stream, DLQKey(stream)).Err(); err != nil {
		log.Fatal(err)
	}
	p := Policy{AckWait: 500 * time.Millisecond, MaxDeliver: 3, MaxPending: 5}
	rep, err := Demo(ctx, rdb, stream, *n, 7, p)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("worker a asked for 10 jobs, got %d (MAXPENDING %d), and crashed holding them\n", len(rep.Crashed), p.MaxPending)
	for _, d := range rep.Crashed {
		fmt.Printf("  %s (%s) was then done by %v\n", d.Job, d.ID, rep.Done[d.Job])
	}
	for _, dl := range rep.DeadLetters {
		fmt.Printf("dead letter %s: %s from %s %s, group %s, last worker %s, %d deliveries, reason %s\n",
			dl.ID, dl.Job, dl.Source, dl.SourceID, dl.Group, dl.Consumer, dl.Deliveries, dl.Reason)
	}
	fmt.Printf("notices on %s: %v\n", NoticeChannel(stream), rep.Notices)
	fmt.Printf("redrove %d; all %d jobs done\n", rep.Redriven, len(rep.Done))
	fmt.Printf("XQ.STATS: delivered %d, redelivered %d, acked %d, dead-lettered %d, pending %d\n",
		rep.Stats["delivered"], rep.Stats["redelivered"], rep.Stats["acked"], rep.Stats["dead-lettered"], rep.Stats["pending"])
}
