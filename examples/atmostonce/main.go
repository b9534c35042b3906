// Command atmostonce shows at-most-once delivery on a Spool stream.
//
// Consumers read with XREADGROUP ... NOACK: the server hands each entry out
// once and keeps no pending entry for it. A consumer that dies while holding
// entries loses them (nobody can claim what was never pending), and no entry
// is ever delivered twice. The cost: losses on every consumer crash; the
// gain: no XACK round trip and no pending entries list to maintain.
//
//	go run ./examples/atmostonce -addr 127.0.0.1:6379
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

// maxRounds bounds every read loop.
const maxRounds = 10000

// Setup creates the stream and its consumer group (reading from the start);
// an existing group is fine.
func Setup(ctx context.Context, rdb *redis.Client, stream, group string) error {
	err := rdb.XGroupCreateMkStream(ctx, stream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

// Produce appends n entries whose field "n" numbers them 0..n-1 and returns
// their IDs.
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

// Consumer reads a group with NOACK.
type Consumer struct {
	Client *redis.Client
	Stream string
	Group  string
	Name   string
	Batch  int64 // COUNT per read
	// CrashAfter, when positive, makes the consumer die after handling that
	// many entries, abandoning the rest of the batch it holds.
	CrashAfter int
}

// Run reads until the group has nothing new, calling handle once per entry.
// It returns how many entries it handled.
func (c *Consumer) Run(ctx context.Context, handle func(redis.XMessage)) (int, error) {
	handled := 0
	for round := 0; round < maxRounds; round++ {
		res, err := c.Client.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: c.Group, Consumer: c.Name, Streams: []string{c.Stream, ">"},
			Count: c.Batch, NoAck: true, Block: -1, // Block -1: do not block
		}).Result()
		if errors.Is(err, redis.Nil) {
			return handled, nil
		}
		if err != nil {
			return handled, err
		}
		if len(res) == 0 || len(res[0].Messages) == 0 {
			return handled, nil
		}
		for _, m := range res[0].Messages {
			if c.CrashAfter > 0 && handled == c.CrashAfter {
				return handled, ErrCrashed
			}
			handle(m)
			handled++
		}
	}
	return handled, fmt.Errorf("gave up after %d reads", maxRounds)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "Spool (or Redis) address")
	n := flag.Int("n", 20, "entries to produce")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: *addr})
	defer rdb.Close()

	stream, group := "example:atmostonce", "workers"
	if err := rdb.Del(ctx, stream).Err(); err != nil {
		log.Fatal(err)
	}
	if err := Setup(ctx, rdb, stream, group); err != nil {
		log.Fatal(err)
	}
	if _, err := Produce(ctx, rdb, stream, *n); err != nil {
		log.Fatal(err)
	}
	seen := map[string]int{}
	handle := func(m redis.XMessage) { seen[m.ID]++ }
	a := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "a", Batch: 5, CrashAfter: 7}
	ha, err := a.Run(ctx, handle)
	fmt.Printf("consumer a handled %d, then: %v\n", ha, err)
	b := &Consumer{Client: rdb, Stream: stream, Group: group, Name: "b", Batch: 5}
	hb, err := b.Run(ctx, handle)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("consumer b handled %d; %d of %d entries handled, %d lost, none twice\n", hb, len(seen), *n, *n-len(seen))
}
