package server

import (
	"github.com/spool-dev/spool/commands"
)

// waiter is a client parked by a blocking command.
type waiter struct {
	c    *conn
	req  *commands.BlockRequest
	wake chan struct{} // capacity 1: signals coalesce
}

type blockKey struct {
	db  int
	key string
}

// blockRegistry maps keys to the clients blocked on them. Guarded by s.mu.
type blockRegistry struct {
	byKey map[blockKey][]*waiter
	count int
}

func newBlockRegistry() blockRegistry {
	return blockRegistry{byKey: make(map[blockKey][]*waiter)}
}

func (r *blockRegistry) add(w *waiter) {
	for _, k := range w.req.Keys {
		bk := blockKey{w.req.DB, k}
		r.byKey[bk] = append(r.byKey[bk], w)
	}
	r.count++
}

func (r *blockRegistry) remove(w *waiter) {
	for _, k := range w.req.Keys {
		bk := blockKey{w.req.DB, k}
		list := r.byKey[bk]
		for i, x := range list {
			if x == w {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(r.byKey, bk)
		} else {
			r.byKey[bk] = list
		}
	}
	r.count--
}

// signal wakes every client blocked on key without waiting for any of them:
// a pending wake-up absorbs further ones.
func (r *blockRegistry) signal(db int, key string) {
	for _, w := range r.byKey[blockKey{db, key}] {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}
