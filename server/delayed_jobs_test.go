package server_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestDelayedJobsSurviveSIGKILL runs the classic Redis delayed-job queue
// through go-redis: producers ZADD jobs to "delayed" with their due time as
// the score; movers WATCH "delayed", read the due jobs with ZRANGEBYSCORE
// and, in one MULTI, ZREM them and SADD them to "ready". The server is
// SIGKILLed at random moments and restarted on the same directory; after
// every restart each acknowledged job must be in exactly one of the two
// keys, every acknowledged move must be in "ready", no job may be ready
// before its due time, and a delayed job keeps its score.
func TestDelayedJobsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash cycles take a few seconds")
	}
	bin := buildSpool(t)
	dir := t.TempDir()
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	probe := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
	killOnFailure(t, probe)
	if err := multiAvailable(addr); err != nil {
		probe.Process.Kill()
		probe.Wait()
		t.Skipf("MULTI/EXEC is not available, the mover needs it: %v", err)
	}
	probe.Process.Signal(syscall.SIGTERM)
	probe.Wait()

	r := rand.New(rand.NewPCG(13, 13))
	state := &delayedState{added: map[string]float64{}, moved: map[string]bool{}}
	const cycles = 5
	for cycle := 0; cycle < cycles; cycle++ {
		cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
		killOnFailure(t, cmd)
		state.verify(t, addr)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := 0; w < 3; w++ {
			wg.Add(2)
			go func(w int) { defer wg.Done(); state.produce(addr, cycle, w, stop) }(w)
			go func() { defer wg.Done(); state.move(addr, stop) }()
		}
		time.Sleep(time.Duration(200+r.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		wg.Wait()
	}
	cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
	killOnFailure(t, cmd)
	state.verify(t, addr)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if len(state.added) == 0 || len(state.moved) == 0 {
		t.Fatalf("nothing acknowledged: %d jobs added, %d moved", len(state.added), len(state.moved))
	}
	t.Logf("%d SIGKILLs: %d jobs scheduled, %d moved to ready, none lost or duplicated", cycles, len(state.added), len(state.moved))
}

// multiAvailable reports an error when the server lacks MULTI or WATCH.
func multiAvailable(addr string) error {
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	ctx := context.Background()
	if err := c.Do(ctx, "WATCH", "delayed").Err(); err != nil {
		return err
	}
	return c.Do(ctx, "UNWATCH").Err()
}

// delayedState is what clients were told: acknowledged jobs with their due
// times, and jobs whose move to "ready" was acknowledged.
type delayedState struct {
	mu    sync.Mutex
	added map[string]float64
	moved map[string]bool
}

// produce schedules jobs due 0 to 300 ms from now. The due time is in the
// job's name so that verify can check it.
func (s *delayedState) produce(addr string, cycle, w int, stop <-chan struct{}) {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 1})
	defer c.Close()
	r := rand.New(rand.NewPCG(uint64(cycle), uint64(w)))
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		due := time.Now().UnixMilli() + int64(r.IntN(300))
		job := fmt.Sprintf("job-%d-%d-%d-%d", cycle, w, i, due)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := c.ZAdd(ctx, "delayed", redis.Z{Score: float64(due), Member: job}).Err()
		cancel()
		if err == nil {
			s.mu.Lock()
			s.added[job] = float64(due)
			s.mu.Unlock()
		}
		time.Sleep(time.Millisecond)
	}
}

// move transfers due jobs from "delayed" to "ready" atomically.
func (s *delayedState) move(addr string, stop <-chan struct{}) {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 1})
	defer c.Close()
	for {
		select {
		case <-stop:
			return
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var jobs []string
		err := c.Watch(ctx, func(tx *redis.Tx) error {
			now := strconv.FormatInt(time.Now().UnixMilli(), 10)
			var err error
			jobs, err = tx.ZRangeByScore(ctx, "delayed", &redis.ZRangeBy{Min: "-inf", Max: now, Count: 10}).Result()
			if err != nil || len(jobs) == 0 {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				members := make([]any, len(jobs))
				for i, j := range jobs {
					members[i] = j
				}
				p.ZRem(ctx, "delayed", members...)
				p.SAdd(ctx, "ready", members...)
				return nil
			})
			return err
		}, "delayed")
		cancel()
		switch {
		case err == nil && len(jobs) > 0:
			s.mu.Lock()
			for _, j := range jobs {
				s.moved[j] = true
			}
			s.mu.Unlock()
		case err == nil, errors.Is(err, redis.TxFailedErr):
			time.Sleep(2 * time.Millisecond)
		default:
			time.Sleep(5 * time.Millisecond) // the server is going away
		}
	}
}

func (s *delayedState) verify(t *testing.T, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	delayed, err := c.ZRangeWithScores(ctx, "delayed", 0, -1).Result()
	if err != nil {
		t.Fatalf("ZRANGE delayed: %v", err)
	}
	readyList, err := c.SMembers(ctx, "ready").Result()
	if err != nil {
		t.Fatalf("SMEMBERS ready: %v", err)
	}
	now := time.Now().UnixMilli()
	inDelayed := map[string]float64{}
	for _, z := range delayed {
		job := z.Member.(string)
		inDelayed[job] = z.Score
		if due := jobDue(t, job); float64(due) != z.Score {
			t.Fatalf("%s has score %v, want its due time %d", job, z.Score, due)
		}
	}
	ready := map[string]bool{}
	for _, job := range readyList {
		ready[job] = true
		if _, both := inDelayed[job]; both {
			t.Fatalf("%s is both delayed and ready", job)
		}
		if due := jobDue(t, job); due > now {
			t.Fatalf("%s is ready %d ms before its due time", job, due-now)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for job := range s.added {
		if _, ok := inDelayed[job]; !ok && !ready[job] {
			t.Fatalf("acknowledged job %s was lost", job)
		}
	}
	for job := range s.moved {
		if !ready[job] {
			t.Fatalf("acknowledged move of %s was lost", job)
		}
	}
}

// jobDue reads the due time at the end of a job's name.
func jobDue(t *testing.T, job string) int64 {
	due, err := strconv.ParseInt(job[strings.LastIndexByte(job, '-')+1:], 10, 64)
	if err != nil {
		t.Fatalf("job name %q: %v", job, err)
	}
	return due
}
