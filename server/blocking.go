package server

import (
	"github.com/spool-dev/spool/commands"
)

// waiter is a client parked by a blocking command.
type waiter struct {
	c    *conn
	req  *commands.BlockRequest
	wake chan struct{} // capacity 1: signals coalesce

	// Fields below are guarded by s.mu.
	registered bool
	// retry and timeout are the command's own callbacks; add replaces
	// req's with wrappers that deliver a reply the registry produced.
	retry   func(*commands.Context) bool
	timeout func(*commands.Context)
	// served is set when the registry ran retry successfully on the
	// waiter's behalf; reply holds what it answered until the waiter's own
	// goroutine copies it into its connection's buffer.
	served bool
	reply  replyWriter
	// needSeq and ownSeq are the WAL positions the served reply waits for
	// (see conn.needSeq); deliver moves them to the connection, since only
	// its own goroutine may touch the connection's fields.
	needSeq, ownSeq uint64
}

type blockKey struct {
	db  int
	key string
}

// blockRegistry maps keys to the clients blocked on them, each key's
// clients in the order they blocked. Guarded by s.mu.
//
// Blocked clients are served the way Redis's handleClientsBlockedOnKeys
// serves them: when a key is signalled, the goroutine that changed it (and
// holds s.mu) retries the key's clients one by one in arrival order, so the
// longest-waiting client gets the first element and a later one cannot
// steal it by winning a race for the lock. A served client's reply goes to
// a buffer of its own and its goroutine is woken to deliver it: nothing
// writes to a connection's buffer but the goroutine that owns it. Keys
// signalled while serving (a BLMOVE pushing to its destination) are queued
// and served in turn.
type blockRegistry struct {
	byKey   map[blockKey][]*waiter
	count   int
	ready   []blockKey // keys signalled while serving, in order
	serving bool
	// timed are the waiters whose request may be served by a redelivery
	// falling due (BlockRequest.Redelivery), in the order they blocked;
	// removed ones are dropped lazily (see Server.armRedeliveryLocked).
	timed []*waiter
	// rearm, set by the server, re-arms its redelivery timer after the
	// waiters' wake-up times may have changed. Caller holds s.mu.
	rearm func()
}

func newBlockRegistry() blockRegistry {
	return blockRegistry{byKey: make(map[blockKey][]*waiter)}
}

func (r *blockRegistry) add(w *waiter) {
	w.retry, w.timeout = w.req.Retry, w.req.Timeout
	// The waiter's goroutine calls req.Retry when woken and req.Timeout at
	// its deadline; either way a reply the registry already produced is
	// the one to send (the client was served just before its deadline).
	w.req.Retry = func(ctx *commands.Context) bool {
		if w.served {
			w.deliver()
			return true
		}
		return w.retry(ctx)
	}
	w.req.Timeout = func(ctx *commands.Context) {
		if w.served {
			w.deliver()
			return
		}
		if w.timeout != nil {
			w.timeout(ctx)
		}
	}
	for _, k := range w.req.Keys {
		bk := blockKey{w.req.DB, k}
		r.byKey[bk] = append(r.byKey[bk], w)
	}
	w.registered = true
	r.count++
	if w.req.Redelivery {
		r.timed = append(r.timed, w)
		if r.rearm != nil {
			r.rearm()
		}
	}
}

// remove forgets w; removing it twice is harmless (a served waiter is
// removed by the registry, then again by its goroutine).
func (r *blockRegistry) remove(w *waiter) {
	if !w.registered {
		return
	}
	w.registered = false
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

// signal serves the clients blocked on key, longest-waiting first (see
// blockRegistry). Caller holds s.mu.
func (r *blockRegistry) signal(db int, key string) {
	bk := blockKey{db, key}
	if len(r.byKey[bk]) == 0 {
		return
	}
	r.ready = append(r.ready, bk)
	if r.serving {
		return // the outer call serves it
	}
	r.serving = true
	for len(r.ready) > 0 {
		next := r.ready[0]
		r.ready = r.ready[1:]
		r.serveKey(next)
	}
	r.ready = nil
	r.serving = false
	// A retry that did not serve may have moved its wake-up time.
	if len(r.timed) > 0 && r.rearm != nil {
		r.rearm()
	}
}

// serveKey retries every client blocked on bk, in the order they blocked.
// The list is copied first: serving removes clients from it.
func (r *blockRegistry) serveKey(bk blockKey) {
	for _, w := range append([]*waiter(nil), r.byKey[bk]...) {
		if w.registered && !w.c.client.Closing {
			r.serve(w)
		}
	}
}

// serve runs w's retry on a Context of w's client whose replies go to
// w.reply. On success it forgets w, publishes what the retry changed (which
// may signal more keys), records the WAL position w's reply must wait for,
// and wakes w's goroutine.
func (r *blockRegistry) serve(w *waiter) {
	c := w.c
	s := c.s
	w.reply = replyWriter{proto: c.client.Proto}
	ctx := s.engine.NewContext(c.client, &w.reply, nil)
	if !w.retry(ctx) {
		w.reply = replyWriter{}
		s.finishLocked(ctx) // a lazy expiry on the way is still an effect
		return
	}
	r.remove(w)
	w.served = true
	s.finishLocked(ctx)
	w.needSeq = s.lastSeq
	if len(ctx.Effects()) > 0 {
		w.ownSeq = s.lastSeq
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// deliver copies the reply the registry produced into the connection's
// buffer. Called by the waiter's own goroutine with s.mu held.
func (w *waiter) deliver() {
	w.c.needSeq = max(w.c.needSeq, w.needSeq)
	w.c.ownSeq = max(w.c.ownSeq, w.ownSeq)
	w.c.w.raw(w.reply.buf)
	w.reply = replyWriter{}
}
