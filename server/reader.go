package server

import (
	"bytes"
	"errors"
	"io"
)

// Why not redcon.Reader: it answers "*0" with an error where Redis ignores
// it, it has no bulk-length or query-buffer limit (a client announcing a
// 2 GB bulk makes it grow its buffer for as long as bytes trickle in), its
// protocol error texts differ from Redis's, its inline splitting is not
// sdssplitargs, and it copies every command. This reader follows
// networking.c's processMultibulkBuffer/processInlineBuffer byte for byte and
// slices arguments straight out of its buffer. redcon still writes replies.

const (
	// inlineMax is PROTO_INLINE_MAX_SIZE: the longest inline command and the
	// longest count line Redis accepts before giving up.
	inlineMax = 64 * 1024
	// unauthMultibulkMax and unauthBulkMax are the limits Redis applies to a
	// client that still has to authenticate.
	unauthMultibulkMax = 10
	unauthBulkMax      = 16384
	// minReadSize is how much free room a read asks for.
	minReadSize = 16 * 1024
)

// protocolError is a malformed request; the server replies with it and
// closes the connection, as Redis does.
type protocolError string

func (e protocolError) Error() string { return "ERR Protocol error: " + string(e) }

var (
	errIncomplete    = errors.New("incomplete command")
	errQueryBufLimit = errors.New("client reached max query buffer length")
)

// reader parses RESP and inline commands from a connection.
type reader struct {
	src  io.Reader
	buf  []byte
	r, w int // unparsed bytes are buf[r:w]

	maxBulk  int64       // proto-max-bulk-len
	maxQuery int64       // client-query-buffer-limit
	authed   func() bool // whether the unauthenticated limits are lifted

	// State of a multibulk command that is not complete yet, so a command
	// arriving in many reads is not re-parsed from its start each time.
	// Offsets are relative to r.
	want int      // announced argument count; 0 = no command in progress
	pos  int      // where parsing resumes
	offs [][2]int // start/end of the arguments parsed so far

	// arena holds the argument slice headers of the current batch of
	// commands; resetBatch recycles it once the batch has executed.
	arena [][]byte

	lastErr error // the error that ended the last fill, if any
}

func newReader(src io.Reader, maxBulk, maxQuery int64, authed func() bool) *reader {
	return &reader{src: src, buf: make([]byte, minReadSize), maxBulk: maxBulk, maxQuery: maxQuery, authed: authed}
}

// resetBatch recycles the argument headers of the commands returned so far.
func (rd *reader) resetBatch() { rd.arena = rd.arena[:0] }

// buffered is the number of unparsed bytes.
func (rd *reader) buffered() int { return rd.w - rd.r }

// next returns the next complete command, errIncomplete when more input is
// needed, or a protocolError. Empty commands ("*0", blank lines) are skipped.
// The arguments point into the reader's buffer and stay valid until the next
// call to fill.
func (rd *reader) next() ([][]byte, error) {
	for rd.r < rd.w {
		var args [][]byte
		var err error
		if rd.want > 0 || rd.buf[rd.r] == '*' {
			args, err = rd.multibulk()
		} else {
			args, err = rd.inline()
		}
		if err != nil {
			return nil, err
		}
		if len(args) > 0 {
			return args, nil
		}
	}
	return nil, errIncomplete
}

// line finds the '\r' that ends a header line starting at from (Redis
// searches for '\r' and then needs one more byte for the '\n'). It returns the
// index of '\r' or -1 when the line is not complete yet.
func (rd *reader) line(from int) int {
	i := cIndexByte(rd.buf[from:rd.w], '\r')
	if i < 0 || from+i+1 >= rd.w {
		return -1
	}
	return from + i
}

func (rd *reader) multibulk() ([][]byte, error) {
	if rd.want == 0 {
		cr := rd.line(rd.r)
		if cr < 0 {
			if rd.w-rd.r > inlineMax {
				return nil, protocolError("too big mbulk count string")
			}
			return nil, errIncomplete
		}
		n, ok := parseRedisInt(rd.buf[rd.r+1 : cr])
		if !ok || n > 1<<31-1 {
			return nil, protocolError("invalid multibulk length")
		}
		if n > unauthMultibulkMax && !rd.authed() {
			return nil, protocolError("unauthenticated multibulk length")
		}
		if n <= 0 {
			rd.r = cr + 2
			return nil, nil
		}
		rd.want = int(n)
		rd.pos = cr + 2 - rd.r
		rd.offs = rd.offs[:0]
	}
	for len(rd.offs) < rd.want {
		at := rd.r + rd.pos
		cr := rd.line(at)
		if cr < 0 {
			if rd.w-at > inlineMax {
				return nil, protocolError("too big bulk count string")
			}
			return nil, errIncomplete
		}
		if at >= rd.w {
			return nil, errIncomplete
		}
		if rd.buf[at] != '$' {
			return nil, protocolError("expected '$', got '" + string(rd.buf[at]) + "'")
		}
		n, ok := parseRedisInt(rd.buf[at+1 : cr])
		if !ok || n < 0 || n > rd.maxBulk {
			return nil, protocolError("invalid bulk length")
		}
		if n > unauthBulkMax && !rd.authed() {
			return nil, protocolError("unauthenticated bulk length")
		}
		start := cr + 2
		if int64(rd.w-start) < n+2 {
			return nil, errIncomplete
		}
		// Redis skips the two bytes after the data without looking at them.
		rd.offs = append(rd.offs, [2]int{start - rd.r, start - rd.r + int(n)})
		rd.pos = start - rd.r + int(n) + 2
	}
	start := len(rd.arena)
	for _, o := range rd.offs {
		rd.arena = append(rd.arena, rd.buf[rd.r+o[0]:rd.r+o[1]:rd.r+o[1]])
	}
	args := rd.arena[start:len(rd.arena):len(rd.arena)]
	rd.r += rd.pos
	rd.want, rd.pos = 0, 0
	return args, nil
}

func (rd *reader) inline() ([][]byte, error) {
	nl := cIndexByte(rd.buf[rd.r:rd.w], '\n')
	if nl < 0 {
		if rd.w-rd.r > inlineMax {
			return nil, protocolError("too big inline request")
		}
		return nil, errIncomplete
	}
	line := rd.buf[rd.r : rd.r+nl]
	rd.r += nl + 1
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	args, ok := splitArgs(line)
	if !ok {
		return nil, protocolError("unbalanced quotes in request")
	}
	return args, nil
}

// fill reads more input. It compacts or grows the buffer first, keeping the
// unparsed bytes, and refuses to hold more than the query buffer limit.
func (rd *reader) fill() error {
	if rd.r == rd.w {
		rd.r, rd.w = 0, 0
		if len(rd.buf) > 4*minReadSize {
			rd.buf = make([]byte, minReadSize) // give a big buffer back
		}
	}
	if len(rd.buf)-rd.w < minReadSize {
		pending := rd.w - rd.r
		if int64(pending) >= rd.maxQuery {
			return errQueryBufLimit
		}
		need := pending + minReadSize
		if need <= len(rd.buf) && rd.r > 0 {
			copy(rd.buf, rd.buf[rd.r:rd.w])
		} else {
			size := len(rd.buf) * 2
			for size < need {
				size *= 2
			}
			nb := make([]byte, size)
			copy(nb, rd.buf[rd.r:rd.w])
			rd.buf = nb
		}
		rd.r, rd.w = 0, pending
	}
	n, err := rd.src.Read(rd.buf[rd.w:])
	rd.w += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	rd.lastErr = err
	return err
}

// cIndexByte is strchr over the buffer: Redis looks for line ends with
// strchr, so a NUL byte before the terminator hides it and the line stays
// incomplete until the size limit trips.
func cIndexByte(b []byte, c byte) int {
	i := bytes.IndexByte(b, c)
	if i < 0 {
		return -1
	}
	if bytes.IndexByte(b[:i], 0) >= 0 {
		return -1
	}
	return i
}

// parseRedisInt is string2ll: optional '-', no '+', no leading zeros.
func parseRedisInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

// splitArgs is Redis's sdssplitargs: blank-separated words, "double quotes"
// with \n \r \t \b \a \xHH escapes, 'single quotes' with \' only. A closing
// quote must be followed by a blank or the end. The C original stops at a NUL
// byte, so this does too.
func splitArgs(line []byte) ([][]byte, bool) {
	if i := bytes.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	var args [][]byte
	p := 0
	at := func(i int) byte {
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	for {
		for p < len(line) && isSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, true
		}
		inq, insq, done := false, false, false
		cur := []byte{}
		for !done {
			c := at(p)
			switch {
			case inq:
				switch {
				case c == '\\' && at(p+1) == 'x' && isHex(at(p+2)) && isHex(at(p+3)):
					cur = append(cur, hexVal(at(p+2))<<4|hexVal(at(p+3)))
					p += 3
				case c == '\\' && at(p+1) != 0:
					p++
					switch e := at(p); e {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, e)
					}
				case c == '"':
					if n := at(p + 1); n != 0 && !isSpace(n) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			case insq:
				switch {
				case c == '\\' && at(p+1) == '\'':
					p++
					cur = append(cur, '\'')
				case c == '\'':
					if n := at(p + 1); n != 0 && !isSpace(n) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					cur = append(cur, c)
				}
			}
			if at(p) != 0 {
				p++
			}
		}
		args = append(args, cur)
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
