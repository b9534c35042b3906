package server

import (
	"time"
)

// The redelivery timer: XREADGROUP clients blocked on a group with a queue
// policy (XQ.POLICY) or XQ.NACK delays must be served when a pending entry
// falls due, which no write signals. The server keeps one timer for all of
// them, armed to the earliest wake-up time any such waiter asks for
// (BlockRequest.WakeAt), and re-armed whenever those may have changed: a
// waiter blocks, a signal retried waiters, or the timer fired (STYLE.md
// rule 6; nats-server's checkPending does the same for its consumers).

// redeliveryTimer is the server's timer. Guarded by s.mu.
type redeliveryTimer struct {
	t  *time.Timer
	at int64 // the unix ms time it is armed for; 0 when stopped
}

// armRedeliveryLocked points the timer at the earliest WakeAt of the timed
// waiters still blocked, forgetting those that left, or stops it. Caller
// holds s.mu.
func (s *Server) armRedeliveryLocked() {
	r := &s.blocked
	next := int64(0)
	live := r.timed[:0]
	for _, w := range r.timed {
		if !w.registered {
			continue
		}
		live = append(live, w)
		if at := w.req.WakeAt; at > 0 && (next == 0 || at < next) {
			next = at
		}
	}
	clear(r.timed[len(live):])
	r.timed = live

	rt := &s.redelivery
	if next == 0 {
		if rt.t != nil {
			rt.t.Stop()
		}
		rt.at = 0
		return
	}
	if rt.at == next {
		return
	}
	wait := time.Duration(next-s.engine.Clock().UnixMilli()) * time.Millisecond
	if rt.t == nil {
		rt.t = time.AfterFunc(max(wait, 0), s.redeliverDue)
	} else {
		rt.t.Reset(max(wait, 0))
	}
	rt.at = next
}

// redeliverDue runs when the timer fires: every timed waiter whose wake-up
// time has come is retried, in the order they blocked, the way a signal
// retries them (blockRegistry.serve), so the longest-waiting consumer gets
// the first due entry.
func (s *Server) redeliverDue() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redelivery.at = 0
	select {
	case <-s.done:
		return
	default:
	}
	now := s.engine.Clock().UnixMilli()
	r := &s.blocked
	for _, w := range append([]*waiter(nil), r.timed...) {
		if !w.registered || w.c.client.Closing || w.req.WakeAt == 0 || w.req.WakeAt > now {
			continue
		}
		r.serve(w)
		if w.registered && w.req.WakeAt != 0 && w.req.WakeAt <= now {
			// Due, yet not servable for this consumer (its MAXPENDING is
			// reached, or the due entry could not be moved to a DLQ of
			// another type): wait for a signal rather than spin.
			w.req.WakeAt = 0
		}
	}
	s.armRedeliveryLocked()
}

// stopRedeliveryLocked stops the timer for good (Close). Caller holds s.mu.
func (s *Server) stopRedeliveryLocked() {
	if s.redelivery.t != nil {
		s.redelivery.t.Stop()
	}
	s.redelivery.at = 0
}
