package server

import (
	"errors"
	"net"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/spool-dev/spool/commands"
)

// The pub/sub hub. Subscriptions are in-memory state like the keyspace and
// are guarded by s.mu; PUBLISH, SUBSCRIBE and keyspace notifications run
// under it as commands do. Fan-out never touches another client's socket:
// the publisher encodes the message once per protocol and appends a shared
// reference to each subscriber's bounded queue, then wakes that
// subscriber's connection goroutine, which writes it. A publisher therefore
// never waits on a subscriber, and a subscriber that stops reading only
// grows its own queue until client-output-buffer-limit disconnects it.
//
// The idle-write path: a connection goroutine spends its idle time blocked
// in Read. To make it write queued messages, the publisher sets the
// connection's read deadline to the past, which makes that Read return
// os.ErrDeadlineExceeded at once; the goroutine restores its deadline,
// writes the queue and reads again, without taking s.mu. Only the first
// message after a drain pays for that (notified coalesces the rest). A
// connection that never subscribes keeps its one goroutine and its
// blocking Read, and pays a nil check per batch and per idle read plus the
// output-limit comparison (checkReplyLimitLocked). A connection parked in a
// blocking command is woken through the subscriber's channel instead, since
// its socket is then watched by a reader goroutine that must not see a
// deadline. The alternative, a writer goroutine per subscriber, would need
// the socket shared by two writers and an ordering between replies that
// wait for the WAL and messages that do not; here one goroutine writes
// everything, in the order it was produced under s.mu.

// subscriber is the pub/sub side of one connection, made on its first
// subscription and kept until it closes.
type subscriber struct {
	c *conn

	// Subscriptions by kind, each name with the sequence number that orders
	// them oldest first. Guarded by s.mu.
	subs [3]map[string]uint64
	seq  uint64
	// softSince is when the queue first went over the soft limit without
	// dropping back under it since (Redis's obuf_soft_limit_reached_time).
	// Guarded by s.mu.
	softSince time.Time

	mu sync.Mutex // guards the queue fields below
	// queue holds encoded frames not written yet. Frames are shared between
	// subscribers and never modified.
	queue, spare [][]byte
	queued       int // bytes in queue
	inflight     int // bytes the connection goroutine took and is writing
	notified     bool
	dropped      bool // disconnected over its buffer limit: queue nothing more

	// wake carries a wake-up to a connection parked in a blocking command.
	wake chan struct{}
}

// usage is the client's pending output, as Redis's
// getClientOutputBufferMemoryUsage: what is queued or being written.
func (sub *subscriber) usage() int {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return sub.queued + sub.inflight
}

// subscriberSet is the clients of one channel or pattern: a slice for fast
// fan-out and positions for O(1) removal.
type subscriberSet struct {
	name []byte // the channel or pattern
	list []*subscriber
	pos  map[*subscriber]int
}

func (set *subscriberSet) add(sub *subscriber) {
	set.pos[sub] = len(set.list)
	set.list = append(set.list, sub)
}

func (set *subscriberSet) remove(sub *subscriber) {
	i := set.pos[sub]
	last := len(set.list) - 1
	set.list[i] = set.list[last]
	set.pos[set.list[i]] = i
	set.list[last] = nil
	set.list = set.list[:last]
	delete(set.pos, sub)
}

// hub is the server's subscription registry. Guarded by s.mu.
type hub struct {
	byKind [3]map[string]*subscriberSet // channel, pattern, shard channel
}

func newHub() hub {
	var h hub
	for i := range h.byKind {
		h.byKind[i] = make(map[string]*subscriberSet)
	}
	return h
}

// subscriberOf returns the subscriber of the connection of cl, making it on
// first use. Caller holds s.mu.
func (s *Server) subscriberOf(cl *commands.Client) *subscriber {
	c := s.conns[cl.ID]
	if c == nil {
		return nil
	}
	if c.sub == nil {
		c.sub = &subscriber{c: c, wake: make(chan struct{}, 1)}
		for i := range c.sub.subs {
			c.sub.subs[i] = make(map[string]uint64)
		}
	}
	return c.sub
}

// The commands.PubSub implementation. Every method runs with s.mu held.

// Subscribe implements commands.PubSub.
func (s *Server) Subscribe(cl *commands.Client, kind commands.SubKind, name []byte) bool {
	sub := s.subscriberOf(cl)
	if sub == nil {
		return false
	}
	mine := sub.subs[kind]
	if _, ok := mine[string(name)]; ok {
		return false
	}
	key := string(name)
	sub.seq++
	mine[key] = sub.seq
	set := s.hub.byKind[kind][key]
	if set == nil {
		set = &subscriberSet{name: []byte(key), pos: make(map[*subscriber]int)}
		s.hub.byKind[kind][key] = set
	}
	set.add(sub)
	s.countSubscriptions(cl, sub)
	return true
}

// Unsubscribe implements commands.PubSub.
func (s *Server) Unsubscribe(cl *commands.Client, kind commands.SubKind, name []byte) bool {
	c := s.conns[cl.ID]
	if c == nil || c.sub == nil {
		return false
	}
	sub := c.sub
	if _, ok := sub.subs[kind][string(name)]; !ok {
		return false
	}
	s.unsubscribe(sub, kind, string(name))
	s.countSubscriptions(cl, sub)
	return true
}

func (s *Server) unsubscribe(sub *subscriber, kind commands.SubKind, name string) {
	delete(sub.subs[kind], name)
	set := s.hub.byKind[kind][name]
	set.remove(sub)
	// Forget channels nobody listens to, so that subscribing to many
	// channels once cannot grow the registry for ever.
	if len(set.list) == 0 {
		delete(s.hub.byKind[kind], name)
	}
}

// Subscriptions implements commands.PubSub.
func (s *Server) Subscriptions(cl *commands.Client, kind commands.SubKind) []string {
	c := s.conns[cl.ID]
	if c == nil || c.sub == nil {
		return nil
	}
	return namesInOrder(c.sub.subs[kind])
}

// UnsubscribeAll implements commands.PubSub.
func (s *Server) UnsubscribeAll(cl *commands.Client) {
	c := s.conns[cl.ID]
	if c == nil || c.sub == nil {
		return
	}
	s.unsubscribeAllLocked(c)
}

// unsubscribeAllLocked drops every subscription of c. Caller holds s.mu.
func (s *Server) unsubscribeAllLocked(c *conn) {
	sub := c.sub
	if sub == nil {
		return
	}
	for kind := range sub.subs {
		for name := range sub.subs[kind] {
			s.unsubscribe(sub, commands.SubKind(kind), name)
		}
	}
	s.countSubscriptions(c.client, sub)
}

func namesInOrder(m map[string]uint64) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return m[names[i]] < m[names[j]] })
	return names
}

// countSubscriptions publishes the counts CLIENT LIST, the dispatcher's
// pub/sub context check and the confirmations read.
func (s *Server) countSubscriptions(cl *commands.Client, sub *subscriber) {
	cl.Subscriptions = len(sub.subs[commands.SubChannel])
	cl.PatternSubscriptions = len(sub.subs[commands.SubPattern])
	cl.ShardSubscriptions = len(sub.subs[commands.SubShard])
}

// Channels implements commands.PubSub.
func (s *Server) Channels(kind commands.SubKind, pattern []byte) []string {
	var out []string
	for name := range s.hub.byKind[kind] {
		if pattern == nil || commands.GlobMatch(pattern, []byte(name), false) {
			out = append(out, name)
		}
	}
	return out
}

// NumSub implements commands.PubSub.
func (s *Server) NumSub(kind commands.SubKind, channel []byte) int {
	if set := s.hub.byKind[kind][string(channel)]; set != nil {
		return len(set.list)
	}
	return 0
}

// NumPat implements commands.PubSub.
func (s *Server) NumPat() int { return len(s.hub.byKind[commands.SubPattern]) }

// message is one publication as one subscription receives it.
type message struct {
	word             string // message, pmessage or smessage
	pattern          []byte // the matching pattern, for pmessage
	channel, payload []byte
	frames           [2][]byte // encoded once per protocol: RESP2, RESP3
}

// frame returns the message encoded for proto, encoding it on first use.
func (m *message) frame(proto int) []byte {
	i := 0
	if proto == 3 {
		i = 1
	}
	if m.frames[i] == nil {
		m.frames[i] = encodeMessage(proto, m.word, m.pattern, m.channel, m.payload)
	}
	return m.frames[i]
}

// Publish implements commands.PubSub: pubsubPublishMessage. Each frame is
// encoded at most once per protocol and shared by every recipient.
func (s *Server) Publish(from *commands.Client, self commands.Reply, channel, payload []byte, shard bool) int {
	kind, word := commands.SubChannel, "message"
	if shard {
		kind, word = commands.SubShard, "smessage"
	}
	receivers := 0
	if set := s.hub.byKind[kind][string(channel)]; set != nil {
		m := message{word: word, channel: channel, payload: payload}
		for _, sub := range set.list {
			s.deliverLocked(sub, from, self, &m)
		}
		receivers += len(set.list)
	}
	if shard {
		return receivers
	}
	for _, set := range s.hub.byKind[commands.SubPattern] {
		if !commands.GlobMatch(set.name, channel, false) {
			continue
		}
		m := message{word: "pmessage", pattern: set.name, channel: channel, payload: payload}
		for _, sub := range set.list {
			s.deliverLocked(sub, from, self, &m)
		}
		receivers += len(set.list)
	}
	return receivers
}

// deliverLocked hands one message to sub: straight into the reply stream
// when sub is the client running the command (so that it arrives where
// Redis puts it, before the command's own reply and inside an EXEC's
// array), into its queue otherwise. Caller holds s.mu.
func (s *Server) deliverLocked(sub *subscriber, from *commands.Client, self commands.Reply, m *message) {
	c := sub.c
	if self != nil && c.client == from {
		if w, ok := self.(*replyWriter); ok {
			w.raw(m.frame(w.proto)) // pushes ignore CLIENT REPLY OFF, as in Redis
			return
		}
		n := 3
		if m.pattern != nil {
			n = 4
		}
		self.Push(n)
		self.BulkString(m.word)
		if m.pattern != nil {
			self.Bulk(m.pattern)
		}
		self.Bulk(m.channel)
		self.Bulk(m.payload)
		return
	}
	frame := m.frame(c.client.Proto)
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
	if s.overOutputLimitLocked(&sub.softSince, used, classPubsub) {
		s.dropSubscriberLocked(sub, used)
		return
	}
	if wake {
		select {
		case sub.wake <- struct{}{}:
		default:
		}
		if !c.client.BlockedOnKeys {
			// Interrupt the idle Read; see the comment at the top.
			c.nc.SetReadDeadline(aLongTimeAgo)
		}
	}
}

// aLongTimeAgo is a deadline in the past: setting it makes a pending Read
// return at once.
var aLongTimeAgo = time.Unix(1, 0)

// dropSubscriberLocked disconnects a subscriber over its output buffer
// limit, as Redis's closeClientOnOutputBufferLimitReached does: its queue is
// freed at once, nothing more is queued, and its connection is cut even if
// its goroutine is stuck writing to a client that stopped reading. Caller
// holds s.mu.
func (s *Server) dropSubscriberLocked(sub *subscriber, used int) {
	sub.mu.Lock()
	sub.dropped = true
	clear(sub.queue)
	sub.queue, sub.queued = nil, 0
	sub.mu.Unlock()
	c := sub.c
	c.client.Closing = true
	c.killed.Store(true)
	c.nc.SetDeadline(aLongTimeAgo)
	s.log.Warn("client scheduled to be closed ASAP for overcoming of output buffer limits",
		"client", c.client.Addr, "id", c.client.ID, "omem", used)
}

// encodeMessage renders a message, pmessage or smessage frame: a RESP2
// array or a RESP3 push.
func encodeMessage(proto int, word string, pattern, channel, message []byte) []byte {
	n := 3
	if pattern != nil {
		n = 4
	}
	size := 16 + len(word) + len(pattern) + len(channel) + len(message) + 4*12
	b := make([]byte, 0, size)
	if proto == 3 {
		b = append(b, '>')
	} else {
		b = append(b, '*')
	}
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '\r', '\n')
	b = appendBulk(b, []byte(word))
	if pattern != nil {
		b = appendBulk(b, pattern)
	}
	b = appendBulk(b, channel)
	b = appendBulk(b, message)
	return b
}

func appendBulk(b, s []byte) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, '\r', '\n')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// The connection side: only the connection's own goroutine runs these.

// takePushesLocked moves the queued messages into the reply buffer ahead of
// the commands about to run, so that a client sees them in the order they
// were published relative to its own commands. When nothing else is
// pending they may leave without waiting for the WAL (pushPrefix). Caller
// holds s.mu.
func (c *conn) takePushesLocked() {
	sub := c.sub
	sub.mu.Lock()
	q := sub.queue
	if len(q) == 0 {
		sub.notified = false
		sub.mu.Unlock()
		return
	}
	sub.queue, sub.spare = sub.spare, nil
	sub.queued = 0
	sub.notified = false
	sub.mu.Unlock()
	prefix := len(c.w.buf) == 0
	for _, f := range q {
		c.w.raw(f)
	}
	if prefix {
		c.pushPrefix = len(c.w.buf)
	}
	clear(q)
	sub.mu.Lock()
	sub.spare = q[:0]
	sub.mu.Unlock()
}

// writePushes writes the queued messages straight to the socket. Messages
// carry no data the WAL must hold first, so they do not wait for it. It
// is called with no replies pending and without s.mu; false means the
// connection failed.
func (c *conn) writePushes() bool {
	sub := c.sub
	for {
		sub.mu.Lock()
		q := sub.queue
		n := sub.queued
		sub.notified = false
		if len(q) == 0 {
			sub.mu.Unlock()
			return true
		}
		sub.queue, sub.spare = sub.spare, nil
		sub.queued, sub.inflight = 0, n
		sub.mu.Unlock()

		// Write in chunks and account for each as it leaves, so that the
		// output buffer limit sees what the kernel has not taken yet, as
		// Redis's does, rather than a whole batch until its last byte.
		var err error
		for rest := q; len(rest) > 0 && err == nil; {
			i, size := 0, 0
			for i < len(rest) && (i == 0 || size+len(rest[i]) <= pushChunk) {
				size += len(rest[i])
				i++
			}
			bufs := net.Buffers(rest[:i:i])
			var wrote int64
			wrote, err = bufs.WriteTo(c.nc)
			c.s.netOut.Add(wrote)
			rest = rest[i:]
			sub.mu.Lock()
			sub.inflight -= size
			sub.mu.Unlock()
		}
		clear(q)
		sub.mu.Lock()
		sub.inflight = 0
		sub.spare = q[:0]
		sub.mu.Unlock()
		if err != nil {
			return false
		}
	}
}

// pushChunk is how many bytes of messages one write hands the kernel.
const pushChunk = 64 << 10

// wokenForPushes reports whether a failed read was the hub interrupting
// it to have queued messages written, rather than the idle timeout, a kill
// or the server closing. It restores the read deadline when so.
func (c *conn) wokenForPushes(err error) bool {
	if c.sub == nil || !isDeadline(err) || c.killed.Load() {
		return false
	}
	select {
	case <-c.s.done:
		return false
	default:
	}
	if !c.readDeadline.IsZero() && !time.Now().Before(c.readDeadline) {
		return false // the idle timeout
	}
	// Restore the deadline before taking the queue: a publisher that
	// queues after the take sees notified unset and interrupts again. A
	// kill sets killed before its deadline, so one that came in between
	// is seen here rather than undone.
	c.nc.SetReadDeadline(c.readDeadline)
	if c.killed.Load() {
		return false
	}
	select {
	case <-c.sub.wake:
	default:
	}
	c.rd.lastErr = nil
	return true
}

func isDeadline(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded)
}
