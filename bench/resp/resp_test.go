package resp

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestWriterEncodes(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	w.Array(4)
	w.BulkString("XADD")
	w.Bulk([]byte("s"))
	w.BulkInt(-42)
	w.Bulk(nil)
	w.Command("PING")
	if out.Len() != 0 {
		t.Fatalf("wrote before Flush: %q", out.String())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "*4\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n-42\r\n$0\r\n\r\n*1\r\n$4\r\nPING\r\n"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
	if w.Buffered() != 0 {
		t.Fatalf("buffer not emptied: %d", w.Buffered())
	}
}

func TestReaderParsesEveryType(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		want string
	}{
		{"+OK\r\n", Simple, "OK"},
		{"-ERR unknown command 'X'\r\n", Error, "(error) ERR unknown command 'X'"},
		{":-17\r\n", Integer, "-17"},
		{"$5\r\nhello\r\n", Bulk, "hello"},
		{"$0\r\n\r\n", Bulk, ""},
		{"$-1\r\n", Null, "(nil)"},
		{"*-1\r\n", Null, "(nil)"},
		{"_\r\n", Null, "(nil)"},
		{",3.5\r\n", Double, "3.5"},
		{"#t\r\n", Boolean, "1"},
		{"(123456789012345678901\r\n", BigNum, "123456789012345678901"},
		{"=7\r\ntxt:abc\r\n", Verbatim, "txt:abc"},
		{"!5\r\nOOPS!\r\n", BulkErr, "(error) OOPS!"},
		{"*2\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n", Array, "[a [1 (nil)]]"},
		{"%1\r\n+k\r\n:2\r\n", Map, "[k 2]"},
		{"~1\r\n+m\r\n", Set, "[m]"},
		{">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nhi!\r\n", Push, "[message ch hi!]"},
		{"|1\r\n+key\r\n+val\r\n:5\r\n", Integer, "5"},
	}
	for _, tc := range tests {
		r := NewReader(strings.NewReader(tc.in))
		v, err := r.Read()
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if v.Kind != tc.kind || v.String() != tc.want {
			t.Errorf("%q: got kind %q %q, want %q %q", tc.in, v.Kind, v.String(), tc.kind, tc.want)
		}
	}
}

func TestReaderRejectsMalformed(t *testing.T) {
	for _, in := range []string{
		"?what\r\n", ":12x\r\n", "$3\r\nabcd\r\n", "$-2\r\n", "*x\r\n", "+OK\n", "#x\r\n", ":\r\n", ":-\r\n",
	} {
		r := NewReader(strings.NewReader(in))
		if _, err := r.Read(); !errors.Is(err, ErrProtocol) {
			t.Errorf("%q: got %v, want a protocol error", in, err)
		}
	}
	r := NewReader(strings.NewReader("$10\r\nshort"))
	if _, err := r.Read(); err != io.ErrUnexpectedEOF {
		t.Errorf("truncated bulk: got %v", err)
	}
}

func TestReadOKReturnsErrorReplies(t *testing.T) {
	r := NewReader(strings.NewReader("-NOGROUP No such key\r\n+OK\r\n"))
	_, err := r.ReadOK()
	var re *ReplyError
	if !errors.As(err, &re) || re.Msg != "NOGROUP No such key" {
		t.Fatalf("got %v", err)
	}
	if v, err := r.ReadOK(); err != nil || string(v.Str) != "OK" {
		t.Fatalf("got %v %v", v, err)
	}
}

// A reply bigger than the initial slabs: nested arrays reserve their element
// windows while the slab grows under them, and every value must survive.
func TestReaderLargeNestedReply(t *testing.T) {
	var b strings.Builder
	const n = 500
	b.WriteString("*500\r\n")
	for i := 0; i < n; i++ {
		b.WriteString("*2\r\n$15\r\n1700000000000-0\r\n*4\r\n$2\r\nts\r\n$3\r\n123\r\n$1\r\nv\r\n$100\r\n")
		b.WriteString(strings.Repeat("x", 100))
		b.WriteString("\r\n")
	}
	r := NewReader(strings.NewReader(b.String() + b.String()))
	for round := 0; round < 2; round++ {
		v, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Elems) != n {
			t.Fatalf("got %d entries", len(v.Elems))
		}
		for i, e := range v.Elems {
			if string(e.Elems[0].Str) != "1700000000000-0" || len(e.Elems[1].Elems) != 4 ||
				string(e.Elems[1].Elems[1].Str) != "123" || len(e.Elems[1].Elems[3].Str) != 100 {
				t.Fatalf("round %d entry %d: %s", round, i, e.String())
			}
		}
	}
}

// Steady-state parsing of a pipeline of replies allocates nothing.
func TestReaderDoesNotAllocate(t *testing.T) {
	payload := []byte("$15\r\n1700000000000-0\r\n*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$2\r\nts\r\n$2\r\n99\r\n")
	rd := &repeatReader{data: payload}
	r := NewReader(rd)
	for i := 0; i < 10; i++ { // warm the slabs
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per pair of replies", allocs)
	}
}

type repeatReader struct {
	data []byte
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.data[r.off:])
		n += c
		r.off = (r.off + c) % len(r.data)
	}
	return n, nil
}

func TestWriterDoesNotAllocate(t *testing.T) {
	w := NewWriter(io.Discard)
	val := []byte("0123456789")
	allocs := testing.AllocsPerRun(1000, func() {
		for i := 0; i < 16; i++ {
			w.Array(5)
			w.BulkString("XADD")
			w.BulkString("s")
			w.BulkString("*")
			w.BulkInt(int64(i))
			w.Bulk(val)
		}
		w.Flush()
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per pipeline", allocs)
	}
}

// A pipeline over a real socket: all commands leave in one write and the
// replies come back in order.
func TestConnPipeline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		r := NewReader(nc)
		w := NewWriter(nc)
		for {
			v, err := r.Read()
			if err != nil {
				return
			}
			if string(v.Elems[0].Str) == "BAD" {
				w.buf = append(w.buf, "-ERR unknown command 'BAD'\r\n"...)
			} else {
				w.Bulk(v.Elems[len(v.Elems)-1].Str)
			}
			if r.Buffered() == 0 {
				w.Flush()
			}
		}
	}()
	c, err := Dial(ln.Addr().String(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	for i := 0; i < 100; i++ {
		c.Array(2)
		c.BulkString("ECHO")
		c.BulkInt(int64(i))
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		v, err := c.ReadOK()
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := parseInt(v.Str); n != int64(i) {
			t.Fatalf("reply %d: %s", i, v.String())
		}
	}
	if _, err := c.Do("BAD"); err == nil || err.Error() != "ERR unknown command 'BAD'" {
		t.Fatalf("got %v", err)
	}
}
