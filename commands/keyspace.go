package commands

import (
	"math/rand/v2"
)

// Keyspace is Spool's in-memory data: a fixed number of numbered databases.
// It is not safe for concurrent use: the server serialises every command
// behind one lock, as Redis's single thread does.
type Keyspace struct {
	DBs []*DB
}

// NewKeyspace returns n empty databases.
func NewKeyspace(n int) *Keyspace {
	ks := &Keyspace{DBs: make([]*DB, n)}
	for i := range ks.DBs {
		ks.DBs[i] = newDB(i)
	}
	return ks
}

// DB is one numbered database.
//
// Keys live in a dense slice indexed by a map. Deleting swaps the last entry
// into the hole, which only ever moves an entry to a lower index; SCAN walks
// the slice from the top down, so an entry present for the whole scan can
// never jump over the cursor and is always returned (at worst twice), which
// is the guarantee Redis's SCAN gives. RANDOMKEY and the active expiry sweep
// sample the slices uniformly in O(1).
type DB struct {
	ID       int
	index    map[string]int32
	entries  []*entry
	volatile []*entry // entries with a TTL, for the active expiry sweep
}

type entry struct {
	key      string
	value    any   // *stringValue or *streams.Stream
	expireAt int64 // unix ms; 0 = persistent
	volIdx   int32 // index in volatile, -1 when persistent
	idx      int32
	lastUse  int64 // unix ms of the last access, for OBJECT IDLETIME
}

func newDB(id int) *DB {
	return &DB{ID: id, index: make(map[string]int32)}
}

// Len is the number of keys, counting ones that expired but were not yet
// reclaimed (as Redis's DBSIZE does).
func (db *DB) Len() int { return len(db.entries) }

// Expires is the number of keys with a TTL.
func (db *DB) Expires() int { return len(db.volatile) }

// peek returns the entry of key without expiring or touching it.
func (db *DB) peek(key string) *entry {
	if i, ok := db.index[key]; ok {
		return db.entries[i]
	}
	return nil
}

// add inserts a new key; the caller has checked it is absent.
func (db *DB) add(key string, v any, nowMs int64) *entry {
	e := &entry{key: key, value: v, volIdx: -1, idx: int32(len(db.entries)), lastUse: nowMs}
	db.entries = append(db.entries, e)
	db.index[key] = e.idx
	return e
}

// remove deletes the entry of key, if any, and reports whether it existed.
func (db *DB) remove(key string) bool {
	i, ok := db.index[key]
	if !ok {
		return false
	}
	e := db.entries[i]
	db.setExpire(e, 0)
	last := len(db.entries) - 1
	if int(i) != last {
		moved := db.entries[last]
		db.entries[i] = moved
		moved.idx = i
		db.index[moved.key] = i
	}
	db.entries[last] = nil
	db.entries = db.entries[:last]
	delete(db.index, key)
	return true
}

// setExpire sets (ms > 0) or clears (ms == 0) the TTL of e.
func (db *DB) setExpire(e *entry, ms int64) {
	e.expireAt = ms
	switch {
	case ms != 0 && e.volIdx < 0:
		e.volIdx = int32(len(db.volatile))
		db.volatile = append(db.volatile, e)
	case ms == 0 && e.volIdx >= 0:
		last := len(db.volatile) - 1
		if int(e.volIdx) != last {
			moved := db.volatile[last]
			db.volatile[e.volIdx] = moved
			moved.volIdx = e.volIdx
		}
		db.volatile[last] = nil
		db.volatile = db.volatile[:last]
		e.volIdx = -1
	}
}

// clear drops every key.
func (db *DB) clear() {
	db.index = make(map[string]int32)
	db.entries = nil
	db.volatile = nil
}

// scan returns up to about count keys starting at cursor and the next cursor
// (0 when the walk is complete). The cursor is one more than the next index
// to visit, walking downwards; see DB for why that is safe under deletes.
func (db *DB) scan(cursor uint64, count int, visit func(e *entry)) uint64 {
	var next int64
	if cursor == 0 || cursor > uint64(len(db.entries)) {
		next = int64(len(db.entries)) - 1
	} else {
		next = int64(cursor) - 1
	}
	for ; next >= 0 && count > 0; next-- {
		visit(db.entries[next])
		count--
	}
	if next < 0 {
		return 0
	}
	return uint64(next) + 1
}

// randomEntry returns a uniformly chosen entry, or nil when the db is empty.
func (db *DB) randomEntry(rng *rand.Rand) *entry {
	if len(db.entries) == 0 {
		return nil
	}
	return db.entries[rng.IntN(len(db.entries))]
}

// randomVolatile returns a uniformly chosen entry with a TTL, or nil.
func (db *DB) randomVolatile(rng *rand.Rand) *entry {
	if len(db.volatile) == 0 {
		return nil
	}
	return db.volatile[rng.IntN(len(db.volatile))]
}
