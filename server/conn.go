package server

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"time"

	"github.com/spool-dev/spool/commands"
)

// conn is one client connection. Its goroutine owns the socket: it alone
// reads from and writes to nc.
type conn struct {
	s      *Server
	nc     net.Conn
	rd     *reader
	w      replyWriter
	client *commands.Client // fields guarded by s.mu
	batch  [][][]byte
	// ctx is reused by execLocked for every command (Context.Reset).
	ctx commands.Context
	// limitsFresh says that execBatch has just applied the reader limits
	// and found the idle timeout (idleTimeout) under s.mu.
	limitsFresh bool
	idleTimeout time.Duration
	// needSeq is the WAL record the pending replies wait for: the last one
	// appended, by anyone, when this connection last ran a command. Set
	// under s.mu; read by this goroutine only.
	needSeq uint64
	// ownSeq is the last WAL record holding this connection's own effects.
	ownSeq uint64

	// Pub/sub (pubsub.go). sub is made, under s.mu, by this connection's
	// own first subscription and read by this goroutine without the lock.
	sub *subscriber
	// pushPrefix is how many leading bytes of c.w are messages that may be
	// written without waiting for the WAL.
	pushPrefix int
	// readDeadline is the idle-timeout deadline of the current read (zero:
	// none), restored after the hub interrupts the read.
	readDeadline time.Time
	// killed is set when the connection is being closed from elsewhere
	// (CLIENT KILL, an output buffer limit): a failed read is then final.
	killed atomic.Bool
	// replySoftSince is when the replies went over the soft output limit
	// (pubsub_config.go); this goroutine's own.
	replySoftSince time.Time
}

// maxBatch bounds how many pipelined commands run under one lock hold.
const maxBatch = 512

func (s *Server) serveConn(nc net.Conn) {
	now := time.Now()
	c := &conn{s: s, nc: nc, w: replyWriter{proto: 2}}
	s.mu.Lock()
	if s.cfg.MaxClients > 0 && len(s.conns) >= s.cfg.MaxClients {
		s.mu.Unlock()
		s.rejectedConns.Add(1)
		nc.Write([]byte("-ERR max number of clients reached\r\n"))
		nc.Close()
		return
	}
	id := s.nextID.Add(1)
	c.client = commands.NewClient(id, nc.RemoteAddr().String(), nc.LocalAddr().String(), now, s.engine.DefaultAuth())
	c.client.FD = int(id) + 7
	maxBulk, maxQuery := s.cfg.ProtoMaxBulkLen, s.cfg.ClientQueryBufferLimit
	s.conns[id] = c
	s.mu.Unlock()
	c.rd = newReader(nc, maxBulk, maxQuery, c.authed)
	defer func() {
		s.mu.Lock()
		s.unsubscribeAllLocked(c)
		s.engine.StopMonitor(c.client) // monitor.go
		delete(s.conns, id)
		s.engine.FreeClient(c.client) // its transaction and WATCHed keys
		s.mu.Unlock()
		nc.Close()
	}()
	c.loop()
}

// authed is read by the reader for the unauthenticated protocol limits.
func (c *conn) authed() bool {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return !c.s.engine.AuthRequired(c.client)
}

func (c *conn) loop() {
	for {
		c.batch = c.batch[:0]
		c.rd.resetBatch()
		var perr error
		for len(c.batch) < maxBatch {
			args, err := c.rd.next()
			if err != nil {
				perr = err
				break
			}
			c.batch = append(c.batch, args)
		}
		if len(c.batch) > 0 {
			if !c.execBatch() {
				c.flush()
				return
			}
		}
		var pe protocolError
		switch {
		case perr == nil:
			continue // the batch was full: parse more before reading
		case errors.As(perr, &pe):
			c.w.muted = false
			c.w.Error(pe.Error())
			c.flush()
			c.s.log.Debug("protocol error", "client", c.client.Addr, "err", pe.Error())
			return
		}
		if !c.flush() {
			return
		}
		if c.sub != nil && !c.writePushes() {
			return
		}
		c.readDeadline = time.Time{}
		t := c.idleTimeout
		if !c.limitsFresh {
			t = c.refreshLimits()
		}
		c.limitsFresh = false
		if t > 0 {
			c.readDeadline = time.Now().Add(t)
			c.nc.SetReadDeadline(c.readDeadline)
		}
		before := c.rd.w - c.rd.r
		err := c.rd.fill()
		// The pub/sub hub interrupts an idle read to have messages written
		// (pubsub.go); write them and go back to reading.
		for err != nil && c.wokenForPushes(err) {
			if !c.writePushes() {
				return
			}
			err = c.rd.fill()
		}
		if err != nil {
			if errors.Is(err, errQueryBufLimit) {
				c.s.log.Warn("closing client that reached max query buffer length", "client", c.client.Addr)
			}
			return
		}
		c.s.netIn.Add(int64(c.rd.w - c.rd.r - before))
	}
}

// refreshLimits applies the current proto-max-bulk-len and
// client-query-buffer-limit to the reader (CONFIG SET changes them for
// connected clients too, as in Redis) and returns the idle timeout.
func (c *conn) refreshLimits() time.Duration {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.refreshLimitsLocked()
}

// refreshLimitsLocked is refreshLimits for a caller that holds s.mu.
func (c *conn) refreshLimitsLocked() time.Duration {
	c.rd.maxBulk, c.rd.maxQuery = c.s.cfg.ProtoMaxBulkLen, c.s.cfg.ClientQueryBufferLimit
	if cl := c.client; cl.Subscriptions+cl.PatternSubscriptions+cl.ShardSubscriptions > 0 {
		return 0 // Redis never times out pub/sub clients
	}
	if c.s.engine.IsMonitor(c.client) {
		return 0 // nor monitors, which it counts as replicas
	}
	return time.Duration(c.s.cfg.Timeout) * time.Second
}

// execBatch runs the parsed commands under one hold of the keyspace lock. It
// returns false when the connection must close.
func (c *conn) execBatch() bool {
	s := c.s
	s.mu.Lock()
	if c.sub != nil {
		c.takePushesLocked()
	}
	// Like Redis's lastinteraction, set when input is processed rather
	// than per command: one clock read per pipeline.
	c.client.LastActive = time.Now()
	for i := 0; i < len(c.batch); i++ {
		if c.client.Closing {
			break
		}
		ctx := c.execLocked(c.batch[i])
		if req := ctx.BlockRequest(); req != nil {
			// Later commands of the pipeline wait for this one; their
			// arguments must survive the reader reading while we wait.
			for j := i + 1; j < len(c.batch); j++ {
				c.batch[j] = cloneArgs(c.batch[j])
			}
			if !c.block(req) {
				s.mu.Unlock()
				return false
			}
			c.client.LastActive = time.Now()
		}
	}
	c.checkReplyLimitLocked()
	closing := c.client.Closing
	// Done here, under the lock already held, so that the loop need not
	// take it again before its next read.
	c.idleTimeout, c.limitsFresh = c.refreshLimitsLocked(), true
	s.mu.Unlock()
	return !closing
}

// execLocked runs one command and publishes what it changed. Caller holds
// s.mu.
func (c *conn) execLocked(args [][]byte) *commands.Context {
	s := c.s
	cl := c.client
	skip := cl.Reply == commands.ReplySkip
	if skip {
		cl.Reply = commands.ReplyOn
	}
	// CLIENT REPLY ON is heard even while replies are off, and so are
	// subscription confirmations, which are pushes.
	c.w.muted = (skip || (cl.Reply == commands.ReplyOff && !commands.TurnsRepliesOn(args))) && !commands.RepliesArePushes(args)
	// CLIENT LIST reads these from other connections: publish them here,
	// under s.mu, since only this goroutine may touch c.rd and c.w.
	cl.QueryBufLen, cl.QueryBufCap = c.rd.buffered(), len(c.rd.buf)
	cl.OutputBufLen, cl.OutputBufCap = len(c.w.buf), cap(c.w.buf)
	ctx := c.ctx.Reset(s.engine, cl, &c.w, args)
	s.engine.Execute(ctx)
	c.w.muted = false
	s.finishLocked(ctx)
	c.needSeq = s.lastSeq
	if len(ctx.Effects()) > 0 {
		c.ownSeq = s.lastSeq
	}
	return ctx
}

// finishLocked publishes a command's effects and wakes the clients blocked on
// the keys it changed. Caller holds s.mu.
func (s *Server) finishLocked(ctx *commands.Context) {
	s.publishLocked(ctx.Effects())
	ctx.Signaled(func(db int, key string) { s.blocked.signal(db, key) })
}

// block parks the client until its request is served, times out, or the
// client goes away. It is entered and left with s.mu held. It returns false
// when the client disconnected.
func (c *conn) block(req *commands.BlockRequest) bool {
	s := c.s
	w := &waiter{c: c, req: req, wake: make(chan struct{}, 1)}
	s.blocked.add(w)
	c.client.BlockedOnKeys = true
	defer func() {
		s.blocked.remove(w)
		c.client.BlockedOnKeys = false
	}()
	// A blocked client is not idle: the timeout must not close it while it
	// waits (a CLIENT KILL's past deadline is kept).
	if !c.client.Closing {
		c.nc.SetReadDeadline(time.Time{})
	}
	s.mu.Unlock()

	gone := make(chan struct{})
	watching := false
	startWatch := func() {
		// A blocked client is not reading: watch the socket so that a
		// disconnect is noticed at once (Redis frees such a client).
		watching = true
		go func() {
			defer close(gone)
			for {
				if err := c.rd.fill(); err != nil {
					return
				}
			}
		}()
	}
	stopWatch := func() bool {
		if !watching {
			return true
		}
		c.nc.SetReadDeadline(time.Now())
		<-gone
		c.nc.SetReadDeadline(time.Time{})
		watching = false
		// The watcher stops on our deadline or on a real error; find out
		// which by checking whether the peer is still there.
		return c.alive()
	}
	if !c.flush() {
		s.mu.Lock()
		return false
	}
	startWatch()

	var timer <-chan time.Time
	if !req.Deadline.IsZero() {
		t := time.NewTimer(time.Until(req.Deadline))
		defer t.Stop()
		timer = t.C
	}
	done := req.Done
	// A subscriber's messages keep flowing while it waits.
	var pushes chan struct{}
	if c.sub != nil {
		pushes = c.sub.wake
	}
	for {
		select {
		case <-done:
			done = nil // a closed channel would fire forever
			select {
			case w.wake <- struct{}{}:
			default: // a wake-up is already pending
			}
		case <-pushes:
			if !c.writePushes() {
				stopWatch()
				s.mu.Lock()
				return false
			}
		case <-w.wake:
			s.mu.Lock()
			if c.sub != nil {
				c.takePushesLocked()
			}
			ctx := s.engine.NewContext(c.client, &c.w, nil)
			if req.Retry(ctx) {
				s.finishLocked(ctx)
				c.needSeq = s.lastSeq
				if len(ctx.Effects()) > 0 {
					c.ownSeq = s.lastSeq
				}
				s.mu.Unlock()
				ok := stopWatch()
				s.mu.Lock()
				return ok
			}
			s.finishLocked(ctx)
			s.mu.Unlock()
		case <-timer:
			ok := stopWatch()
			s.mu.Lock()
			if c.sub != nil {
				c.takePushesLocked()
			}
			if req.Timeout != nil {
				ctx := s.engine.NewContext(c.client, &c.w, nil)
				req.Timeout(ctx)
			}
			return ok
		case <-gone:
			watching = false
			s.mu.Lock()
			return false
		case <-s.done:
			stopWatch()
			s.mu.Lock()
			return false
		}
	}
}

// alive reports whether the watcher stopped because of our deadline rather
// than a closed or failed socket.
func (c *conn) alive() bool {
	return c.rd.lastErr == nil || errors.Is(c.rd.lastErr, os.ErrDeadlineExceeded)
}

// flush writes the pending replies once the WAL holds every effect they may
// depend on (DESIGN.md's reply rule); false means the connection must close.
// Never called with s.mu held.
func (c *conn) flush() bool {
	if len(c.w.buf) == 0 {
		return true
	}
	buf := c.w.buf
	if p := c.pushPrefix; p > 0 {
		// Pub/sub messages queued before the batch ran hold no data: they
		// leave before the wait.
		c.pushPrefix = 0
		n, err := c.nc.Write(buf[:p])
		c.s.netOut.Add(int64(n))
		if err != nil {
			return false
		}
		buf = buf[p:]
	}
	if len(buf) > 0 && !c.s.waitDurable(c.ownSeq, c.needSeq) {
		return false
	}
	n, err := c.nc.Write(buf)
	c.s.netOut.Add(int64(n))
	c.replySoftSince = time.Time{} // drained: the soft-limit clock restarts
	if cap(c.w.buf) > 1<<20 {
		c.w.buf = nil
	} else {
		c.w.buf = c.w.buf[:0]
	}
	return err == nil
}

func cloneArgs(args [][]byte) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = append([]byte(nil), a...)
	}
	return out
}
