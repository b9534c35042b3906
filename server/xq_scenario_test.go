package server_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// TestXQWorkQueueSurvivesSIGKILL plays issue 8's "Done when" scenario: an
// SQS-style work queue through go-redis against a Spool process, with
// competing workers that use nothing but plain XREADGROUP ... BLOCK and
// XACK, and the queue policy doing the rest:
//
//   - a greedy consumer (w2) reads COUNT 10 and gets MAXPENDING (5) entries,
//     then nothing more, however many new entries wait; then it dies
//     holding them;
//   - its entries reach the two live workers (w0, w1) once ACKWAIT has
//     passed, delivery count 2, owner the worker that got them;
//   - poison entries, which the workers never ack, are delivered exactly
//     MAXDELIVER times, ACKWAIT apart, then land in jobs:dlq with their
//     fields and the xq-* fields (each checked), and a subscriber of
//     __xq__:deadletter:jobs gets each source ID;
//   - XQ.REDRIVE returns them to jobs as new entries without the xq-*
//     fields, and the (fixed) workers process them;
//   - XQ.STATS adds up against what the clients saw (see xqsCheckStats);
//
// then the server is SIGKILLed while w2 holds entries (some given back
// with XQ.NACK DELAY) and a dead letter waits in the DLQ; after the restart
// on the same directory the policy, the counters, the PEL (owners and
// delivery counts) and the DLQ are as they were, w2 is still held back by
// MAXPENDING, the workers get w2's entries again (the delayed ones woken by
// the redelivery timer), and everything above plays again. In the end every
// job whose XADD was acknowledged has been processed and acked at least
// once, nothing is pending and the DLQ is empty.
func TestXQWorkQueueSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts, SIGKILLs and restarts a Spool process")
	}
	began := time.Now()
	bin := buildSpool(t)
	dir := t.TempDir()
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
	defer func() {
		if cmd != nil {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	s := newXQScenario(t, addr)
	defer func() { s.admin.Close() }()
	require.NoError(t, s.admin.XGroupCreateMkStream(ctx, xqsStream, xqsGroup, "0").Err())
	require.Equal(t, "OK", s.admin.Do(ctx, "XQ.POLICY", "SET", xqsStream, xqsGroup,
		"ACKWAIT", xqsAckWait.Milliseconds(), "MAXDELIVER", xqsMaxDeliver, "MAXPENDING", xqsMaxPending).Val())
	wantPolicy := map[string]any{"ackwait": xqsAckWait.Milliseconds(), "backoff": []any{}, "maxdeliver": int64(xqsMaxDeliver),
		"dlq": "jobs:dlq", "maxpending": int64(xqsMaxPending)}
	require.Equal(t, wantPolicy, xqsMap(t, s.admin.Do(ctx, "XQ.POLICY", "GET", xqsStream, xqsGroup).Val()))

	// ---- Round 1 ----
	sub := s.subscribe(ctx)
	s.produce(ctx, "a", 20, 0, 7, 13)

	// The greedy consumer: 5 of 20, then nothing, then it dies.
	held1 := s.greedyRead(ctx, xqsMaxPending)
	s.expectHeldBack(ctx, "w2")
	require.EqualValues(t, 5, s.pendingOf(ctx, "w2"))

	workers := s.startWorkers(2 * time.Second) // long BLOCK: the redelivery timer must wake them
	s.produce(ctx, "b", 30, 5*time.Millisecond, 11)
	dead := []string{s.idOf("a-7"), s.idOf("a-13"), s.idOf("b-11")}
	s.waitDrained(ctx, 3, 0)
	s.checkTakenOver(held1, 2)
	s.checkDeadLetters(ctx, dead)
	s.waitNotices(sub, dead)

	// Redrive the oldest dead letter; the workers are fixed now.
	oldest := s.admin.XRangeN(ctx, "jobs:dlq", "-", "+", 1).Val()
	require.Len(t, oldest, 1)
	s.fixed.Store(true)
	require.EqualValues(t, 1, s.admin.Do(ctx, "XQ.REDRIVE", "jobs:dlq", "COUNT", 1).Val())
	s.checkRedriven(ctx, fmt.Sprint(oldest[0].Values["job"]))
	s.waitDrained(ctx, 2, 0)
	workers.stop()
	s.fixed.Store(false)
	sub.Close()
	s.checkStats(ctx, 3)

	// ---- The kill ----
	// w2 comes back, takes 5 of 8 new jobs and gives 2 of them back with a
	// delay; then the server dies with them pending, 3 jobs never
	// delivered and 2 dead letters in the DLQ.
	s.produce(ctx, "c", 8, 0)
	held2 := s.greedyRead(ctx, xqsMaxPending)
	nacked := held2[3:]
	nackSent := time.Now()
	require.EqualValues(t, 2, s.admin.Do(ctx, "XQ.NACK", xqsStream, xqsGroup, "DELAY", xqsNackDelay.Milliseconds(),
		"IDS", len(nacked), nacked[0], nacked[1]).Val())
	nackDone := time.Now()
	before := s.durableState(ctx)
	require.Len(t, before.dlq, 2)
	require.Len(t, before.pending, 5)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	cmd = startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
	s.admin.Close()
	s.admin = xqsClient(addr)
	after := s.durableState(ctx)
	require.Equal(t, before, after, "policy, counters, PEL and DLQ after SIGKILL and restart")

	// ---- Round 2, after the restart ----
	// MAXPENDING still holds w2 back, with due and new entries waiting.
	s.expectHeldBack(ctx, "w2")
	sub = s.subscribe(ctx)
	workers = s.startWorkers(5 * time.Second)
	// No entry is added from here until the delayed ones came back: when
	// they fall due, only the redelivery timer can wake the blocked
	// workers.
	s.waitProcessed(ctx, "c-", 8)
	for _, id := range nacked {
		got := s.receiptsOf(id)
		require.Len(t, got, 2, "%s: delivered to w2, then once more", id)
		r := got[1]
		require.Contains(t, []string{"w0", "w1"}, r.consumer)
		require.GreaterOrEqual(t, r.got.Sub(nackSent), xqsNackDelay-time.Millisecond, "%s served before its XQ.NACK delay", id)
		require.Less(t, r.got.Sub(nackDone), xqsNackDelay+1500*time.Millisecond,
			"%s: a worker blocked for 5s was not woken when the entry fell due", id)
	}
	s.checkTakenOver(held2, 2)

	s.produce(ctx, "d", 20, 5*time.Millisecond, 4)
	dead = append(dead, s.idOf("d-4"))
	s.waitDrained(ctx, 3, 0)
	s.checkDeadLetters(ctx, dead[3:])
	s.waitNotices(sub, dead[3:])
	workers.stop()

	// Greedy again: a fresh consumer gets MAXPENDING of plenty, and dies.
	s.produce(ctx, "e", 12, 0)
	held3 := s.greedyReadAs(ctx, "w3", 10, xqsMaxPending)
	s.expectHeldBack(ctx, "w3")
	workers = s.startWorkers(5 * time.Second)
	s.waitProcessed(ctx, "e-", 12)
	s.checkTakenOver(held3, 2)

	// Redrive everything: the two dead letters from before the kill and
	// the new one.
	s.fixed.Store(true)
	dlq := s.admin.XRange(ctx, "jobs:dlq", "-", "+").Val()
	require.EqualValues(t, 3, s.admin.Do(ctx, "XQ.REDRIVE", "jobs:dlq").Val())
	redriven := s.admin.XRevRangeN(ctx, xqsStream, "+", "-", 3).Val()
	require.Len(t, redriven, 3)
	for i, e := range dlq {
		require.Equal(t, map[string]any{"job": e.Values["job"], "poison": "1"}, redriven[2-i].Values, "redriven entry %d", i)
	}
	s.mu.Lock()
	clear(s.dead)
	s.mu.Unlock()
	s.waitDrained(ctx, 0, 0)
	workers.stop()
	sub.Close()
	s.checkStats(ctx, 4)
	s.checkAllProcessed()
	for job := range s.poison {
		require.Equal(t, 1, s.processed[job], "poison job %s: processed once, after its redrive", job)
	}
	require.EqualValues(t, 0, s.admin.XLen(ctx, "jobs:dlq").Val())
	t.Logf("%d jobs, %d deliveries, %d dead letters, in %v", len(s.produced), len(s.receipts), 4, time.Since(began).Round(time.Millisecond))
}

const (
	xqsStream     = "jobs"
	xqsGroup      = "workers"
	xqsAckWait    = 400 * time.Millisecond
	xqsMaxDeliver = 3
	xqsMaxPending = 5
	xqsNackDelay  = 1500 * time.Millisecond
	xqsWait       = 15 * time.Second // any single wait for the queue to settle
)

// xqScenario is what the clients of the scenario saw, across the restart.
type xqScenario struct {
	t     *testing.T
	addr  string
	admin *redis.Client
	fixed atomic.Bool // workers process poison jobs (after the "bug fix")

	mu        sync.Mutex
	produced  map[string]string // job -> ID of its acknowledged XADD (the latest, for a redriven job)
	jobOf     map[string]string // ID -> job
	poison    map[string]bool   // poison jobs
	dead      map[string]bool   // poison jobs checked into the DLQ and not redriven since
	receipts  []xqsReceipt      // every delivery a client received
	processed map[string]int    // job -> acknowledged XACKs that removed it
	ackSum    int64             // sum of XACK replies
	errs      []error           // unexpected errors of the worker goroutines
}

// xqsReceipt is one delivery a client received: the entry, to whom, when
// the read was sent and when its reply came, and the entry's XPENDING row
// (owner, delivery count) read right after.
type xqsReceipt struct {
	id, job, consumer string
	sent, got         time.Time
	owner             string
	count             int64
}

func xqsClient(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 2,
		ReadTimeout: 5 * time.Second, DialTimeout: 2 * time.Second})
}

func newXQScenario(t *testing.T, addr string) *xqScenario {
	return &xqScenario{t: t, addr: addr, admin: xqsClient(addr),
		produced: map[string]string{}, jobOf: map[string]string{}, poison: map[string]bool{},
		dead: map[string]bool{}, processed: map[string]int{}}
}

// produce appends n jobs "<prefix>-<i>" (one XADD each, pause apart), the
// ones numbered in poison marked so that workers never ack them until
// fixed.
func (s *xqScenario) produce(ctx context.Context, prefix string, n int, pause time.Duration, poison ...int) {
	for i := 0; i < n; i++ {
		job := prefix + "-" + strconv.Itoa(i)
		values := []any{"job", job}
		bad := slices.Contains(poison, i)
		if bad {
			values = append(values, "poison", "1")
		}
		id, err := s.admin.XAdd(ctx, &redis.XAddArgs{Stream: xqsStream, Values: values}).Result()
		require.NoError(s.t, err)
		s.mu.Lock()
		s.produced[job], s.jobOf[id] = id, job
		if bad {
			s.poison[job] = true
		}
		s.mu.Unlock()
		time.Sleep(pause)
	}
}

func (s *xqScenario) idOf(job string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.produced[job]
}

// read sends one XREADGROUP ">" as consumer and records what it got.
func (s *xqScenario) read(ctx context.Context, c *redis.Client, consumer string, count int64, block time.Duration) ([]redis.XMessage, error) {
	sent := time.Now()
	res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: xqsGroup, Consumer: consumer,
		Streams: []string{xqsStream, ">"}, Count: count, Block: block}).Result()
	if err != nil {
		return nil, err
	}
	got := time.Now()
	var msgs []redis.XMessage
	for _, st := range res {
		msgs = append(msgs, st.Messages...)
	}
	for _, m := range msgs {
		r := xqsReceipt{id: m.ID, job: fmt.Sprint(m.Values["job"]), consumer: consumer, sent: sent, got: got}
		if rows, err := c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: xqsStream, Group: xqsGroup,
			Start: m.ID, End: m.ID, Count: 1}).Result(); err == nil && len(rows) == 1 {
			r.owner, r.count = rows[0].Consumer, rows[0].RetryCount
		}
		s.mu.Lock()
		s.receipts = append(s.receipts, r)
		s.jobOf[m.ID] = r.job
		s.mu.Unlock()
	}
	return msgs, nil
}

// greedyRead is w2 reading COUNT 10: it must get exactly want entries
// (MAXPENDING). It returns their IDs.
func (s *xqScenario) greedyRead(ctx context.Context, want int) []string {
	return s.greedyReadAs(ctx, "w2", 10, want)
}

func (s *xqScenario) greedyReadAs(ctx context.Context, consumer string, count int64, want int) []string {
	s.t.Helper()
	msgs, err := s.read(ctx, s.admin, consumer, count, time.Second)
	require.NoError(s.t, err)
	require.Len(s.t, msgs, want, "%s reading COUNT %d with MAXPENDING %d", consumer, count, xqsMaxPending)
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	require.EqualValues(s.t, want, s.pendingOf(ctx, consumer))
	return ids
}

// expectHeldBack: consumer, at MAXPENDING, gets nothing from a blocking
// read although new entries wait.
func (s *xqScenario) expectHeldBack(ctx context.Context, consumer string) {
	s.t.Helper()
	info, err := s.admin.XInfoGroups(ctx, xqsStream).Result()
	require.NoError(s.t, err)
	require.Len(s.t, info, 1)
	require.Positive(s.t, info[0].Lag, "the test needs undelivered entries here")
	_, err = s.read(ctx, s.admin, consumer, 10, 200*time.Millisecond)
	require.ErrorIs(s.t, err, redis.Nil, "%s holds MAXPENDING entries and must get no more", consumer)
	require.EqualValues(s.t, xqsMaxPending, s.pendingOf(ctx, consumer))
}

func (s *xqScenario) pendingOf(ctx context.Context, consumer string) int64 {
	p, err := s.admin.XPending(ctx, xqsStream, xqsGroup).Result()
	require.NoError(s.t, err)
	return p.Consumers[consumer]
}

// xqsWorkers are the running workers.
type xqsWorkers struct {
	s        *xqScenario
	stopping atomic.Bool
	clients  []*redis.Client
	wg       sync.WaitGroup
}

// stop closes the workers' connections (aborting their blocked reads),
// waits for them, then until the server has let go of their blocked reads:
// a read still registered would take entries written next for a
// connection that is gone (a delivery no client sees, as in Redis). Callers
// stop workers only when nothing can be delivered, so that no delivery is
// lost with a closed connection.
func (w *xqsWorkers) stop() {
	w.stopping.Store(true)
	for _, c := range w.clients {
		c.Close()
	}
	w.wg.Wait()
	s := w.s
	s.waitUntil("workers' blocked reads gone", func() (bool, string) {
		info, err := s.admin.Info(context.Background(), "clients").Result()
		return err == nil && strings.Contains(info, "blocked_clients:0\r\n"), info
	})
}

// startWorkers runs w0 and w1: XREADGROUP COUNT 2 BLOCK block ">", then,
// for each entry, the work (none) and XACK; a poison job is never acked
// while the bug is not fixed.
func (s *xqScenario) startWorkers(block time.Duration) *xqsWorkers {
	w := &xqsWorkers{s: s}
	for i := 0; i < 2; i++ {
		c := xqsClient(s.addr)
		w.clients = append(w.clients, c)
		name := "w" + strconv.Itoa(i)
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			ctx := context.Background()
			for !w.stopping.Load() {
				msgs, err := s.read(ctx, c, name, 2, block)
				if err != nil {
					if !errors.Is(err, redis.Nil) && !w.stopping.Load() {
						s.fail(fmt.Errorf("%s: XREADGROUP: %w", name, err))
						return
					}
					continue
				}
				for _, m := range msgs {
					job := fmt.Sprint(m.Values["job"])
					// The entry says it is poison (the producer's record of
					// it may come after a worker got it).
					if m.Values["poison"] == "1" && !s.fixed.Load() {
						continue // the handler fails: no ack
					}
					n, err := c.XAck(ctx, xqsStream, xqsGroup, m.ID).Result()
					if err != nil {
						if !w.stopping.Load() {
							s.fail(fmt.Errorf("%s: XACK: %w", name, err))
						}
						return
					}
					s.mu.Lock()
					s.ackSum += n
					if n == 1 {
						s.processed[job]++
					}
					s.mu.Unlock()
				}
			}
		}()
	}
	return w
}

func (s *xqScenario) fail(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
}

// waitUntil polls cond until it holds, failing after xqsWait.
func (s *xqScenario) waitUntil(what string, cond func() (bool, string)) {
	s.t.Helper()
	deadline := time.Now().Add(xqsWait)
	for {
		s.mu.Lock()
		errs := slices.Clone(s.errs)
		s.mu.Unlock()
		require.Empty(s.t, errs)
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: not after %v: %s\n%s", what, xqsWait, state, s.diagnose())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitDrained waits until every produced job is processed, except poison
// jobs while the bug is not fixed or while they are in the DLQ; and until the DLQ holds dlqLen entries
// and the group pendingLeft pending ones.
func (s *xqScenario) waitDrained(ctx context.Context, dlqLen, pendingLeft int64) {
	s.t.Helper()
	s.waitUntil("drained", func() (bool, string) {
		s.mu.Lock()
		var missing []string
		for job := range s.produced {
			excused := s.poison[job] && (!s.fixed.Load() || s.dead[job])
			if s.processed[job] == 0 && !excused {
				missing = append(missing, job)
			}
		}
		s.mu.Unlock()
		dlq, err1 := s.admin.XLen(ctx, "jobs:dlq").Result()
		p, err2 := s.admin.XPending(ctx, xqsStream, xqsGroup).Result()
		if err1 != nil || err2 != nil {
			return false, fmt.Sprint(err1, err2)
		}
		sort.Strings(missing)
		return len(missing) == 0 && dlq == dlqLen && p.Count == pendingLeft,
			fmt.Sprintf("unprocessed %v, DLQ %d (want %d), pending %d (want %d)", missing, dlq, dlqLen, p.Count, pendingLeft)
	})
}

// waitProcessed waits until n jobs named prefix* are processed.
func (s *xqScenario) waitProcessed(ctx context.Context, prefix string, n int) {
	s.t.Helper()
	s.waitUntil("processed "+prefix+"*", func() (bool, string) {
		s.mu.Lock()
		defer s.mu.Unlock()
		done := 0
		for job, k := range s.processed {
			if k > 0 && len(job) > len(prefix) && job[:len(prefix)] == prefix {
				done++
			}
		}
		return done >= n, fmt.Sprintf("%d of %d", done, n)
	})
}

func (s *xqScenario) receiptsOf(id string) []xqsReceipt {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []xqsReceipt
	for _, r := range s.receipts {
		if r.id == id {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].got.Before(out[j].got) })
	return out
}

// checkDeliveries: successive deliveries of id are at least ACKWAIT apart
// (from the send of the read that delivered it before: the server stamped
// that delivery after it), and the XPENDING row read right after each
// delivery names the reader, with the delivery's number as its count.
func (s *xqScenario) checkDeliveries(id string, got []xqsReceipt) {
	s.t.Helper()
	for i, r := range got {
		require.Equal(s.t, r.consumer, r.owner, "%s delivery %d: XPENDING owner", id, i+1)
		require.EqualValues(s.t, i+1, r.count, "%s delivery %d: XPENDING delivery count", id, i+1)
		if i > 0 {
			require.GreaterOrEqual(s.t, r.got.Sub(got[i-1].sent), xqsAckWait-time.Millisecond,
				"%s redelivered before ACKWAIT", id)
		}
	}
}

// checkTakenOver: each entry a dead consumer held was delivered once more,
// to a live worker, count bumped to want, and processed.
func (s *xqScenario) checkTakenOver(ids []string, want int) {
	s.t.Helper()
	for _, id := range ids {
		got := s.receiptsOf(id)
		require.Len(s.t, got, want, "%s deliveries", id)
		require.Contains(s.t, []string{"w0", "w1"}, got[want-1].consumer, "%s taken over by", id)
		s.checkDeliveries(id, got)
		s.mu.Lock()
		done := s.processed[s.jobOf[id]]
		s.mu.Unlock()
		require.Equal(s.t, 1, done, "%s processed", id)
	}
}

// checkDeadLetters: each poison ID was delivered MAXDELIVER times, ACKWAIT
// apart, and the DLQ holds it with its own fields and the xq-* fields,
// xq-consumer naming its last receiver.
func (s *xqScenario) checkDeadLetters(ctx context.Context, ids []string) {
	s.t.Helper()
	entries, err := s.admin.XRange(ctx, "jobs:dlq", "-", "+").Result()
	require.NoError(s.t, err)
	byID := map[string]redis.XMessage{}
	for _, e := range entries {
		byID[fmt.Sprint(e.Values["xq-id"])] = e
	}
	for _, id := range ids {
		got := s.receiptsOf(id)
		require.Len(s.t, got, xqsMaxDeliver, "deliveries of poison entry %s", id)
		s.checkDeliveries(id, got)
		e, ok := byID[id]
		require.True(s.t, ok, "poison entry %s not in the DLQ: %v", id, entries)
		s.mu.Lock()
		job := s.jobOf[id]
		s.mu.Unlock()
		require.Equal(s.t, map[string]any{
			"job": job, "poison": "1",
			"xq-source": xqsStream, "xq-id": id, "xq-group": xqsGroup,
			"xq-consumer": got[len(got)-1].consumer, "xq-deliveries": strconv.Itoa(xqsMaxDeliver),
			"xq-reason": "maxdeliver",
		}, e.Values, "dead letter of %s", id)
		// It left the PEL but not the source stream.
		rows, err := s.admin.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: xqsStream, Group: xqsGroup, Start: id, End: id, Count: 1}).Result()
		require.NoError(s.t, err)
		require.Empty(s.t, rows)
		require.Len(s.t, s.admin.XRange(ctx, xqsStream, id, id).Val(), 1)
		s.mu.Lock()
		s.dead[job] = true
		s.mu.Unlock()
	}
}

// subscribe returns a subscriber of the dead-letter notices of jobs.
func (s *xqScenario) subscribe(ctx context.Context) *xqsSubscriber {
	c := redis.NewClient(&redis.Options{Addr: s.addr, MaxRetries: -1})
	ps := c.Subscribe(ctx, "__xq__:deadletter:"+xqsStream)
	_, err := ps.Receive(ctx) // the subscription's confirmation
	require.NoError(s.t, err)
	sub := &xqsSubscriber{c: c, ps: ps, done: make(chan struct{})}
	go func() {
		defer close(sub.done)
		for m := range ps.Channel() {
			sub.mu.Lock()
			sub.got = append(sub.got, m.Channel+" "+m.Payload)
			sub.mu.Unlock()
		}
	}()
	return sub
}

type xqsSubscriber struct {
	c    *redis.Client
	ps   *redis.PubSub
	done chan struct{}
	mu   sync.Mutex
	got  []string
}

func (sub *xqsSubscriber) Close() {
	sub.ps.Close()
	<-sub.done
	sub.c.Close()
}

// waitNotices waits until sub has the notices of ids, exactly those.
func (s *xqScenario) waitNotices(sub *xqsSubscriber, ids []string) {
	s.t.Helper()
	var want []string
	for _, id := range ids {
		want = append(want, "__xq__:deadletter:"+xqsStream+" "+id)
	}
	sort.Strings(want)
	s.waitUntil("dead-letter notices", func() (bool, string) {
		sub.mu.Lock()
		got := slices.Clone(sub.got)
		sub.mu.Unlock()
		sort.Strings(got)
		return slices.Equal(got, want), fmt.Sprintf("got %q, want %q", got, want)
	})
}

// checkRedriven: the newest entry of jobs is job, redriven: its original
// fields only, a new ID, and it is gone from the DLQ.
func (s *xqScenario) checkRedriven(ctx context.Context, job string) {
	s.t.Helper()
	last, err := s.admin.XRevRangeN(ctx, xqsStream, "+", "-", 1).Result()
	require.NoError(s.t, err)
	require.Len(s.t, last, 1)
	require.Equal(s.t, map[string]any{"job": job, "poison": "1"}, last[0].Values)
	old := s.idOf(job)
	require.NotEqual(s.t, old, last[0].ID)
	for _, e := range s.admin.XRange(ctx, "jobs:dlq", "-", "+").Val() {
		require.NotEqual(s.t, old, e.Values["xq-id"], "redriven entry still in the DLQ")
	}
	s.mu.Lock()
	s.produced[job], s.jobOf[last[0].ID] = last[0].ID, job
	delete(s.dead, job)
	s.mu.Unlock()
}

// checkStats compares XQ.STATS with what the clients saw. Every delivery
// raised an entry's delivery count and reached a client (no reply was lost:
// the kill came while nobody read), so delivered is the number of
// receipts, and redelivered those of an entry received before; every
// pending entry left the PEL by an XACK that returned 1 (acked is the sum
// of the XACK replies) or by a DLQ move. So each first delivery is
// accounted for once: delivered - redelivered = acked + dead-lettered +
// pending.
func (s *xqScenario) checkStats(ctx context.Context, deadLettered int64) {
	s.t.Helper()
	st := xqsMap(s.t, s.admin.Do(ctx, "XQ.STATS", xqsStream, xqsGroup).Val())
	p, err := s.admin.XPending(ctx, xqsStream, xqsGroup).Result()
	require.NoError(s.t, err)
	s.mu.Lock()
	receipts := int64(len(s.receipts))
	seen := map[string]bool{}
	for _, r := range s.receipts {
		seen[r.id] = true
	}
	ackSum := s.ackSum
	s.mu.Unlock()
	// Every delivery reached a client: the n-th receipt of an entry saw
	// delivery count n.
	for id := range seen {
		for i, r := range s.receiptsOf(id) {
			require.EqualValues(s.t, i+1, r.count, "%s: receipt %d by %s saw delivery count %d", id, i+1, r.consumer, r.count)
		}
	}
	require.Equal(s.t, receipts, st["delivered"], "delivered (XQ.STATS %v)", st)
	require.Equal(s.t, receipts-int64(len(seen)), st["redelivered"], "redelivered (XQ.STATS %v)", st)
	require.Equal(s.t, ackSum, st["acked"], "acked (XQ.STATS %v)", st)
	require.Equal(s.t, deadLettered, st["dead-lettered"], "dead-lettered (XQ.STATS %v)", st)
	require.Equal(s.t, p.Count, st["pending"], "pending (XQ.STATS %v)", st)
	require.Equal(s.t, st["delivered"].(int64)-st["redelivered"].(int64),
		st["acked"].(int64)+st["dead-lettered"].(int64)+st["pending"].(int64), "XQ.STATS %v", st)
	if p.Count == 0 {
		require.EqualValues(s.t, -1, st["oldest-pending-age"])
		require.EqualValues(s.t, -1, st["next-due-in"])
	}
}

// checkAllProcessed: every job whose XADD was acknowledged was processed
// (its XACK removed it) at least once.
func (s *xqScenario) checkAllProcessed() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for job := range s.produced {
		require.Positive(s.t, s.processed[job], "job %s was acknowledged by XADD and never processed", job)
	}
}

// xqsState is what must survive a SIGKILL: the policy, the counters (the
// ones that do not depend on the clock), the PEL with owners and counts,
// the DLQ, and the group's read position.
type xqsState struct {
	policy  map[string]any
	stats   map[string]any
	pending []string
	dlq     []redis.XMessage
	group   redis.XInfoGroup
}

func (s *xqScenario) durableState(ctx context.Context) xqsState {
	s.t.Helper()
	var st xqsState
	st.policy = xqsMap(s.t, s.admin.Do(ctx, "XQ.POLICY", "GET", xqsStream, xqsGroup).Val())
	st.stats = xqsMap(s.t, s.admin.Do(ctx, "XQ.STATS", xqsStream, xqsGroup).Val())
	delete(st.stats, "oldest-pending-age")
	delete(st.stats, "next-due-in")
	rows, err := s.admin.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: xqsStream, Group: xqsGroup, Start: "-", End: "+", Count: 1000}).Result()
	require.NoError(s.t, err)
	for _, r := range rows {
		st.pending = append(st.pending, fmt.Sprintf("%s %s %d", r.ID, r.Consumer, r.RetryCount))
	}
	st.dlq, err = s.admin.XRange(ctx, "jobs:dlq", "-", "+").Result()
	require.NoError(s.t, err)
	groups, err := s.admin.XInfoGroups(ctx, xqsStream).Result()
	require.NoError(s.t, err)
	require.Len(s.t, groups, 1)
	st.group = groups[0]
	return st
}

// xqsMap turns a map reply (RESP3) or a flat field/value array (RESP2)
// into a map with string keys.
func xqsMap(t *testing.T, v any) map[string]any {
	t.Helper()
	out := map[string]any{}
	switch m := v.(type) {
	case map[any]any:
		for k, val := range m {
			out[fmt.Sprint(k)] = val
		}
	case []any:
		require.Zero(t, len(m)%2, "odd map reply %v", m)
		for i := 0; i < len(m); i += 2 {
			out[fmt.Sprint(m[i])] = m[i+1]
		}
	default:
		t.Fatalf("not a map reply: %#v", v)
	}
	return out
}

// TestXQDeadLettersKeepTheirOwnFields: when one command dead-letters
// several entries (a redelivering XREADGROUP, an XCLAIM or XAUTOCLAIM of
// several IDs), each DLQ entry carries the fields of its own source entry.
func TestXQDeadLettersKeepTheirOwnFields(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	for _, tc := range []struct {
		name    string
		deliver []string
	}{
		{"xreadgroup", []string{"XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", ">"}},
		{"xclaim", []string{"XCLAIM", "s", "g", "b", "0", "1-0", "2-0"}},
		{"xautoclaim", []string{"XAUTOCLAIM", "s", "g", "b", "0", "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Do("DEL", "s", "s:dlq")
			c.Do("XADD", "s", "1-0", "job", "one")
			c.Do("XADD", "s", "2-0", "job", "two")
			require.Equal(t, "+OK\r\n", c.Do("XGROUP", "CREATE", "s", "g", "0"))
			require.Equal(t, "+OK\r\n", c.Do("XQ.POLICY", "SET", "s", "g", "ACKWAIT", "10", "MAXDELIVER", "1"))
			c.Do("XREADGROUP", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "s", ">")
			time.Sleep(30 * time.Millisecond)
			c.Do(tc.deliver...)
			dlq := c.Do("XRANGE", "s:dlq", "-", "+")
			for _, want := range []string{
				"$3\r\njob\r\n$3\r\none\r\n$9\r\nxq-source\r\n$1\r\ns\r\n$5\r\nxq-id\r\n$3\r\n1-0\r\n",
				"$3\r\njob\r\n$3\r\ntwo\r\n$9\r\nxq-source\r\n$1\r\ns\r\n$5\r\nxq-id\r\n$3\r\n2-0\r\n",
			} {
				require.Contains(t, dlq, want)
			}
		})
	}
}

// diagnose describes the queue's state and what the clients saw of the
// poison jobs, for a failure message.
func (s *xqScenario) diagnose() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var b strings.Builder
	groups, err := s.admin.XInfoGroups(ctx, xqsStream).Result()
	fmt.Fprintf(&b, "XINFO GROUPS: %+v %v\n", groups, err)
	fmt.Fprintf(&b, "XQ.STATS: %v\n", s.admin.Do(ctx, "XQ.STATS", xqsStream, xqsGroup).Val())
	rows, err := s.admin.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: xqsStream, Group: xqsGroup, Start: "-", End: "+", Count: 100}).Result()
	fmt.Fprintf(&b, "XPENDING: %+v %v\n", rows, err)
	dlq, err := s.admin.XRange(ctx, "jobs:dlq", "-", "+").Result()
	fmt.Fprintf(&b, "DLQ: %+v %v\n", dlq, err)
	s.mu.Lock()
	var poison []string
	for job := range s.poison {
		poison = append(poison, job)
	}
	s.mu.Unlock()
	sort.Strings(poison)
	for _, job := range poison {
		id := s.idOf(job)
		fmt.Fprintf(&b, "poison %s %s:", job, id)
		for _, r := range s.receiptsOf(id) {
			fmt.Fprintf(&b, " [%s count %d owner %s at %s]", r.consumer, r.count, r.owner, r.got.Format("15:04:05.000"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestXQMaxPendingReaderWokenByAck: a reader blocked at MAXPENDING while
// entries wait is served as soon as an ack (sent on another connection, as
// a worker pool does) gives it room, not at the next XADD or its timeout.
func TestXQMaxPendingReaderWokenByAck(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	for i := 1; i <= 4; i++ {
		rdb.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: strconv.Itoa(i) + "-0", Values: []string{"f", "v"}})
	}
	require.NoError(t, rdb.XGroupCreate(ctx, "s", "g", "0").Err())
	require.NoError(t, rdb.Do(ctx, "XQ.POLICY", "SET", "s", "g", "ACKWAIT", "100000", "MAXPENDING", "2").Err())
	got, err := rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "w", Streams: []string{"s", ">"}, Count: 10, Block: -1}).Result()
	require.NoError(t, err)
	require.Len(t, got[0].Messages, 2)

	go func() {
		time.Sleep(200 * time.Millisecond)
		rdb.XAck(ctx, "s", "g", "1-0")
	}()
	start := time.Now()
	got, err = rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "w", Streams: []string{"s", ">"}, Count: 10, Block: 3 * time.Second}).Result()
	require.NoError(t, err, "blocked reader not served after the ack gave it room (waited %v)", time.Since(start))
	require.Equal(t, "3-0", got[0].Messages[0].ID)
	require.Less(t, time.Since(start), 2*time.Second)
}

// TestXQMaxPendingOwnDueEntries: a consumer at MAXPENDING whose own
// entries fall due gets them again from XREADGROUP ">" (a redelivery to
// their holder does not raise its pending count; "no new ones until it
// acks" is about new entries). Otherwise a sole consumer that restarts
// under its name, or a worker that lost its in-memory batch, is stuck for
// good: its entries are never redelivered nor reach MAXDELIVER and the DLQ.
// NATS JetStream likewise keeps redelivering at max_ack_pending.
func TestXQMaxPendingOwnDueEntries(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	xqSetup(t, c, 3)
	require.Equal(t, "+OK\r\n", c.Do("XQ.POLICY", "SET", "s", "g", "ACKWAIT", "50", "MAXPENDING", "2", "MAXDELIVER", "2"))
	c.Do("XREADGROUP", "GROUP", "g", "w", "COUNT", "10", "STREAMS", "s", ">") // 1-0, 2-0
	time.Sleep(100 * time.Millisecond)
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "w", "COUNT", "10", "STREAMS", "s", ">"), "w's own due entries, delivery 2")
	time.Sleep(100 * time.Millisecond)
	// The third delivery moves them to the DLQ; w then has room for 3-0.
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv3\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "w", "COUNT", "10", "STREAMS", "s", ">"))
	require.Equal(t, ":2\r\n", c.Do("XLEN", "s:dlq"))
}
