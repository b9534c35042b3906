package server_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestReliableQueueSurvivesSIGKILL runs the classic reliable-queue pattern
// through go-redis against a Spool process that is SIGKILLed and restarted
// several times: a producer LPUSHes jobs, workers BLMOVE them to a
// processing list, take a lease in a hash, and complete them in one
// transaction (record the result, LREM the job from processing, drop the
// lease); some workers abandon jobs, and a reaper requeues jobs whose lease
// expired, or that never got one. In the end every job whose LPUSH was
// acknowledged is done, and nothing is left queued or in flight.
func TestReliableQueueSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kill cycles take a few seconds")
	}
	bin := buildSpool(t)
	dir := t.TempDir()
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	q := &queueRun{acked: map[string]bool{}}
	r := rand.New(rand.NewPCG(11, 12))

	for cycle := 0; cycle < 4; cycle++ {
		cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
		stop := q.start(addr, cycle, true)
		time.Sleep(time.Duration(200+r.IntN(300)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		stop()
	}

	// Last start: no more jobs; workers and the reaper drain everything.
	cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	stop := q.start(addr, 99, false)
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		queued, err1 := c.LLen(ctx, "jobs").Result()
		inFlight, err2 := c.LLen(ctx, "processing").Result()
		if err1 == nil && err2 == nil && queued == 0 && inFlight == 0 {
			break
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("queue did not drain: %d queued, %d in flight (%v %v)", queued, inFlight, err1, err2)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()

	done, err := c.HGetAll(ctx, "done").Result()
	if err != nil {
		t.Fatal(err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for job := range q.acked {
		if _, ok := done[job]; !ok {
			t.Fatalf("acknowledged job %s was lost (done: %d jobs)", job, len(done))
		}
	}
	if n, _ := c.HLen(ctx, "leases").Result(); n != 0 {
		t.Fatalf("%d leases left behind", n)
	}
	if len(q.acked) < 50 {
		t.Fatalf("only %d jobs acknowledged: the scenario proved little", len(q.acked))
	}
	t.Logf("%d acknowledged jobs done across 4 SIGKILLs (%d done in all, %d requeued by the reaper)",
		len(q.acked), len(done), q.requeued)
}

// queueRun is the state of the scenario shared across server restarts.
type queueRun struct {
	mu       sync.Mutex
	acked    map[string]bool
	requeued int
}

const leaseMs = 300

// start runs the producer (when produce), three workers and the reaper
// against addr until the returned function is called.
func (q *queueRun) start(addr string, cycle int, produce bool) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	client := func() *redis.Client {
		return redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 2,
			ReadTimeout: 2 * time.Second, DialTimeout: time.Second})
	}
	if produce {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := client()
			defer c.Close()
			for i := 0; ctx.Err() == nil; i++ {
				job := fmt.Sprintf("job-%d-%d", cycle, i)
				if err := c.LPush(ctx, "jobs", job).Err(); err == nil {
					q.mu.Lock()
					q.acked[job] = true
					q.mu.Unlock()
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := client()
			defer c.Close()
			r := rand.New(rand.NewPCG(uint64(cycle), uint64(w)))
			name := "w" + strconv.Itoa(w)
			for ctx.Err() == nil {
				job, err := c.BLMove(ctx, "jobs", "processing", "RIGHT", "LEFT", time.Second).Result()
				if err != nil {
					if !errors.Is(err, redis.Nil) {
						time.Sleep(10 * time.Millisecond)
					}
					continue
				}
				lease := time.Now().Add(leaseMs * time.Millisecond).UnixMilli()
				if err := c.HSet(ctx, "leases", job, lease).Err(); err != nil {
					continue
				}
				if r.IntN(20) == 0 {
					continue // the worker "crashes": the reaper must requeue the job
				}
				c.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.HSet(ctx, "done", job, name)
					p.LRem(ctx, "processing", 1, job)
					p.HDel(ctx, "leases", job)
					return nil
				})
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := client()
		defer c.Close()
		// A job seen in processing without a lease may be between its
		// worker's BLMOVE and HSET: requeue it only if it still has none
		// on a later pass.
		unleased := map[string]int{}
		for ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
			jobs, err := c.LRange(ctx, "processing", 0, -1).Result()
			if err != nil {
				continue
			}
			now := time.Now().UnixMilli()
			for _, job := range jobs {
				until, err := c.HGet(ctx, "leases", job).Int64()
				switch {
				case errors.Is(err, redis.Nil):
					unleased[job]++
					if unleased[job] < 3 {
						continue
					}
				case err != nil || until > now:
					continue
				}
				delete(unleased, job)
				// Requeue atomically, and only if the job is still in
				// flight: WATCH fails the transaction when a worker
				// completed (or anyone moved) anything meanwhile.
				err = c.Watch(ctx, func(tx *redis.Tx) error {
					if _, err := tx.LPos(ctx, "processing", job, redis.LPosArgs{}).Result(); err != nil {
						return err
					}
					_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.LRem(ctx, "processing", 1, job)
						p.HDel(ctx, "leases", job)
						p.RPush(ctx, "jobs", job)
						return nil
					})
					return err
				}, "processing")
				if err == nil {
					q.mu.Lock()
					q.requeued++
					q.mu.Unlock()
				}
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}
