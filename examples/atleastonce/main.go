// Command atleastonce shows at-least-once delivery on a Spool stream.
//
// A worker acknowledges an entry (XACK) only after its work is done. An
// entry a worker received but did not acknowledge stays in the group's
// pending entries list; when the worker dies, another one takes it over once
// it has been idle for MinIdle, with XAUTOCLAIM or with XREADGROUP ... CLAIM
// (Redis 8.4). Nothing is lost; an entry whose work was done but whose ack
// was not sent is done twice, and the taker counts such redeliveries. The
// cost: one XACK per entry, a pending list, and handlers that tolerate
// duplicates.
//
//	go run ./examples/atleastonce -addr 127.0.0.1:6379
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrCrashed is returned by a worker whose crash was injected.
var ErrCrashed = errors.New("worker crashed (injected)")

// maxRounds bounds every read loop.
const maxRounds = 10000

// Takeover modes.
const (
	TakeoverAutoClaim = "xautoclaim" // XAUTOCLAIM, then XREADGROUP >
	TakeoverClaim     = "claim"      // XREADGROUP ... CLAIM min-idle-time >
)

// Setup creates the stream and its consumer group; an existing group is fine.
func Setup(ctx context.Context, rdb *redis.Client, stream, group string) error {
	err := rdb.XGroupCreateMkStream(ctx, stream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

// Produce appends n entries whose field "n" numbers them 0..n-1.
func Produce(ctx context.Context, rdb *redis.Client, stream string, n int) ([]string, error) {
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		id, err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []string{"n", strconv.Itoa(i)}}).Result()
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Worker handles entries and acknowledges each after its work.
type Worker struct {
	Client   *redis.Client
	Stream   string
	Group    string
	Name     string
	Batch    int64         // COUNT per read
	MinIdle  time.Duration // how long a pending entry must sit before it is taken over
	Takeover string        // TakeoverAutoClaim or TakeoverClaim
	// CrashAfterWork, when positive, makes the worker die right after the
	// work of its CrashAfterWork-th entry, before acknowledging it.
	CrashAfterWork int
}

// Stats counts what a worker did.
type Stats struct {
	Handled     int // handle calls
	Redelivered int // entries taken over from another consumer (possible duplicates)
}

// Run takes over idle pending entries, then reads new ones, until the group
// has nothing left for it.
func (w *Worker) Run(ctx context.Context, handle func(redis.XMessage) error) (Stats, error) {
	var st Stats
	process := func(msgs []redis.XMessage, taken func(redis.XMessage) bool) error {
		for _, m := range msgs {
			if taken(m) {
				st.Redelivered++
			}
			if err := handle(m); err != nil {
				return err // not acked: it stays pending for a later takeover
			}
			st.Handled++
			if w.CrashAfterWork > 0 && st.Handled == w.CrashAfterWork {
				return ErrCrashed
			}
			if err := w.Client.XAck(ctx, w.Stream, w.Group, m.ID).Err(); err != nil {
				return err
			}
		}
		return nil
	}
	if w.Takeover == TakeoverAutoClaim {
		start := "0-0"
		for round := 0; round < maxRounds; round++ {
			msgs, next, err := w.Client.XAutoClaim(ctx, &redis.XAutoClaimArgs{
				Stream: w.Stream, Group: w.Group, Consumer: w.Name,
				MinIdle: w.MinIdle, Start: start, Count: w.Batch,
			}).Result()
			if err != nil {
				return st, err
			}
			// Every entry XAUTOCLAIM returns was delivered before.
			if err := process(msgs, func(redis.XMessage) bool { return true }); err != nil {
				return st, err
			}
			if next == "0-0" {
				break
			}
			start = next
		}
	}
	for round := 0; round < maxRounds; round++ {
		args := &redis.XReadGroupArgs{
			Group: w.Group, Consumer: w.Name, Streams: []string{w.Stream, ">"},
			Count: w.Batch, Block: -1,
		}
		if w.Takeover == TakeoverClaim {
			// Idle pending entries come first (with their delivery count),
			// then new ones.
			args.Claim = max(w.MinIdle, time.Millisecond)
		}
		res, err := w.Client.XReadGroup(ctx, args).Result()
		if errors.Is(err, redis.Nil) {
			return st, nil
		}
		if err != nil {
			return st, err
		}
		if len(res) == 0 || len(res[0].Messages) == 0 {
			return st, nil
		}
		// With CLAIM, a claimed entry reports how often it was delivered
		// before; a new entry reports 0.
		if err := process(res[0].Messages, func(m redis.XMessage) bool { return m.DeliveredCount > 0 }); err != nil {
			return st, err
		}
	}
	return st, fmt.Errorf("gave up after %d reads", maxRounds)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "Spool (or Redis 8.4+) address")
	n := flag.Int("n", 20, "entries to produce")
	mode := flag.String("takeover", TakeoverClaim, "how the survivor takes over: claim or xautoclaim")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: *addr})
	defer rdb.Close()

	stream, group := "example:atleastonce", "workers"
	if err := rdb.Del(ctx, stream).Err(); err != nil {
		log.Fatal(err)
	}
	if err := Setup(ctx, rdb, stream, group); err != nil {
		log.Fatal(err)
	}
	if _, err := Produce(ctx, rdb, stream, *n); err != nil {
		log.Fatal(err)
	}
	done := map[string]int{}
	handle := func(m redis.XMessage) error { done[m.ID]++; return nil }
	minIdle := 100 * time.Millisecond
	a := &Worker{Client: rdb, Stream: stream, Group: group, Name: "a", Batch: 5, MinIdle: minIdle, Takeover: *mode, CrashAfterWork: 3}
	sa, err := a.Run(ctx, handle)
	fmt.Printf("worker a did %d, then: %v\n", sa.Handled, err)
	time.Sleep(minIdle + 50*time.Millisecond)
	b := &Worker{Client: rdb, Stream: stream, Group: group, Name: "b", Batch: 5, MinIdle: minIdle, Takeover: *mode}
	sb, err := b.Run(ctx, handle)
	if err != nil {
		log.Fatal(err)
	}
	dups := 0
	for _, c := range done {
		dups += c - 1
	}
	fmt.Printf("worker b did %d (%d taken over); %d of %d entries done, %d done twice\n", sb.Handled, sb.Redelivered, len(done), *n, dups)
}
