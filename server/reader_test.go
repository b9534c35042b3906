package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// chunkReader returns at most n bytes per Read, to exercise partial input.
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(c.n, len(p), len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

// parseAll reads every command from input delivered chunk bytes at a time
// and renders the result, ending with the error that stopped it.
func parseAll(input []byte, chunk int) string {
	rd := newReader(&chunkReader{data: input, n: chunk}, 512<<20, 1<<30, func() bool { return true })
	var out strings.Builder
	for {
		args, err := rd.next()
		if err == errIncomplete {
			if ferr := rd.fill(); ferr != nil {
				out.WriteString("<" + ferr.Error() + ">")
				return out.String()
			}
			continue
		}
		if err != nil {
			out.WriteString("<" + err.Error() + ">")
			return out.String()
		}
		fmt.Fprintf(&out, "%q;", args)
		rd.resetBatch()
	}
}

func TestReaderCommands(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"*1\r\n$4\r\nPING\r\n", `["PING"];<EOF>`},
		{"PING\r\n", `["PING"];<EOF>`},
		{"*0\r\n*-1\r\nPING\r\n", `["PING"];<EOF>`},
		{"SET a \"b c\"\n", `["SET" "a" "b c"];<EOF>`},
		{"ECHO \"\\x41\\x4\"\r\n", `["ECHO" "Ax4"];<EOF>`},
		{"*1\r\n$-1\r\n", "<ERR Protocol error: invalid bulk length>"},
		{"*1\r\n:1\r\n", "<ERR Protocol error: expected '$', got ':'>"},
		{"*x\r\n", "<ERR Protocol error: invalid multibulk length>"},
		{"*2\r\n$1\r\na\r\n", "<EOF>"},
		{"ECHO 'a\r\n", "<ERR Protocol error: unbalanced quotes in request>"},
		{"*2\r\n$3\r\nGET\r\n$0\r\n\r\n", `["GET" ""];<EOF>`},
	}
	for _, c := range cases {
		for _, chunk := range []int{1, 3, 1 << 20} {
			if got := parseAll([]byte(c.in), chunk); got != c.want {
				t.Errorf("parse %q in chunks of %d: got %s want %s", c.in, chunk, got, c.want)
			}
		}
	}
}

func TestReaderLimits(t *testing.T) {
	long := bytes.Repeat([]byte("a"), inlineMax+1)
	if got := parseAll(long, 1<<20); got != "<ERR Protocol error: too big inline request>" {
		t.Errorf("long inline: %s", got)
	}
	if got := parseAll(append([]byte("*"), long...), 1<<20); got != "<ERR Protocol error: too big mbulk count string>" {
		t.Errorf("long count: %s", got)
	}
	rd := newReader(&chunkReader{data: []byte("*1\r\n$2000\r\n"), n: 100}, 1000, 1<<30, func() bool { return true })
	rd.fill()
	if _, err := rd.next(); err == nil || err.Error() != "ERR Protocol error: invalid bulk length" {
		t.Errorf("bulk over proto-max-bulk-len: %v", err)
	}
	// The query buffer limit closes the client once pending input exceeds it.
	big := append([]byte("*1\r\n$100000\r\n"), bytes.Repeat([]byte("x"), 90000)...)
	rd = newReader(&chunkReader{data: big, n: 4096}, 1<<20, 32*1024, func() bool { return true })
	var err error
	for err == nil {
		if _, perr := rd.next(); perr != errIncomplete {
			t.Fatalf("unexpected parse result %v", perr)
		}
		err = rd.fill()
	}
	if !errors.Is(err, errQueryBufLimit) {
		t.Errorf("query buffer limit: got %v", err)
	}
}

// FuzzReader checks that no input crashes the reader and that the commands
// parsed do not depend on how the input is split into reads.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"*1\r\n$4\r\nPING\r\n", "PING\r\n", "*0\r\n", "*-1\r\n", "SET a \"b\\x41\" 'c'\r\n",
		"*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n", "*1\r\n$-1\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
		"\r\n\r\n", "*1\r\n$4\r\nPINGxx", "ECHO \"unterminated\r\n", "*2147483648\r\n",
	} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		whole := parseAll(data, 1<<20)
		split := parseAll(data, int(chunk)+1)
		if whole != split {
			t.Fatalf("chunking changed the parse:\nwhole: %s\nsplit: %s", whole, split)
		}
	})
}
