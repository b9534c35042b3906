// Command outbox shows the transactional outbox pattern feeding a Spool
// stream.
//
// The application keeps its own data in a local store (here a JSON file,
// replaced atomically on every write). Placing an order writes the order
// and an outbox row in the same store write, so either both exist or
// neither does. A relay then moves unrelayed outbox rows into a stream with
// XADD ... IDMP relay-id row-id and marks them relayed. A relay that
// crashes between the XADD and the mark sends the row again when it
// restarts; the server recognises the (producer, idempotent ID) pair and
// returns the original entry, so the stream never holds a row twice. The
// cost: a second write per row (the mark), a durable dedup map on the
// server, and the relay must come back within the stream's IDMP-DURATION
// (XCFGSET; default 100 s), or a resend is no longer recognised.
//
//	go run ./examples/outbox -addr 127.0.0.1:6379 -store /tmp/outbox.json
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrCrashed is returned by a relay whose crash was injected.
var ErrCrashed = errors.New("relay crashed (injected)")

// Row is one outbox row: a message waiting to be published.
type Row struct {
	ID      string `json:"id"`
	Order   string `json:"order"`
	Amount  int    `json:"amount"`
	Relayed bool   `json:"relayed"`
}

// Store is the application's local database: orders plus the outbox, in one
// JSON file. It is not safe for concurrent use.
type Store struct {
	path   string
	Orders map[string]int `json:"orders"` // order -> amount
	Outbox []Row          `json:"outbox"`
	NextID int            `json:"next_id"`
}

// OpenStore loads the store at path, or starts an empty one.
func OpenStore(path string) (*Store, error) {
	s := &Store{path: path, Orders: map[string]int{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Orders == nil {
		s.Orders = map[string]int{}
	}
	return s, nil
}

// save replaces the file atomically (write, fsync, rename).
func (s *Store) save() error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".outbox-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}

// PlaceOrder records an order and its outbox row in one write.
func (s *Store) PlaceOrder(order string, amount int) error {
	if _, ok := s.Orders[order]; ok {
		return fmt.Errorf("order %s exists", order)
	}
	s.NextID++
	s.Orders[order] = amount
	s.Outbox = append(s.Outbox, Row{ID: strconv.Itoa(s.NextID), Order: order, Amount: amount})
	if err := s.save(); err != nil {
		// Undo in memory too: the write did not happen.
		delete(s.Orders, order)
		s.Outbox = s.Outbox[:len(s.Outbox)-1]
		s.NextID--
		return err
	}
	return nil
}

// Pending returns the rows not yet relayed, oldest first.
func (s *Store) Pending() []Row {
	var rows []Row
	for _, r := range s.Outbox {
		if !r.Relayed {
			rows = append(rows, r)
		}
	}
	return rows
}

// markRelayed records that row id reached the stream.
func (s *Store) markRelayed(id string) error {
	for i := range s.Outbox {
		if s.Outbox[i].ID == id {
			s.Outbox[i].Relayed = true
			return s.save()
		}
	}
	return fmt.Errorf("no outbox row %s", id)
}

// Relay publishes outbox rows to a stream.
type Relay struct {
	Store  *Store
	Client *redis.Client
	Stream string
	// ProducerID must stay the same across relay restarts: it and the row
	// ID are what the server deduplicates on.
	ProducerID string
	// CrashAfterSend, when positive, makes the relay die right after its
	// CrashAfterSend-th XADD, before marking that row relayed.
	CrashAfterSend int
}

// Run relays every pending row (at most len(Pending()) XADDs) and returns
// how many it sent.
func (r *Relay) Run(ctx context.Context) (int, error) {
	sent := 0
	for _, row := range r.Store.Pending() {
		err := r.Client.XAdd(ctx, &redis.XAddArgs{
			Stream: r.Stream, ProducerID: r.ProducerID, IdempotentID: row.ID,
			Values: []string{"row", row.ID, "order", row.Order, "amount", strconv.Itoa(row.Amount)},
		}).Err()
		if err != nil {
			return sent, err
		}
		sent++
		if r.CrashAfterSend > 0 && sent == r.CrashAfterSend {
			return sent, ErrCrashed
		}
		if err := r.Store.markRelayed(row.ID); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "Spool (or Redis 8.6+) address")
	path := flag.String("store", filepath.Join(os.TempDir(), "spool-outbox-example.json"), "local store file (recreated)")
	n := flag.Int("n", 10, "orders to place")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: *addr})
	defer rdb.Close()

	stream := "example:outbox"
	if err := rdb.Del(ctx, stream).Err(); err != nil {
		log.Fatal(err)
	}
	if err := os.Remove(*path); err != nil && !errors.Is(err, os.ErrNotExist) {
		log.Fatal(err)
	}
	store, err := OpenStore(*path)
	if err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *n; i++ {
		if err := store.PlaceOrder(fmt.Sprintf("order-%d", i), i+1); err != nil {
			log.Fatal(err)
		}
	}
	// A relay run that crashes after 4 sends, one of them unmarked...
	first := &Relay{Store: store, Client: rdb, Stream: stream, ProducerID: "outbox-relay", CrashAfterSend: 4}
	sent, err := first.Run(ctx)
	fmt.Printf("relay 1 sent %d, then: %v\n", sent, err)
	// ...and its restart from what the file says.
	store, err = OpenStore(*path)
	if err != nil {
		log.Fatal(err)
	}
	second := &Relay{Store: store, Client: rdb, Stream: stream, ProducerID: "outbox-relay"}
	sent, err = second.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("relay 2 sent %d; %d orders, stream length %d\n", sent, *n, rdb.XLen(ctx, stream).Val())
}
