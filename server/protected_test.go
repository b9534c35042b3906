package server

import (
	"io"
	"log/slog"
	"net"
	"testing"
	"time"
)

func tcpAddr(s string) net.Addr {
	a, err := net.ResolveTCPAddr("tcp", s)
	if err != nil {
		panic(err)
	}
	return a
}

func TestProtectedModeRefuses(t *testing.T) {
	tests := []struct {
		name                   string
		local, remote          string
		protected, defaultOpen bool
		refuse                 bool
	}{
		{"loopback peer", "127.0.0.1:6379", "127.0.0.1:50000", true, true, false},
		{"other loopback address", "0.0.0.0:6379", "127.0.0.2:50000", true, true, false},
		{"ipv6 loopback", "[::1]:6379", "[::1]:50000", true, true, false},
		{"ipv4-mapped loopback", "[::ffff:127.0.0.1]:6379", "[::ffff:127.0.0.1]:50000", true, true, false},
		{"remote peer", "10.0.0.5:6379", "10.0.0.9:50000", true, true, true},
		{"remote ipv6 peer", "[2001:db8::1]:6379", "[2001:db8::2]:50000", true, true, true},
		{"remote peer, protected-mode no", "10.0.0.5:6379", "10.0.0.9:50000", false, true, false},
		{"remote peer, default user has a password", "10.0.0.5:6379", "10.0.0.9:50000", true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := protectedModeRefuses(tcpAddr(tt.local), tcpAddr(tt.remote), tt.protected, tt.defaultOpen)
			if got != tt.refuse {
				t.Errorf("refuse = %v, want %v", got, tt.refuse)
			}
		})
	}
	if protectedModeRefuses(nil, nil, true, true) != true {
		t.Error("a connection of unknown origin is not local")
	}
}

// remoteConn is one end of an in-memory pipe that claims to come from
// another host, so that the refusal is exercised without any traffic
// beyond the process.
type remoteConn struct {
	net.Conn
	local, remote net.Addr
}

func (c remoteConn) LocalAddr() net.Addr  { return c.local }
func (c remoteConn) RemoteAddr() net.Addr { return c.remote }

func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.Dir = t.TempDir()
	s, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WaitLoaded(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestProtectedModeDenied is the refusal a remote client sees: Redis's
// DENIED text, then the connection closes; the rejected_connections
// counter counts it. A password on the default user lifts it.
func TestProtectedModeDenied(t *testing.T) {
	s := newTestServer(t, DefaultConfig())
	admitRemote := func() (bool, string) {
		server, client := net.Pipe()
		defer client.Close()
		nc := remoteConn{Conn: server, local: tcpAddr("192.0.2.1:6379"), remote: tcpAddr("192.0.2.7:40000")}
		result := make(chan bool, 1)
		go func() { result <- s.admit(nc) }()
		client.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, _ := io.ReadAll(client)
		return <-result, string(got)
	}
	admitted, got := admitRemote()
	if admitted || got != msgProtectedMode {
		t.Fatalf("admitted %v, got %q", admitted, got)
	}
	if n := s.rejectedConns.Load(); n != 1 {
		t.Errorf("rejected_connections = %d", n)
	}

	s.mu.Lock()
	s.engine.SetRequirePass("pw")
	s.mu.Unlock()
	server, client := net.Pipe()
	defer client.Close()
	defer server.Close()
	if !s.admit(remoteConn{Conn: server, local: tcpAddr("192.0.2.1:6379"), remote: tcpAddr("192.0.2.7:40000")}) {
		t.Error("with a password set, remote clients are admitted (and must AUTH)")
	}
}
