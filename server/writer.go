package server

import (
	"math"
	"strconv"

	"github.com/tidwall/redcon"
)

// replyWriter implements commands.Reply into a byte buffer that the
// connection flushes. RESP2 forms come from redcon's encoders; the RESP3
// types (maps, sets, nulls, doubles, booleans, verbatim strings, pushes) are
// written here.
type replyWriter struct {
	buf   []byte
	proto int
	muted bool // CLIENT REPLY OFF / SKIP
}

func (w *replyWriter) Proto() int     { return w.proto }
func (w *replyWriter) SetProto(p int) { w.proto = p }
func (w *replyWriter) resp3() bool    { return w.proto == 3 }
func (w *replyWriter) pending() int   { return len(w.buf) }
func (w *replyWriter) reset()         { w.buf = w.buf[:0] }
func (w *replyWriter) raw(b []byte)   { w.buf = append(w.buf, b...) }
func (w *replyWriter) SimpleString(s string) {
	if !w.muted {
		w.buf = redcon.AppendString(w.buf, s)
	}
}

func (w *replyWriter) Error(msg string) {
	if !w.muted {
		w.buf = redcon.AppendError(w.buf, msg)
	}
}

func (w *replyWriter) Int(n int64) {
	if !w.muted {
		w.buf = redcon.AppendInt(w.buf, n)
	}
}

func (w *replyWriter) Bulk(b []byte) {
	if !w.muted {
		w.buf = redcon.AppendBulk(w.buf, b)
	}
}

func (w *replyWriter) BulkString(s string) {
	if !w.muted {
		w.buf = redcon.AppendBulkString(w.buf, s)
	}
}

func (w *replyWriter) Null() {
	if w.muted {
		return
	}
	if w.resp3() {
		w.buf = append(w.buf, "_\r\n"...)
		return
	}
	w.buf = redcon.AppendNull(w.buf)
}

func (w *replyWriter) NullArray() {
	if w.muted {
		return
	}
	if w.resp3() {
		w.buf = append(w.buf, "_\r\n"...)
		return
	}
	w.buf = append(w.buf, "*-1\r\n"...)
}

func (w *replyWriter) Array(n int) {
	if !w.muted {
		w.buf = redcon.AppendArray(w.buf, n)
	}
}

func (w *replyWriter) header(c byte, n int) {
	w.buf = append(w.buf, c)
	w.buf = strconv.AppendInt(w.buf, int64(n), 10)
	w.buf = append(w.buf, '\r', '\n')
}

func (w *replyWriter) Map(n int) {
	if w.muted {
		return
	}
	if w.resp3() {
		w.header('%', n)
		return
	}
	w.buf = redcon.AppendArray(w.buf, 2*n)
}

func (w *replyWriter) Set(n int) {
	if w.muted {
		return
	}
	if w.resp3() {
		w.header('~', n)
		return
	}
	w.buf = redcon.AppendArray(w.buf, n)
}

func (w *replyWriter) Push(n int) {
	if w.muted {
		return
	}
	if w.resp3() {
		w.header('>', n)
		return
	}
	w.buf = redcon.AppendArray(w.buf, n)
}

// Double follows addReplyDouble: %.17g, with inf and -inf spelled out.
func (w *replyWriter) Double(f float64) {
	if w.muted {
		return
	}
	var s string
	switch {
	case math.IsInf(f, 1):
		s = "inf"
	case math.IsInf(f, -1):
		s = "-inf"
	default:
		s = strconv.FormatFloat(f, 'g', 17, 64)
	}
	if w.resp3() {
		w.buf = append(w.buf, ',')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	w.buf = redcon.AppendBulkString(w.buf, s)
}

func (w *replyWriter) Bool(b bool) {
	if w.muted {
		return
	}
	if w.resp3() {
		if b {
			w.buf = append(w.buf, "#t\r\n"...)
		} else {
			w.buf = append(w.buf, "#f\r\n"...)
		}
		return
	}
	if b {
		w.buf = redcon.AppendInt(w.buf, 1)
	} else {
		w.buf = redcon.AppendInt(w.buf, 0)
	}
}

func (w *replyWriter) Verbatim(s string) {
	if w.muted {
		return
	}
	if w.resp3() {
		w.header('=', len(s)+4)
		w.buf = append(w.buf, "txt:"...)
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	w.buf = redcon.AppendBulkString(w.buf, s)
}
