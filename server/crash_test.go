package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
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

// buildSpool compiles the server binary once per test run.
func buildSpool(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "spool")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/spool")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build spool: %v", err)
	}
	return bin
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startSpoolProcess runs the binary on dir and waits until it answers PING
// (past LOADING).
func startSpoolProcess(t *testing.T, bin, dir string, port int, extra ...string) *exec.Cmd {
	t.Helper()
	args := append([]string{"--port", strconv.Itoa(port), "--dir", dir, "--loglevel", "warning"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return cmd
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("spool did not come up")
	return nil
}

// TestCrashRecovery SIGKILLs the server at random moments under concurrent
// writes, restarts it on the same directory, and requires every
// acknowledged write to be there, under each fsync policy (a process crash:
// everysec and no lose nothing acknowledged either).
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash cycles take a few seconds")
	}
	bin := buildSpool(t)
	for _, policy := range []string{"always", "everysec"} {
		t.Run(policy, func(t *testing.T) {
			dir := t.TempDir()
			port := freePort(t)
			acked := map[string]map[string]bool{} // stream -> acknowledged IDs
			counters := map[string]int64{}        // counter key -> highest acknowledged INCR result
			groupState := &deliveries{delivered: map[string]bool{}, tried: map[string]bool{}, acked: map[string]bool{}}
			r := rand.New(rand.NewPCG(7, uint64(len(policy))))
			for cycle := 0; cycle < 6; cycle++ {
				cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", policy)
				addr := fmt.Sprintf("127.0.0.1:%d", port)
				verifyRecovered(t, addr, acked, counters)
				verifyGroup(t, addr, groupState)
				if cycle == 0 {
					c := redis.NewClient(&redis.Options{Addr: addr})
					if err := c.XGroupCreateMkStream(context.Background(), "s0", "g", "0").Err(); err != nil {
						t.Fatal(err)
					}
					c.Close()
				}

				var mu sync.Mutex
				var wg sync.WaitGroup
				stop := make(chan struct{})
				for w := 0; w < 8; w++ {
					wg.Add(1)
					go func(w int) {
						defer wg.Done()
						c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 1})
						defer c.Close()
						stream := "s" + strconv.Itoa(w%3)
						counter := "c" + strconv.Itoa(w)
						for i := 0; i < 100000; i++ {
							select {
							case <-stop:
								return
							default:
							}
							ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
							id, err := c.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []string{"w", strconv.Itoa(w), "i", strconv.Itoa(i)}}).Result()
							if err == nil {
								mu.Lock()
								if acked[stream] == nil {
									acked[stream] = map[string]bool{}
								}
								acked[stream][id] = true
								mu.Unlock()
							}
							n, err := c.Incr(ctx, counter).Result()
							cancel()
							if err == nil {
								mu.Lock()
								counters[counter] = max(counters[counter], n)
								mu.Unlock()
							}
						}
					}(w)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					consume(addr, stop, groupState)
				}()
				time.Sleep(time.Duration(100+r.IntN(400)) * time.Millisecond)
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()
				close(stop)
				wg.Wait()
			}
			cmd := startSpoolProcess(t, bin, dir, port, "--appendfsync", policy)
			verifyRecovered(t, fmt.Sprintf("127.0.0.1:%d", port), acked, counters)
			verifyGroup(t, fmt.Sprintf("127.0.0.1:%d", port), groupState)
			t.Logf("%s: %d deliveries and %d XACKs acknowledged", policy, len(groupState.delivered), len(groupState.acked))
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			total := 0
			for _, ids := range acked {
				total += len(ids)
			}
			t.Logf("%s: %d acknowledged entries survived 6 SIGKILLs", policy, total)
		})
	}
}

func verifyRecovered(t *testing.T, addr string, acked map[string]map[string]bool, counters map[string]int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	for stream, ids := range acked {
		entries, err := c.XRange(ctx, stream, "-", "+").Result()
		if err != nil {
			t.Fatalf("XRANGE %s: %v", stream, err)
		}
		have := make(map[string]bool, len(entries))
		for _, e := range entries {
			have[e.ID] = true
		}
		for id := range ids {
			if !have[id] {
				t.Fatalf("acknowledged entry %s %s lost after SIGKILL", stream, id)
			}
		}
	}
	for key, n := range counters {
		got, err := c.Get(ctx, key).Int64()
		if err != nil || got < n {
			t.Fatalf("counter %s: acknowledged %d, recovered %d (%v)", key, n, got, err)
		}
	}
}

// deliveries records what a consumer was told: entries delivered to it (the
// XREADGROUP reply arrived) and entries whose XACK was acknowledged.
type deliveries struct {
	mu        sync.Mutex
	delivered map[string]bool
	tried     map[string]bool // an XACK was sent (its reply may be lost)
	acked     map[string]bool
}

// consume reads new entries of s0 as consumer c of group g and acks every
// other one, until stop.
func consume(addr string, stop <-chan struct{}, d *deliveries) {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 1})
	defer c.Close()
	for n := 0; n < 100000; n++ {
		select {
		case <-stop:
			return
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c", Streams: []string{"s0", ">"}, Count: 10, Block: -1}).Result()
		if err != nil || len(res) == 0 {
			cancel()
			continue
		}
		var toAck []string
		d.mu.Lock()
		for i, m := range res[0].Messages {
			d.delivered[m.ID] = true
			if i%2 == 0 {
				toAck = append(toAck, m.ID)
				d.tried[m.ID] = true
			}
		}
		d.mu.Unlock()
		if len(toAck) > 0 {
			if err := c.XAck(ctx, "s0", "g", toAck...).Err(); err == nil {
				d.mu.Lock()
				for _, id := range toAck {
					d.acked[id] = true
				}
				d.mu.Unlock()
			}
		}
		cancel()
	}
}

// verifyGroup: every acknowledged XACK stays acked, and every delivered,
// unacked entry is still pending with delivery count 1.
func verifyGroup(t *testing.T, addr string, d *deliveries) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.delivered) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	pending, err := c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: "s0", Group: "g", Start: "-", End: "+", Count: 1 << 30}).Result()
	if err != nil {
		t.Fatalf("XPENDING: %v", err)
	}
	inPEL := make(map[string]int64, len(pending))
	for _, p := range pending {
		inPEL[p.ID] = p.RetryCount
	}
	for id := range d.acked {
		if _, ok := inPEL[id]; ok {
			t.Fatalf("entry %s was acked (XACK acknowledged) but is pending again after SIGKILL", id)
		}
	}
	for id := range d.delivered {
		count, ok := inPEL[id]
		if !ok {
			// Gone from the PEL: fine if an XACK for it was sent (its reply
			// may have been lost in the crash), a lost delivery otherwise.
			if !d.tried[id] {
				t.Fatalf("entry %s was delivered (reply received), never acked, and is no longer pending", id)
			}
			continue
		}
		if count != 1 {
			t.Fatalf("entry %s pending with delivery count %d, want 1", id, count)
		}
	}
}
