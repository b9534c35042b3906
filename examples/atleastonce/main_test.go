package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spool-dev/spool/server/servertest"
)

// TestWorkerCrashNothingLost: worker a takes a batch of 5, does the work of
// entries 0, 1 and 2 but dies before acking 2, holding 3 and 4 undone. After
// MinIdle, worker b takes them over (XAUTOCLAIM, or XREADGROUP CLAIM) and
// drains the stream: every entry is done, the ones worked but not acked
// twice, and b counts every redelivery.
func TestWorkerCrashNothingLost(t *testing.T) {
	for _, mode := range []string{TakeoverAutoClaim, TakeoverClaim} {
		t.Run(mode, func(t *testing.T) {
			_, addr := servertest.Start(t, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			rdb := redis.NewClient(&redis.Options{Addr: addr})
			defer rdb.Close()

			const stream, group, n = "orders", "workers", 20
			const minIdle = 50 * time.Millisecond
			if err := Setup(ctx, rdb, stream, group); err != nil {
				t.Fatal(err)
			}
			ids, err := Produce(ctx, rdb, stream, n)
			if err != nil {
				t.Fatal(err)
			}
			done := map[string]int{}
			handle := func(m redis.XMessage) error { done[m.ID]++; return nil }

			a := &Worker{Client: rdb, Stream: stream, Group: group, Name: "a", Batch: 5, MinIdle: minIdle, Takeover: mode, CrashAfterWork: 3}
			if st, err := a.Run(ctx, handle); !errors.Is(err, ErrCrashed) || st.Handled != 3 {
				t.Fatalf("worker a: %+v, %v; want 3 handled and a crash", st, err)
			}
			p, err := rdb.XPending(ctx, stream, group).Result()
			if err != nil || p.Count != 3 || p.Consumers["a"] != 3 {
				t.Fatalf("XPENDING after the crash: %+v, %v; want 3 pending on a", p, err)
			}

			// Too early: the entries are not idle yet, so b takes nothing over
			// (and, in CLAIM mode, goes on with new entries).
			early := &Worker{Client: rdb, Stream: stream, Group: group, Name: "b", Batch: 5, MinIdle: time.Hour, Takeover: mode, CrashAfterWork: 1}
			st, err := early.Run(ctx, handle)
			if !errors.Is(err, ErrCrashed) || st.Redelivered != 0 {
				t.Fatalf("early takeover: %+v, %v; want no redelivery", st, err)
			}
			// That early crash left b holding entries 5..9, with 5 done but
			// unacked.

			time.Sleep(minIdle + 30*time.Millisecond)
			b := &Worker{Client: rdb, Stream: stream, Group: group, Name: "b", Batch: 5, MinIdle: minIdle, Takeover: mode}
			st, err = b.Run(ctx, handle)
			if err != nil {
				t.Fatal(err)
			}
			if st.Redelivered != 8 {
				t.Errorf("b counted %d redeliveries; want 8 (entries 2..4 from a, 5..9 from its own early crash)", st.Redelivered)
			}
			var got []string
			for i, id := range ids {
				want := 1
				if i == 2 || i == 5 { // worked, then crashed before XACK
					want = 2
				}
				if done[id] != want {
					got = append(got, fmt.Sprintf("entry %d done %d times (want %d)", i, done[id], want))
				}
			}
			if len(got) > 0 {
				t.Errorf("%v", got)
			}
			if p, err := rdb.XPending(ctx, stream, group).Result(); err != nil || p.Count != 0 {
				t.Fatalf("XPENDING at the end: %+v, %v; want nothing pending", p, err)
			}
		})
	}
}
