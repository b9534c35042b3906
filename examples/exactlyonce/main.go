// Command exactlyonce shows exactly-once processing on a Spool stream, built
// from two halves:
//
//   - an idempotent producer: XADD ... IDMP producer-id idempotent-id
//     (Redis 8.6). When a reply is lost (timeout, server restart) the producer
//     sends the same message again with the same IDs; the server answers with
//     the ID of the entry it already has and adds nothing. The dedup map is
//     durable, so this holds across a server restart within the IDMP window.
//   - an idempotent consumer: it records the entry IDs it has processed in a
//     set, and applies the effect, records the ID and XACKs in one
//     MULTI/EXEC under WATCH of that set. A crash before EXEC leaves nothing
//     done and the entry pending (another consumer claims it); a stale
//     consumer whose entry was taken over finds the ID recorded and only acks.
//
// The cost: a dedup map on the server per producer, a processed-ID set that
// grows with the stream (trim it along with the stream), and a WATCH/EXEC
// round trip per entry.
//
//	go run ./examples/exactlyonce -addr 127.0.0.1:6379
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

// ErrCrashed is returned by a consumer whose crash was injected.
var ErrCrashed = errors.New("consumer crashed (injected)")

// maxRounds bounds every loop.
const maxRounds = 10000

// Keys the consumer's effects live in, next to the stream.
func processedKey(stream string) string { return stream + ":processed" }

// TotalsKey is the hash the consumer adds each order's amount to.
func TotalsKey(stream string) string { return stream + ":totals" }

// LedgerKey is the list of orders the consumer applied, in order.
func LedgerKey(stream string) string { return stream + ":ledger" }

// Setup creates the stream and its consumer group; an existing group is fine.
func Setup(ctx context.Context, rdb *redis.Client, stream, group string) error {
	err := rdb.XGroupCreateMkStream(ctx, stream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

// Producer sends messages with IDMP and retries them until acknowledged.
type Producer struct {
	Client   *redis.Client
	Stream   string
	ID       string        // producer-id: stable across producer restarts
	Attempts int           // tries per message (at least 1)
	Backoff  time.Duration // pause between tries
	// LoseReply, when set, is asked after every successful XADD whether to
	// pretend its reply was lost: the producer then sends the message again.
	LoseReply func(order string, attempt int) bool
}

// Send appends order (its idempotent ID) with amount and returns the stream
// entry ID and how many times it was sent.
func (p *Producer) Send(ctx context.Context, order string, amount int) (string, int, error) {
	var lastErr error
	for attempt := 1; attempt <= max(p.Attempts, 1); attempt++ {
		id, err := p.Client.XAdd(ctx, &redis.XAddArgs{
			Stream: p.Stream, ProducerID: p.ID, IdempotentID: order,
			Values: []string{"order", order, "amount", strconv.Itoa(amount)},
		}).Result()
		if err == nil && (p.LoseReply == nil || !p.LoseReply(order, attempt)) {
			return id, attempt, nil
		}
		if err == nil {
			err = errors.New("reply lost (injected)")
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return "", attempt, ctx.Err()
		case <-time.After(p.Backoff):
		}
	}
	return "", p.Attempts, fmt.Errorf("order %s: giving up: %w", order, lastErr)
}

// Apply processes one entry exactly once: if its ID is not yet recorded it
// adds the amount, appends the order to the ledger, records the ID and acks,
// all in one MULTI/EXEC; if it is recorded it only acks. It reports whether
// this call applied the effect.
func Apply(ctx context.Context, rdb *redis.Client, stream, group string, m redis.XMessage) (bool, error) {
	amount, err := strconv.ParseInt(fmt.Sprint(m.Values["amount"]), 10, 64)
	if err != nil {
		return false, fmt.Errorf("entry %s: bad amount: %w", m.ID, err)
	}
	order := fmt.Sprint(m.Values["order"])
	for try := 0; try < 100; try++ {
		applied := false
		err := rdb.Watch(ctx, func(tx *redis.Tx) error {
			done, err := tx.SIsMember(ctx, processedKey(stream), m.ID).Result()
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				if !done {
					p.HIncrBy(ctx, TotalsKey(stream), "sum", amount)
					p.RPush(ctx, LedgerKey(stream), order)
					p.SAdd(ctx, processedKey(stream), m.ID)
				}
				p.XAck(ctx, stream, group, m.ID)
				return nil
			})
			applied = err == nil && !done
			return err
		}, processedKey(stream))
		if errors.Is(err, redis.TxFailedErr) {
			continue // someone recorded an ID meanwhile: look again
		}
		return applied, err
	}
	return false, fmt.Errorf("entry %s: WATCH kept failing", m.ID)
}

// Consumer takes over idle pending entries and reads new ones with
// XREADGROUP ... CLAIM, applying each with Apply.
type Consumer struct {
	Client  *redis.Client
	Stream  string
	Group   string
	Name    string
	Batch   int64
	MinIdle time.Duration
	// CrashAfter, when positive, makes the consumer die after applying that
	// many entries, abandoning (unacked) the rest of its batch.
	CrashAfter int
}

// Stats counts what a consumer did.
type Stats struct {
	Applied     int // effects applied
	Skipped     int // entries found already processed (only acked)
	Redelivered int // entries taken over from another consumer
}

// Run consumes until the group has nothing left for it.
func (c *Consumer) Run(ctx context.Context) (Stats, error) {
	var st Stats
	for round := 0; round < maxRounds; round++ {
		res, err := c.Client.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: c.Group, Consumer: c.Name, Streams: []string{c.Stream, ">"},
			Count: c.Batch, Block: -1, Claim: max(c.MinIdle, time.Millisecond),
		}).Result()
		if errors.Is(err, redis.Nil) {
			return st, nil
		}
		if err != nil {
			return st, err
		}
		if len(res) == 0 || len(res[0].Messages) == 0 {
			return st, nil
		}
		for _, m := range res[0].Messages {
			if c.CrashAfter > 0 && st.Applied == c.CrashAfter {
				return st, ErrCrashed
			}
			if m.DeliveredCount > 0 { // delivered before: taken over

				st.Redelivered++
			}
			applied, err := Apply(ctx, c.Client, c.Stream, c.Group, m)
			if err != nil {
				return st, err
			}
			if applied {
				st.Applied++
			} else {
				st.Skipped++
			}
		}
	}
	return st, fmt.Errorf("gave up after %d reads", maxRounds)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "Spool (or Redis 8.6+) address")
	n := flag.Int("n", 20, "orders to send")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: *addr})
	defer rdb.Close()

	stream, group := "example:exactlyonce", "workers"
	if err := rdb.Del(ctx, stream, processedKey(stream), TotalsKey(stream), LedgerKey(stream)).Err(); err != nil {
		log.Fatal(err)
	}
	if err := Setup(ctx, rdb, stream, group); err != nil {
		log.Fatal(err)
	}
	// Every other reply is "lost" once, so those orders are sent twice.
	p := &Producer{Client: rdb, Stream: stream, ID: "shop-1", Attempts: 3, Backoff: 10 * time.Millisecond,
		LoseReply: func(order string, attempt int) bool { k, _ := strconv.Atoi(order); return k%2 == 0 && attempt == 1 }}
	sends, want := 0, 0
	for i := 0; i < *n; i++ {
		_, s, err := p.Send(ctx, strconv.Itoa(i), i+1)
		if err != nil {
			log.Fatal(err)
		}
		sends += s
		want += i + 1
	}
	minIdle := 100 * time.Millisecond
	a := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "a", Batch: 5, MinIdle: minIdle, CrashAfter: 3}
	sa, err := a.Run(ctx)
	fmt.Printf("sent %d orders in %d XADDs; stream length %d\n", *n, sends, rdb.XLen(ctx, stream).Val())
	fmt.Printf("consumer a applied %d, then: %v\n", sa.Applied, err)
	time.Sleep(minIdle + 50*time.Millisecond)
	b := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "b", Batch: 5, MinIdle: minIdle}
	sb, err := b.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	sum, _ := rdb.HGet(ctx, TotalsKey(stream), "sum").Int()
	fmt.Printf("consumer b applied %d (%d taken over); ledger has %d orders, sum %d (want %d)\n",
		sb.Applied, sb.Redelivered, rdb.LLen(ctx, LedgerKey(stream)).Val(), sum, want)
}
