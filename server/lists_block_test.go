package server_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server/servertest"
)

// TestBlockedPopsAreFair parks ten clients on one key, one after the
// other, then serves them with single pushes and with one push of many
// elements: each time the longest-waiting client gets the first element,
// as in Redis.
func TestBlockedPopsAreFair(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	const n = 10
	for round, push := range []func(){
		func() {
			for i := 0; i < n; i++ {
				admin.Do("RPUSH", "q", "e"+strconv.Itoa(i))
			}
		},
		func() {
			args := []string{"RPUSH", "q"}
			for i := 0; i < n; i++ {
				args = append(args, "e"+strconv.Itoa(i))
			}
			admin.Do(args...)
		},
	} {
		waiters := make([]*servertest.Conn, n)
		for i := range waiters {
			waiters[i] = servertest.Dial(t, addr)
			waiters[i].WriteRaw(servertest.Encode("BLPOP", "q", "0"))
			waitBlocked(t, admin, i+1)
		}
		push()
		for i, w := range waiters {
			want := fmt.Sprintf("*2\r\n$1\r\nq\r\n$2\r\ne%d\r\n", i)
			if got := w.Read(); got != want {
				t.Fatalf("round %d: waiter %d got %q, want %q", round, i, got, want)
			}
		}
		if got := admin.Do("EXISTS", "q"); got != ":0\r\n" {
			t.Fatalf("round %d: the list is left behind: %q", round, got)
		}
	}
}

// TestDisconnectedWaiterIsForgotten: a client that goes away while
// blocked takes nothing with it; the next waiter gets the element.
func TestDisconnectedWaiterIsForgotten(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	gone := servertest.Dial(t, addr)
	gone.WriteRaw(servertest.Encode("BLMOVE", "src", "dst", "LEFT", "LEFT", "0"))
	waitBlocked(t, admin, 1)
	next := servertest.Dial(t, addr)
	next.WriteRaw(servertest.Encode("BRPOP", "src", "0"))
	waitBlocked(t, admin, 2)
	gone.NetConn().Close()
	waitBlocked(t, admin, 1)
	admin.Do("RPUSH", "src", "job")
	if got := next.Read(); got != "*2\r\n$3\r\nsrc\r\n$3\r\njob\r\n" {
		t.Fatalf("remaining waiter got %q", got)
	}
	if got := admin.Do("EXISTS", "src", "dst"); got != ":0\r\n" {
		t.Fatalf("EXISTS src dst = %q", got)
	}
}

// TestBlockedMoveChain: one push serves a BLMOVE, whose push to its
// destination serves a BLPOP there, in the same round, and the log holds
// the rewritten effects in order.
func TestBlockedMoveChain(t *testing.T) {
	srv, addr := servertest.Start(t, nil)
	var mu sync.Mutex
	var effects []string
	srv.SetEffectSink(func(effs []commands.Effect) {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range effs {
			effects = append(effects, fmt.Sprintf("%s", e.Args))
		}
	})
	admin := servertest.Dial(t, addr)
	mover := servertest.Dial(t, addr)
	mover.WriteRaw(servertest.Encode("BLMOVE", "a", "b", "RIGHT", "LEFT", "0"))
	waitBlocked(t, admin, 1)
	popper := servertest.Dial(t, addr)
	popper.WriteRaw(servertest.Encode("BLPOP", "b", "0"))
	waitBlocked(t, admin, 2)
	admin.Do("RPUSH", "a", "x")
	if got := mover.Read(); got != "$1\r\nx\r\n" {
		t.Fatalf("mover got %q", got)
	}
	if got := popper.Read(); got != "*2\r\n$1\r\nb\r\n$1\r\nx\r\n" {
		t.Fatalf("popper got %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"[RPUSH a x]", "[LMOVE a b RIGHT LEFT]", "[LPOP b]"}
	if fmt.Sprint(effects) != fmt.Sprint(want) {
		t.Fatalf("effects %q, want %q", effects, want)
	}
}

// TestBlockingQueueDeliversOnce runs producers and BRPOP consumers
// concurrently (go-redis, pooled connections) and requires every element
// to be delivered exactly once.
func TestBlockingQueueDeliversOnce(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx := context.Background()
	const producers, consumers, perProducer = 4, 6, 500
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	stop := make(chan struct{})
	for c := 0; c < consumers; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1})
			defer rc.Close()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := rc.BRPop(ctx, time.Second, "q1", "q2").Result()
				if err != nil {
					continue
				}
				mu.Lock()
				got[res[1]]++
				mu.Unlock()
			}
		}()
	}
	var pwg sync.WaitGroup
	for p := 0; p < producers; p++ {
		pwg.Add(1)
		go func(p int) {
			defer pwg.Done()
			rc := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1})
			defer rc.Close()
			for i := 0; i < perProducer; i++ {
				key := []string{"q1", "q2"}[i%2]
				if err := rc.LPush(ctx, key, fmt.Sprintf("%d-%d", p, i)).Err(); err != nil {
					t.Error(err)
					return
				}
			}
		}(p)
	}
	pwg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == producers*perProducer || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if len(got) != producers*perProducer {
		t.Fatalf("delivered %d distinct elements, want %d", len(got), producers*perProducer)
	}
	for e, n := range got {
		if n != 1 {
			t.Fatalf("%s delivered %d times", e, n)
		}
	}
}
