// Package servertest starts Spool servers on loopback ports for tests and
// talks raw RESP to them.
package servertest

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spool-dev/spool/server"
)

// Start runs a server with cfg (DefaultConfig when nil) on a random
// 127.0.0.1 port and stops it when the test ends. It returns the server and
// its address.
func Start(t testing.TB, cfg *server.Config) (*server.Server, string) {
	t.Helper()
	c := server.DefaultConfig()
	if cfg != nil {
		c = *cfg
	}
	if c.Dir == "./data" {
		c.Dir = t.TempDir()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	c.Port = ln.Addr().(*net.TCPAddr).Port
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := server.New(c, log)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	if err := srv.WaitLoaded(); err != nil {
		t.Fatalf("server loading: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return srv, ln.Addr().String()
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Conn is a raw RESP connection for asserting exact reply bytes and types.
type Conn struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

// Dial connects to addr; the connection closes when the test ends.
func Dial(t testing.TB, addr string) *Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { nc.Close() })
	return &Conn{t: t, nc: nc, br: bufio.NewReader(nc)}
}

// NetConn exposes the socket (to close it, or write garbage).
func (c *Conn) NetConn() net.Conn { return c.nc }

// Encode renders args as a RESP array of bulk strings.
func Encode(args ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	return []byte(b.String())
}

// WriteRaw sends bytes as they are.
func (c *Conn) WriteRaw(b []byte) {
	c.t.Helper()
	c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// Do sends a command and returns its reply as raw RESP text.
func (c *Conn) Do(args ...string) string {
	c.t.Helper()
	c.WriteRaw(Encode(args...))
	return c.Read()
}

// Read reads one complete reply and returns its raw RESP text.
func (c *Conn) Read() string {
	c.t.Helper()
	c.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	s, err := ReadReply(c.br)
	if err != nil {
		c.t.Fatalf("read reply: %v", err)
	}
	return s
}

// ReadErr reads one reply, returning the error instead of failing.
func (c *Conn) ReadErr(timeout time.Duration) (string, error) {
	c.nc.SetReadDeadline(time.Now().Add(timeout))
	return ReadReply(c.br)
}

// ReadReply reads one RESP2 or RESP3 reply from br and returns its raw text.
func ReadReply(br *bufio.Reader) (string, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return "", err
	}
	if len(line) < 3 || !strings.HasSuffix(line, "\r\n") {
		return "", fmt.Errorf("malformed line %q", line)
	}
	var b strings.Builder
	b.WriteString(line)
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+', '-', ':', '_', ',', '#', '(':
		return b.String(), nil
	case '$', '=', '!':
		n, err := strconv.Atoi(body)
		if err != nil {
			return "", fmt.Errorf("bad length %q", line)
		}
		if n < 0 {
			return b.String(), nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(br, buf); err != nil {
			return "", err
		}
		b.Write(buf)
		return b.String(), nil
	case '*', '~', '>', '%', '|':
		n, err := strconv.Atoi(body)
		if err != nil {
			return "", fmt.Errorf("bad length %q", line)
		}
		if line[0] == '%' || line[0] == '|' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			s, err := ReadReply(br)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("unknown reply type %q", line)
}
