package commands

import (
	"github.com/spool-dev/spool/streams"
)

// Helpers shared by the stream commands (XADD, XRANGE, XREAD, XINFO...).

// streamLimits are the node limits every add and trim uses: CONFIG SET
// stream-node-max-entries / stream-node-max-bytes apply to the next command.
func (ctx *Context) streamLimits() streams.NodeLimits {
	return streams.NodeLimits{
		MaxEntries: ctx.Settings.StreamNodeMaxEntries,
		MaxBytes:   ctx.Settings.StreamNodeMaxBytes,
	}
}

// streamOf returns the stream held by e: nil for a missing key, and
// ErrWrongType for a key of another type.
func streamOf(e *entry) (*streams.Stream, error) {
	if e == nil {
		return nil, nil
	}
	s, ok := e.value.(*streams.Stream)
	if !ok {
		return nil, ErrWrongType
	}
	return s, nil
}

// readStream looks key up for a read (counting a hit or a miss) and returns
// its stream, nil when the key is missing, or ErrWrongType.
func (ctx *Context) readStream(key []byte) (*streams.Stream, error) {
	return streamOf(ctx.lookupRead(key))
}

// writeStream looks key up for a change and returns its entry and stream,
// both nil when the key is missing, or ErrWrongType.
func (ctx *Context) writeStream(key []byte) (*entry, *streams.Stream, error) {
	e := ctx.lookupWrite(key)
	s, err := streamOf(e)
	if err != nil {
		return nil, nil, err
	}
	return e, s, nil
}

// replyStreamID writes an ID as a bulk string, "<ms>-<seq>".
func replyStreamID(out Reply, id streams.ID) {
	var buf [41]byte
	out.Bulk(id.AppendTo(buf[:0]))
}

// formatID writes id as "<ms>-<seq>" into ctx's scratch buffer. The result
// is valid until the next formatID on ctx: reply writers and Propagate copy
// it, so a handler can format an ID once for both without allocating.
func (ctx *Context) formatID(id streams.ID) []byte {
	return id.AppendTo(ctx.idBuf[:0])
}

// replyStreamEntry writes one entry the way every stream reply shows it:
// [id, [field, value, ...]] (an array of fields in RESP3 too).
func replyStreamEntry(out Reply, e streams.Entry) {
	out.Array(2)
	replyStreamID(out, e.ID)
	out.Array(len(e.Fields))
	for _, f := range e.Fields {
		out.Bulk(f)
	}
}

// entryBuffer collects the entries of a range so that the reply can start
// with their count. Field slices point into the stream (they never change),
// so only the slice headers are copied, into one shared backing array.
type entryBuffer struct {
	ids    []streams.ID
	ends   []int // ends[i] is the end of entry i's fields in fields
	fields [][]byte
}

func (b *entryBuffer) add(e streams.Entry) bool {
	b.ids = append(b.ids, e.ID)
	b.fields = append(b.fields, e.Fields...)
	b.ends = append(b.ends, len(b.fields))
	return true
}

func (b *entryBuffer) reply(out Reply) {
	out.Array(len(b.ids))
	start := 0
	for i, id := range b.ids {
		replyStreamEntry(out, streams.Entry{ID: id, Fields: b.fields[start:b.ends[i]]})
		start = b.ends[i]
	}
}

// replyStreamRange writes the entries with start <= ID <= end, at most count
// of them (count <= 0: all), in reverse order when rev is set, as an array
// of entries (Redis's streamReplyWithRange without a group).
func replyStreamRange(out Reply, s *streams.Stream, start, end streams.ID, count int64, rev bool) {
	var b entryBuffer
	n := 0
	if count > 0 {
		n = int(count)
	}
	s.Range(start, end, n, rev, b.add)
	b.reply(out)
}
