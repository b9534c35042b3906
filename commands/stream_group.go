package commands

import (
	"strconv"

	"github.com/spool-dev/spool/streams"
)

// Helpers shared by the consumer-group commands (XGROUP, XREADGROUP, XACK,
// XCLAIM, XAUTOCLAIM, XQ.SETTIMES): looking a group up, replying with
// deliveries, and logging the effects that rebuild a group on replay.
//
// # Effects
//
// A group operation is not deterministic as typed (it depends on the clock
// and on the PEL), so the group commands log what they did, in Redis's own
// forms where Redis has one (streams.Group documents the recipe, and
// TestReplayEffects in the streams package checks it):
//
//   - a delivery or claim of an entry to a consumer, and a history read's
//     bump of an entry's delivery time and count:
//     XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID
//     [LASTID id];
//   - a move of last-delivered-id: XGROUP SETID key group id ENTRIESREAD n;
//   - a PEL entry dropped because its stream entry is gone: XACK;
//   - a consumer created on first use: XGROUP CREATECONSUMER;
//   - a release of pending entries (XNACK, Redis 8.8): the command as
//     typed, which depends only on the group and the stream, and sets no
//     delivery time but 0 and no consumer times;
//   - the consumer's seen-time and active-time after the operation:
//     XQ.SETTIMES key group consumer seen-time active-time.
//
// The last one is Spool's: Redis logs no consumer times at all (a restarted
// Redis or a replica shows every consumer as seen at load time), and a
// replay runs later than the original, so without it XINFO's idle,
// inactive, seen-time and active-time would change across a restart.
// Replaying the XCLAIM forms sets the claiming consumer's times to the
// replay's clock; the XQ.SETTIMES that follows puts back the original ones,
// which also makes a history read (which must not touch active-time) exact.

// Constant words of the effects, shared so that building one allocates only
// for its variable parts.
var (
	wordXClaim         = []byte("XCLAIM")
	wordXGroup         = []byte("XGROUP")
	wordXAck           = []byte("XACK")
	wordXQSetTimes     = []byte("XQ.SETTIMES")
	wordSetID          = []byte("SETID")
	wordCreateConsumer = []byte("CREATECONSUMER")
	wordEntriesRead    = []byte("ENTRIESREAD")
	wordZero           = []byte("0")
	wordTime           = []byte("TIME")
	wordRetryCount     = []byte("RETRYCOUNT")
	wordForce          = []byte("FORCE")
	wordJustID         = []byte("JUSTID")
	wordLastID         = []byte("LASTID")
)

// groupLog records the effects of operations on one group of one stream.
// key and group are the names as the client typed them (a group's name is
// the bytes it was created with, so the typed name is the group's name).
type groupLog struct {
	ctx   *Context
	db    int
	key   []byte
	group []byte
}

func (l groupLog) propagate(args ...[]byte) { l.ctx.PropagateIn(l.db, args...) }

// claim logs that consumer now owns d.ID with d's delivery time and count.
// lastID, unless zero, is the group's last-delivered-id after the
// operation (XCLAIM's LASTID never moves it backwards, nor changes
// entries-read: a SETID follows when those matter).
func (l groupLog) claim(consumer []byte, d streams.Delivery, lastID streams.ID) {
	var idBuf, lastBuf [41]byte
	var timeBuf, countBuf [20]byte
	args := [14][]byte{
		wordXClaim, l.key, l.group, consumer, wordZero, d.ID.AppendTo(idBuf[:0]),
		wordTime, strconv.AppendInt(timeBuf[:0], d.DeliveryTime, 10),
		wordRetryCount, strconv.AppendInt(countBuf[:0], d.DeliveryCount, 10),
		wordForce, wordJustID,
	}
	n := 12
	if !lastID.IsZero() {
		args[12], args[13] = wordLastID, lastID.AppendTo(lastBuf[:0])
		n = 14
	}
	l.propagate(args[:n]...)
}

// setID logs the group's last-delivered-id and entries-read.
func (l groupLog) setID(g *streams.Group) {
	var idBuf [41]byte
	var readBuf [20]byte
	l.propagate(wordXGroup, wordSetID, l.key, l.group, g.LastID().AppendTo(idBuf[:0]),
		wordEntriesRead, strconv.AppendInt(readBuf[:0], g.EntriesRead(), 10))
}

// ack logs that these PEL entries were dropped.
func (l groupLog) ack(entries []streams.PendingEntry) {
	if len(entries) == 0 {
		return
	}
	args := make([][]byte, 0, 3+len(entries))
	args = append(args, wordXAck, l.key, l.group)
	for _, p := range entries {
		args = append(args, []byte(p.ID.String()))
	}
	l.propagate(args...)
}

// createConsumer logs that the consumer was created.
func (l groupLog) createConsumer(consumer []byte) {
	l.propagate(wordXGroup, wordCreateConsumer, l.key, l.group, consumer)
}

// times logs the consumer's seen-time and active-time (see XQ.SETTIMES).
func (l groupLog) times(consumer []byte, c *streams.Consumer) {
	var seenBuf, activeBuf [20]byte
	l.propagate(wordXQSetTimes, l.key, l.group, consumer,
		strconv.AppendInt(seenBuf[:0], c.SeenTime(), 10),
		strconv.AppendInt(activeBuf[:0], c.ActiveTime(), 10))
}

// consumerFor returns the consumer named name, creating it at nowMs (and
// logging and notifying its creation) if it does not exist, as XREADGROUP, XCLAIM and
// XAUTOCLAIM do before they operate.
func (l groupLog) consumerFor(g *streams.Group, name []byte, nowMs int64) (*streams.Consumer, bool) {
	c, created := g.CreateConsumer(string(name), nowMs)
	if created {
		l.createConsumer(name)
		l.ctx.Notify(NotifyStream, "xgroup-createconsumer", l.db, l.key)
	}
	return c, created
}

// replyDeliveries writes deliveries as stream entries, [id, [field, value,
// ...]], with a null array in place of the fields for an entry that no
// longer exists (XREADGROUP history), or, with justID, as bare IDs.
func replyDeliveries(out Reply, ds []streams.Delivery, justID bool) {
	out.Array(len(ds))
	for _, d := range ds {
		switch {
		case justID:
			replyStreamID(out, d.ID)
		case d.Fields == nil:
			out.Array(2)
			replyStreamID(out, d.ID)
			out.NullArray()
		default:
			replyStreamEntry(out, d.Entry)
		}
	}
}
