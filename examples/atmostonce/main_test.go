package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spool-dev/spool/server/servertest"
)

// TestConsumerCrashLosesInFlightNeverDuplicates: consumer a takes a batch
// with NOACK and dies holding part of it; consumer b drains the rest. The
// abandoned entries are gone (no pending entry to claim) and nothing is
// handled twice.
func TestConsumerCrashLosesInFlightNeverDuplicates(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()

	const stream, group, n = "orders", "workers", 20
	if err := Setup(ctx, rdb, stream, group); err != nil {
		t.Fatal(err)
	}
	ids, err := Produce(ctx, rdb, stream, n)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	handle := func(m redis.XMessage) { seen[m.ID]++ }

	// Batches of 5: a handles 0..6 and dies holding 7, 8, 9.
	a := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "a", Batch: 5, CrashAfter: 7}
	if h, err := a.Run(ctx, handle); !errors.Is(err, ErrCrashed) || h != 7 {
		t.Fatalf("consumer a: handled %d, err %v; want 7 and a crash", h, err)
	}
	// NOACK kept nothing pending: there is nothing to take over.
	if p, err := rdb.XPending(ctx, stream, group).Result(); err != nil || p.Count != 0 {
		t.Fatalf("XPENDING after the crash: %+v, %v; want no pending entries", p, err)
	}
	claimed, _, err := rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: stream, Group: group, Consumer: "b", Start: "0-0", Count: 100}).Result()
	if err != nil || len(claimed) != 0 {
		t.Fatalf("XAUTOCLAIM found %d entries (%v); want none", len(claimed), err)
	}
	b := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "b", Batch: 5}
	if h, err := b.Run(ctx, handle); err != nil || h != 10 {
		t.Fatalf("consumer b: handled %d, err %v; want 10", h, err)
	}

	for i, id := range ids {
		lost := i >= 7 && i <= 9
		switch {
		case lost && seen[id] != 0:
			t.Errorf("entry %d (%s) was in flight at the crash but handled %d times", i, id, seen[id])
		case !lost && seen[id] != 1:
			t.Errorf("entry %d (%s) handled %d times; want exactly once", i, id, seen[id])
		}
	}
	if len(seen) != n-3 {
		t.Errorf("handled %d distinct entries; want %d (3 lost)", len(seen), n-3)
	}
	// A further read finds nothing: the lost entries are never redelivered.
	if h, err := b.Run(ctx, handle); err != nil || h != 0 {
		t.Fatalf("re-read: handled %d, err %v; want 0", h, err)
	}
}
