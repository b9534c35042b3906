package main

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// start runs Spool on dir (a restart when dir already holds data) and returns
// a client for it.
func start(t *testing.T, dir string) (*server.Server, *redis.Client) {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.Dir = dir
	srv, addr := servertest.Start(t, &cfg)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	return srv, rdb
}

// TestExactlyOnce injects producer retries (lost replies, and a resend of
// everything after a server restart), a consumer crash mid-batch, a stale
// consumer that wakes up after its entries were taken over, and a final
// server restart: every order takes effect exactly once.
func TestExactlyOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	srv, rdb := start(t, dir)

	const stream, group, n = "orders", "workers", 20
	const minIdle = 50 * time.Millisecond
	if err := Setup(ctx, rdb, stream, group); err != nil {
		t.Fatal(err)
	}
	lose := func(order string, attempt int) bool { k, _ := strconv.Atoi(order); return k%2 == 0 && attempt == 1 }
	p := &Producer{Client: rdb, Stream: stream, ID: "shop-1", Attempts: 3, Backoff: time.Millisecond, LoseReply: lose}
	entry := map[string]string{}
	wantSum := 0
	for i := 0; i < n/2; i++ {
		order := strconv.Itoa(i)
		id, sends, err := p.Send(ctx, order, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 + (i+1)%2; sends != want {
			t.Fatalf("order %d sent %d times; want %d", i, sends, want)
		}
		entry[order] = id
		wantSum += i + 1
	}
	if l := rdb.XLen(ctx, stream).Val(); l != n/2 {
		t.Fatalf("XLEN after retried sends = %d; want %d", l, n/2)
	}

	// The server restarts; the producer, not knowing what got through,
	// sends everything again, then the second half.
	srv.Close()
	srv, rdb = start(t, dir)
	p.Client, p.LoseReply = rdb, nil
	for i := 0; i < n; i++ {
		order := strconv.Itoa(i)
		id, _, err := p.Send(ctx, order, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if old, ok := entry[order]; ok && id != old {
			t.Fatalf("resent order %s got entry %s; want the original %s", order, id, old)
		}
		if _, ok := entry[order]; !ok {
			entry[order] = id
			wantSum += i + 1
		}
	}
	if l := rdb.XLen(ctx, stream).Val(); l != n {
		t.Fatalf("XLEN after the resend = %d; want %d", l, n)
	}

	// Consumer a applies 3 entries and dies holding 3 and 4.
	a := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "a", Batch: 5, MinIdle: minIdle, CrashAfter: 3}
	if st, err := a.Run(ctx); !errors.Is(err, ErrCrashed) || st.Applied != 3 {
		t.Fatalf("consumer a: %+v, %v; want 3 applied and a crash", st, err)
	}
	// Consumer z reads 5..9 and stalls (a GC pause, a network partition).
	res, err := rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: group, Consumer: "z", Streams: []string{stream, ">"}, Count: 5, Block: -1}).Result()
	if err != nil || len(res) != 1 || len(res[0].Messages) != 5 {
		t.Fatalf("consumer z read %v, %v; want 5 entries", res, err)
	}
	stale := res[0].Messages

	// Consumer b takes over 3..9 once idle, and drains the rest.
	time.Sleep(minIdle + 30*time.Millisecond)
	b := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "b", Batch: 5, MinIdle: minIdle}
	st, err := b.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Applied != n-3 || st.Redelivered != 7 || st.Skipped != 0 {
		t.Errorf("consumer b: %+v; want %d applied, 7 taken over, none skipped", st, n-3)
	}
	// z wakes up and finishes its stale entries: none applies again.
	for _, m := range stale {
		applied, err := Apply(ctx, rdb, stream, group, m)
		if err != nil {
			t.Fatal(err)
		}
		if applied {
			t.Errorf("stale consumer applied %s again", m.ID)
		}
	}

	// Effects and acks survive one more restart together.
	srv.Close()
	_, rdb = start(t, dir)
	ledger, err := rdb.LRange(ctx, LedgerKey(stream), 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, o := range ledger {
		count[o]++
	}
	for i := 0; i < n; i++ {
		if c := count[strconv.Itoa(i)]; c != 1 {
			t.Errorf("order %d took effect %d times; want exactly once", i, c)
		}
	}
	if len(ledger) != n {
		t.Errorf("ledger has %d entries; want %d", len(ledger), n)
	}
	if sum, err := rdb.HGet(ctx, TotalsKey(stream), "sum").Int(); err != nil || sum != wantSum {
		t.Errorf("sum = %d (%v); want %d", sum, err, wantSum)
	}
	if pe, err := rdb.XPending(ctx, stream, group).Result(); err != nil || pe.Count != 0 {
		t.Errorf("XPENDING at the end: %+v, %v; want nothing pending", pe, err)
	}
}
