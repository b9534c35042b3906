package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestCrashTransactions SIGKILLs the server while clients run transactions
// that change two keys together, restarts it on the same directory, and
// requires every transaction to be there whole or not at all: one EXEC is
// one WAL record. Each transaction increments a and b in db 0, or appends
// to a stream and counts the entry in db 2; after each restart a == b and
// XLEN == the counter, and no acknowledged transaction is missing.
//
// A SIGKILL rarely lands between two records, so the log left by the last
// kill is also cut at random offsets near its end, as a torn write would
// leave it: with a transaction split over records, about every other cut
// would separate INCR a from INCR b.
func TestCrashTransactions(t *testing.T) {
	if testing.Short() {
		t.Skip("crash cycles take a few seconds")
	}
	bin := buildSpool(t)
	dir := t.TempDir()
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	r := rand.New(rand.NewPCG(9, 9))
	var ackedPairs, ackedEntries int64 // highest acknowledged counter values
	const cycles = 5
	for cycle := 0; cycle < cycles; cycle++ {
		cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
		killOnFailure(t, cmd)
		verifyTransactions(t, addr, ackedPairs, ackedEntries)
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := 0; w < 6; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				db := 0
				if w%2 == 1 {
					db = 2
				}
				c := redis.NewClient(&redis.Options{Addr: addr, DB: db, MaxRetries: -1, PoolSize: 1})
				defer c.Close()
				for i := 0; i < 100000; i++ {
					select {
					case <-stop:
						return
					default:
					}
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
					var n *redis.IntCmd
					_, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
						if db == 0 {
							n = p.Incr(ctx, "a")
							p.Incr(ctx, "b")
						} else {
							p.XAdd(ctx, &redis.XAddArgs{Stream: "s", Values: []string{"w", strconv.Itoa(w), "i", strconv.Itoa(i)}})
							n = p.Incr(ctx, "n")
						}
						return nil
					})
					cancel()
					if err != nil {
						continue
					}
					mu.Lock()
					if db == 0 {
						ackedPairs = max(ackedPairs, n.Val())
					} else {
						ackedEntries = max(ackedEntries, n.Val())
					}
					mu.Unlock()
				}
			}(w)
		}
		time.Sleep(time.Duration(150+r.IntN(350)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		wg.Wait()
	}
	if ackedPairs == 0 || ackedEntries == 0 {
		t.Fatalf("no transaction was acknowledged (pairs %d, entries %d)", ackedPairs, ackedEntries)
	}

	for cut := 0; cut < 6; cut++ {
		torn := t.TempDir()
		if err := os.CopyFS(torn, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		segments, err := filepath.Glob(filepath.Join(torn, "log", "[0-9]*"))
		if err != nil || len(segments) == 0 {
			t.Fatalf("no log segment in %s (%v)", torn, err)
		}
		last := segments[len(segments)-1]
		info, err := os.Stat(last)
		if err != nil {
			t.Fatal(err)
		}
		size := info.Size() - 1 - r.Int64N(min(info.Size()-1, 3000))
		if err := os.Truncate(last, size); err != nil {
			t.Fatal(err)
		}
		cmd := startSpoolProcess(t, bin, torn, port, "--appendfsync", "everysec")
		killOnFailure(t, cmd)
		verifyTransactions(t, addr, 0, 0)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}

	cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", "everysec")
	killOnFailure(t, cmd)
	verifyTransactions(t, addr, ackedPairs, ackedEntries)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	t.Logf("%d SIGKILLs: %d pair transactions and %d stream transactions acknowledged, none partial", cycles, ackedPairs, ackedEntries)
}

// killOnFailure stops the server if the test fails while it runs.
func killOnFailure(t *testing.T, cmd *exec.Cmd) {
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
}

func verifyTransactions(t *testing.T, addr string, ackedPairs, ackedEntries int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c0 := redis.NewClient(&redis.Options{Addr: addr})
	defer c0.Close()
	c2 := redis.NewClient(&redis.Options{Addr: addr, DB: 2})
	defer c2.Close()
	a, errA := c0.Get(ctx, "a").Int64()
	b, errB := c0.Get(ctx, "b").Int64()
	if errA == redis.Nil && errB == redis.Nil {
		a, b, errA, errB = 0, 0, nil, nil
	}
	if errA != nil || errB != nil {
		t.Fatalf("GET a, b: %v, %v", errA, errB)
	}
	if a != b {
		t.Fatalf("partial transaction after SIGKILL: a = %d, b = %d", a, b)
	}
	if a < ackedPairs {
		t.Fatalf("acknowledged transaction lost: a = %d, acknowledged %d", a, ackedPairs)
	}
	n, err := c2.Get(ctx, "n").Int64()
	if err == redis.Nil {
		n, err = 0, nil
	}
	if err != nil {
		t.Fatalf("GET n: %v", err)
	}
	length, err := c2.XLen(ctx, "s").Result()
	if err != nil {
		t.Fatalf("XLEN s: %v", err)
	}
	if length != n {
		t.Fatalf("partial transaction after SIGKILL: XLEN s = %d, n = %d", length, n)
	}
	if n < ackedEntries {
		t.Fatalf("acknowledged transaction lost: n = %d, acknowledged %d", n, ackedEntries)
	}
}
