package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

func start(t *testing.T, dir string) (*server.Server, *redis.Client) {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.Dir = dir
	srv, addr := servertest.Start(t, &cfg)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	return srv, rdb
}

// TestRelayCrashNeverDuplicates: relay 1 crashes after its 4th XADD, before
// marking that row; the server restarts too; relay 2 reloads the store from
// its file and sends the unmarked row again. The stream holds every row
// exactly once, in order.
func TestRelayCrashNeverDuplicates(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	srv, rdb := start(t, dir)
	path := filepath.Join(t.TempDir(), "store.json")

	const stream, n = "orders", 10
	store, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := store.PlaceOrder(fmt.Sprintf("order-%d", i), i+1); err != nil {
			t.Fatal(err)
		}
	}
	first := &Relay{Store: store, Client: rdb, Stream: stream, ProducerID: "outbox-relay", CrashAfterSend: 4}
	if sent, err := first.Run(ctx); !errors.Is(err, ErrCrashed) || sent != 4 {
		t.Fatalf("relay 1: sent %d, %v; want 4 and a crash", sent, err)
	}

	srv.Close()
	_, rdb = start(t, dir)
	store, err = OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if p := len(store.Pending()); p != n-3 {
		t.Fatalf("after the crash the store has %d pending rows; want %d (row 4 sent but unmarked)", p, n-3)
	}
	second := &Relay{Store: store, Client: rdb, Stream: stream, ProducerID: "outbox-relay"}
	if sent, err := second.Run(ctx); err != nil || sent != n-3 {
		t.Fatalf("relay 2: sent %d, %v; want %d", sent, err, n-3)
	}

	entries, err := rdb.XRange(ctx, stream, "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Fatalf("stream has %d entries; want %d", len(entries), n)
	}
	for i, e := range entries {
		if e.Values["order"] != fmt.Sprintf("order-%d", i) || e.Values["row"] != fmt.Sprint(i+1) {
			t.Errorf("entry %d = %v; want order-%d from row %d", i, e.Values, i, i+1)
		}
	}
	info, err := rdb.Do(ctx, "XINFO", "STREAM", stream).Result() // a map in RESP3
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := info.(map[interface{}]interface{}); !ok || m["iids-duplicates"] != int64(1) {
		t.Errorf("XINFO STREAM = %v; want iids-duplicates 1 (the resent row)", info)
	}
	// Nothing is left to relay.
	store, err = OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if p := len(store.Pending()); p != 0 {
		t.Errorf("%d rows still pending", p)
	}
}
