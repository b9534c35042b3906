// Package resp is the load generator's own RESP client: a Writer that
// appends commands to a buffer so that a whole pipeline leaves in one write,
// and a Reader that parses replies into values backed by reusable slabs, so
// that a steady stream of replies costs no allocation.
//
// It is deliberately small: no connection pool, no retries, no command
// helpers. The benchmark decides exactly which bytes go on the wire and when.
package resp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// Kind is a reply's RESP type byte.
type Kind byte

// Reply kinds, by their RESP2/RESP3 type byte.
const (
	Simple   Kind = '+'
	Error    Kind = '-'
	Integer  Kind = ':'
	Bulk     Kind = '$'
	Array    Kind = '*'
	Null     Kind = '_' // RESP3 null; RESP2 $-1 and *-1 are read as Null too
	Double   Kind = ','
	Boolean  Kind = '#'
	BigNum   Kind = '('
	Verbatim Kind = '='
	BulkErr  Kind = '!'
	Map      Kind = '%' // Elems holds keys and values alternately
	Set      Kind = '~'
	Push     Kind = '>'
	Attr     Kind = '|'
)

// Value is one parsed reply. Str and Elems point into the Reader's slabs:
// they are valid only until the next call to Read. Copy what you keep.
type Value struct {
	Kind  Kind
	Int   int64   // Integer, Boolean (1/0)
	Str   []byte  // Simple, Error, Bulk, Double, BigNum, Verbatim, BulkErr
	Elems []Value // Array, Map (flattened), Set, Push
}

// IsError reports whether the reply is an error reply.
func (v Value) IsError() bool { return v.Kind == Error || v.Kind == BulkErr }

// Err returns the reply as an error if it is an error reply, or nil.
func (v Value) Err() error {
	if v.IsError() {
		return &ReplyError{Msg: string(v.Str)}
	}
	return nil
}

// String renders the value for messages and tests (not for hot paths).
func (v Value) String() string {
	switch v.Kind {
	case Integer, Boolean:
		return strconv.FormatInt(v.Int, 10)
	case Null:
		return "(nil)"
	case Array, Map, Set, Push:
		s := "["
		for i, e := range v.Elems {
			if i > 0 {
				s += " "
			}
			s += e.String()
		}
		return s + "]"
	case Error, BulkErr:
		return "(error) " + string(v.Str)
	}
	return string(v.Str)
}

// ReplyError is an error reply from the server, such as
// "ERR unknown command 'XREADGROUP', with args beginning with: ...".
type ReplyError struct{ Msg string }

func (e *ReplyError) Error() string { return e.Msg }

// ErrProtocol wraps malformed input.
var ErrProtocol = errors.New("resp: protocol error")

// Writer appends commands as RESP arrays of bulk strings to a buffer; Flush
// sends the buffer in one write. Build a command with Array followed by one
// Bulk* call per argument, or with Command.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w, buf: make([]byte, 0, 16<<10)} }

// Array starts a command of n arguments.
func (w *Writer) Array(n int) {
	w.buf = append(w.buf, '*')
	w.buf = strconv.AppendInt(w.buf, int64(n), 10)
	w.buf = append(w.buf, '\r', '\n')
}

// Bulk appends one argument.
func (w *Writer) Bulk(b []byte) {
	w.buf = append(w.buf, '$')
	w.buf = strconv.AppendInt(w.buf, int64(len(b)), 10)
	w.buf = append(w.buf, '\r', '\n')
	w.buf = append(w.buf, b...)
	w.buf = append(w.buf, '\r', '\n')
}

// BulkString appends one argument.
func (w *Writer) BulkString(s string) {
	w.buf = append(w.buf, '$')
	w.buf = strconv.AppendInt(w.buf, int64(len(s)), 10)
	w.buf = append(w.buf, '\r', '\n')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// BulkInt appends an integer as a decimal argument, without allocating.
func (w *Writer) BulkInt(n int64) {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], n, 10)
	w.Bulk(d)
}

// Command appends a whole command. Convenient for set-up; hot paths use
// Array and Bulk to avoid the variadic slice.
func (w *Writer) Command(args ...string) {
	w.Array(len(args))
	for _, a := range args {
		w.BulkString(a)
	}
}

// Buffered is the number of bytes waiting for Flush.
func (w *Writer) Buffered() int { return len(w.buf) }

// Flush writes the buffered commands and empties the buffer.
func (w *Writer) Flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.w.Write(w.buf)
	w.buf = w.buf[:0]
	return err
}

// Reader parses replies. The Value returned by Read and everything it
// points to stay valid until the next Read.
type Reader struct {
	br   *bufio.Reader
	strs []byte  // backing store for Str
	vals []Value // backing store for Elems
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), strs: make([]byte, 0, 4096), vals: make([]Value, 0, 64)}
}

// Buffered is the number of bytes read from the socket but not yet parsed:
// a caller can tell whether another reply is already available.
func (r *Reader) Buffered() int { return r.br.Buffered() }

// Read parses the next reply. An error reply is returned as a Value of
// kind Error with a nil error; the error result is for I/O and protocol
// failures only.
func (r *Reader) Read() (Value, error) {
	r.strs = r.strs[:0]
	r.vals = r.vals[:0]
	return r.read()
}

// ReadOK reads the next reply and returns it, or its error text as a
// *ReplyError when it is an error reply.
func (r *Reader) ReadOK() (Value, error) {
	v, err := r.Read()
	if err != nil {
		return v, err
	}
	return v, v.Err()
}

// line returns the next header line without its CRLF. The slice points into
// bufio's buffer and is valid until the next read from it.
func (r *Reader) line() ([]byte, error) {
	b, err := r.br.ReadSlice('\n')
	if err != nil {
		if err == bufio.ErrBufferFull {
			return nil, fmt.Errorf("%w: line longer than %d bytes", ErrProtocol, r.br.Size())
		}
		return nil, err
	}
	if len(b) < 3 || b[len(b)-2] != '\r' {
		return nil, fmt.Errorf("%w: malformed line %q", ErrProtocol, b)
	}
	return b[:len(b)-2], nil
}

// parseInt is a strict decimal parser for lengths and integer replies.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	if b[0] == '-' {
		neg, b = true, b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' || n > (1<<62)/5 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// keep copies b into the string slab and returns the copy.
func (r *Reader) keep(b []byte) []byte {
	start := len(r.strs)
	r.strs = append(r.strs, b...)
	return r.strs[start:len(r.strs):len(r.strs)]
}

func (r *Reader) read() (Value, error) {
	line, err := r.line()
	if err != nil {
		return Value{}, err
	}
	kind, body := Kind(line[0]), line[1:]
	switch kind {
	case Simple, Error, Double, BigNum:
		return Value{Kind: kind, Str: r.keep(body)}, nil
	case Integer:
		n, ok := parseInt(body)
		if !ok {
			return Value{}, fmt.Errorf("%w: bad integer %q", ErrProtocol, body)
		}
		return Value{Kind: Integer, Int: n}, nil
	case Null:
		return Value{Kind: Null}, nil
	case Boolean:
		if len(body) != 1 || (body[0] != 't' && body[0] != 'f') {
			return Value{}, fmt.Errorf("%w: bad boolean %q", ErrProtocol, body)
		}
		v := Value{Kind: Boolean}
		if body[0] == 't' {
			v.Int = 1
		}
		return v, nil
	case Bulk, Verbatim, BulkErr:
		n, ok := parseInt(body)
		if !ok || n < -1 {
			return Value{}, fmt.Errorf("%w: bad length %q", ErrProtocol, body)
		}
		if n == -1 {
			return Value{Kind: Null}, nil
		}
		start := len(r.strs)
		need := start + int(n) + 2
		if need > cap(r.strs) {
			grown := make([]byte, start, 2*need)
			copy(grown, r.strs)
			r.strs = grown
		}
		r.strs = r.strs[:need]
		if _, err := io.ReadFull(r.br, r.strs[start:need]); err != nil {
			return Value{}, err
		}
		if r.strs[need-2] != '\r' || r.strs[need-1] != '\n' {
			return Value{}, fmt.Errorf("%w: bulk string not terminated by CRLF", ErrProtocol)
		}
		r.strs = r.strs[:need-2]
		return Value{Kind: kind, Str: r.strs[start : need-2 : need-2]}, nil
	case Array, Set, Push, Map, Attr:
		n, ok := parseInt(body)
		if !ok || n < -1 {
			return Value{}, fmt.Errorf("%w: bad length %q", ErrProtocol, body)
		}
		if n == -1 {
			return Value{Kind: Null}, nil
		}
		if kind == Map || kind == Attr {
			n *= 2
		}
		if kind == Attr {
			// Attributes annotate the reply that follows: skip them.
			for i := int64(0); i < n; i++ {
				if _, err := r.read(); err != nil {
					return Value{}, err
				}
			}
			return r.read()
		}
		// Reserve the window for the elements before reading them: nested
		// arrays reserve theirs after it. If the slab grows meanwhile, this
		// window keeps pointing at the old backing array, which stays valid.
		start := len(r.vals)
		if need := start + int(n); need > cap(r.vals) {
			grown := make([]Value, start, 2*need)
			copy(grown, r.vals)
			r.vals = grown
		}
		r.vals = r.vals[:start+int(n)]
		elems := r.vals[start : start+int(n) : start+int(n)]
		for i := range elems {
			e, err := r.read()
			if err != nil {
				return Value{}, err
			}
			elems[i] = e
		}
		return Value{Kind: kind, Elems: elems}, nil
	}
	return Value{}, fmt.Errorf("%w: unknown reply type %q", ErrProtocol, line)
}

// Conn is a TCP connection with a Writer and a Reader.
type Conn struct {
	*Writer
	*Reader
	nc net.Conn
}

// Dial connects to addr (host:port).
func Dial(addr string, timeout time.Duration) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	return &Conn{Writer: NewWriter(nc), Reader: NewReader(nc), nc: nc}, nil
}

// SetDeadline bounds every read and write on the connection: no loop of the
// benchmark can hang past it, whatever the server does.
func (c *Conn) SetDeadline(t time.Time) error { return c.nc.SetDeadline(t) }

// Close closes the socket.
func (c *Conn) Close() error { return c.nc.Close() }

// Do sends one command and reads its reply, returning error replies as a
// *ReplyError. For set-up and checks, not for hot paths.
func (c *Conn) Do(args ...string) (Value, error) {
	c.Command(args...)
	if err := c.Flush(); err != nil {
		return Value{}, err
	}
	return c.ReadOK()
}
