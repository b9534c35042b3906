package server

import (
	"github.com/spool-dev/spool/commands"
)

// MONITOR delivery. The dispatcher renders each line once, under s.mu, and
// FeedMonitors queues the encoded frame, shared by every monitor, on each
// monitor's pub/sub queue (pubsub.go): the monitor's own goroutine writes
// it, exactly as it writes published messages, so the command that
// produced the line never waits on a slow monitor and nothing but the
// monitor's goroutine touches its socket. A monitor that stops reading
// grows its own queue until client-output-buffer-limit's normal class
// (Redis counts monitors as normal clients) disconnects it.
//
// Like published messages, monitor lines do not wait for the WAL: they
// trace commands as they run, as Redis's do, and hold no reply to the
// monitor's own commands.

// StartMonitor implements commands.MonitorHost: the monitor's queue is the
// pub/sub subscriber of its connection, made here because only the
// connection's own goroutine (the one running MONITOR) may set c.sub.
// Caller holds s.mu.
func (s *Server) StartMonitor(cl *commands.Client) {
	s.subscriberOf(cl)
}

// FeedMonitors implements commands.MonitorHost. Caller holds s.mu.
func (s *Server) FeedMonitors(monitors []*commands.Client, line string, from *commands.Client, self commands.Reply) {
	var frame []byte
	for _, m := range monitors {
		if m.Closing {
			// Redis writes nothing more to a client that is closing
			// (QUIT, CLIENT KILL, an output limit).
			continue
		}
		if m == from && self != nil {
			// The monitor's own command: the line follows its reply in
			// the reply stream, as Redis appends it to the same buffer
			// (and drops it under CLIENT REPLY OFF or SKIP).
			self.SimpleString(line)
			continue
		}
		if m.Reply == commands.ReplyOff {
			continue // Redis's addReply writes nothing to such a client
		}
		c := s.conns[m.ID]
		if c == nil || c.sub == nil {
			continue
		}
		sub := c.sub
		if frame == nil {
			frame = make([]byte, 0, len(line)+3)
			frame = append(frame, '+')
			frame = append(frame, line...)
			frame = append(frame, '\r', '\n')
		}
		s.queuePushLocked(sub, frame, classNormal)
	}
}

// queuePushLocked appends an encoded frame to sub's queue and wakes its
// connection, or disconnects it when the queue breaks the output buffer
// limit of class: the queueing half of deliverLocked (pubsub.go), for frames
// that are not published messages. Caller holds s.mu.
func (s *Server) queuePushLocked(sub *subscriber, frame []byte, class int) {
	c := sub.c
	sub.mu.Lock()
	if sub.dropped {
		sub.mu.Unlock()
		return
	}
	sub.queue = append(sub.queue, frame)
	sub.queued += len(frame)
	used := sub.queued + sub.inflight
	wake := !sub.notified
	sub.notified = true
	sub.mu.Unlock()
	if s.overOutputLimitLocked(&sub.softSince, used, class) {
		s.dropSubscriberLocked(sub, used)
		return
	}
	if wake {
		select {
		case sub.wake <- struct{}{}:
		default:
		}
		if !c.client.BlockedOnKeys {
			// Interrupt the idle Read (see the top of pubsub.go).
			c.nc.SetReadDeadline(aLongTimeAgo)
		}
	}
}
