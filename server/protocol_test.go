package server_test

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/spool-dev/spool/server/servertest"
)

// protocolCases are raw byte streams whose complete answer (every reply up
// to the server closing the connection or going quiet) must be the same from
// Spool as from redis-server.
var protocolCases = []struct {
	name  string
	input string
}{
	{"inline ping", "PING\r\n"},
	{"inline lf only", "PING\n"},
	{"inline quoted", "ECHO \"a b\\x41\\n\"\r\n"},
	{"inline single quoted", "ECHO 'it\\'s'\r\n"},
	{"inline unbalanced", "ECHO \"abc\r\n"},
	{"inline quote then text", "ECHO \"abc\"def\r\n"},
	{"inline blank lines", "\r\n\r\n   \r\nPING\r\n"},
	{"empty multibulk", "*0\r\n*1\r\n$4\r\nPING\r\n"},
	{"negative multibulk", "*-1\r\n*1\r\n$4\r\nPING\r\n"},
	{"pipeline", "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING\r\n"},
	{"bad multibulk length", "*abc\r\n"},
	{"multibulk plus sign", "*+1\r\n$4\r\nPING\r\n"},
	{"multibulk too big", "*2147483648\r\n"},
	{"expected dollar", "*1\r\n+PING\r\n"},
	{"bad bulk length", "*1\r\n$abc\r\n"},
	{"negative bulk length", "*1\r\n$-1\r\n"},
	{"bulk over proto-max-bulk-len", "*1\r\n$536870913\r\n"},
	{"bulk leading zero", "*1\r\n$04\r\nPING\r\n"},
	{"commands before an error run", "PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n"},
	{"bulk without crlf after data", "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"},
	{"unknown command", "*2\r\n$3\r\nFOO\r\n$3\r\nbar\r\n"},
	{"wrong arity", "*1\r\n$4\r\nECHO\r\n"},
	{"nul in inline", "ECHO a\x00b\r\n"},
}

func TestProtocolDifferential(t *testing.T) {
	redisAddr := servertest.StartRedis(t)
	_, spoolAddr := servertest.Start(t, nil)
	for _, tc := range protocolCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := exchange(t, redisAddr, tc.input)
			got := exchange(t, spoolAddr, tc.input)
			if want != got {
				t.Errorf("input %q\n redis: %q\n spool: %q", tc.input, want, got)
			}
		})
	}
}

// exchange writes input and reads everything the server sends until it
// closes the connection or stays quiet for a moment.
func exchange(t *testing.T, addr, input string) string {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := nc.Write([]byte(input)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for {
		nc.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := nc.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			if err == io.EOF {
				out.WriteString("<closed>")
			}
			return out.String()
		}
	}
}

// TestHugeBulkNotAllocated announces a bulk just under proto-max-bulk-len,
// sends a little of it and disconnects: the server must stay healthy and
// answer others.
func TestHugeBulkNotAllocated(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for i := 0; i < 20; i++ {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		nc.Write([]byte("*2\r\n$4\r\nECHO\r\n$536870000\r\n" + strings.Repeat("x", 1000)))
		nc.Close()
	}
	c := servertest.Dial(t, addr)
	if got := c.Do("PING"); got != "+PONG\r\n" {
		t.Fatalf("PING after huge bulks: %q", got)
	}
}

// TestQueryBufferLimit closes a client whose pending command outgrows
// client-query-buffer-limit, without a reply, as Redis does.
func TestQueryBufferLimit(t *testing.T) {
	srv, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	if got := c.Do("CONFIG", "SET", "client-query-buffer-limit", "1mb"); got != "+OK\r\n" {
		t.Skipf("CONFIG SET not available yet: %q", got)
	}
	_ = srv
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	go func() {
		nc.Write([]byte("*2\r\n$4\r\nECHO\r\n$10000000\r\n"))
		chunk := bytes.Repeat([]byte("y"), 64*1024)
		for i := 0; i < 40; i++ {
			if _, err := nc.Write(chunk); err != nil {
				return
			}
		}
	}()
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := nc.Read(make([]byte, 64))
	if err == nil || n != 0 {
		t.Fatalf("expected the connection to be closed without a reply, got n=%d err=%v", n, err)
	}
}

// TestUnauthenticatedLimits: before AUTH, Redis refuses big multibulk counts
// and big bulks with dedicated protocol errors.
func TestUnauthenticatedLimits(t *testing.T) {
	cfg := servertestConfig()
	cfg.RequirePass = "secret"
	_, addr := servertest.Start(t, &cfg)
	got := exchange(t, addr, "*11\r\n")
	if want := "-ERR Protocol error: unauthenticated multibulk length\r\n<closed>"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	got = exchange(t, addr, "*1\r\n$16385\r\n")
	if want := "-ERR Protocol error: unauthenticated bulk length\r\n<closed>"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	got = exchange(t, addr, "*1\r\n$4\r\nPING\r\n")
	if want := "-NOAUTH Authentication required.\r\n"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}
