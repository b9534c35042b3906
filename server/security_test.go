package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// listenAndServe runs cfg with ListenAndServe, as cmd/spool does, and stops
// it when the test ends.
func listenAndServe(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	cfg.Dir = t.TempDir()
	srv, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	require.NoError(t, srv.WaitLoaded())
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return srv
}

// dialRetry connects to addr once the listener is up.
func dialRetry(t *testing.T, addr string) *servertest.Conn {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		nc, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			nc.Close()
			return servertest.Dial(t, addr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("dial %s: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestProtectedModeAllowsLoopback binds every interface, as a server
// reachable from the network would, and connects through the loopback
// interface only: protected mode lets such a client in. The refusal of a
// remote client is tested without network traffic in protected_test.go.
func TestProtectedModeAllowsLoopback(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.Bind = []string{"0.0.0.0"}
	cfg.Port = freePort(t)
	listenAndServe(t, cfg)
	c := dialRetry(t, "127.0.0.1:"+strconv.Itoa(cfg.Port))
	require.Equal(t, "+PONG\r\n", c.Do("PING"))
	require.Equal(t, "*2\r\n$14\r\nprotected-mode\r\n$3\r\nyes\r\n", c.Do("CONFIG", "GET", "protected-mode"))
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "protected-mode", "no"))
	require.Equal(t, "*2\r\n$14\r\nprotected-mode\r\n$2\r\nno\r\n", c.Do("CONFIG", "GET", "protected-mode"))
}

func TestACLUsersOverTheWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", admin.Do("ACL", "SETUSER", "worker", "on", ">w0rk", "~jobs:*", "-@all", "+@stream", "+ping", "+client|list"))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Username: "worker", Password: "w0rk"})
	defer rdb.Close()
	require.NoError(t, rdb.Ping(ctx).Err())
	require.NoError(t, rdb.XAdd(ctx, &redis.XAddArgs{Stream: "jobs:a", Values: []string{"f", "v"}}).Err())
	err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: "other", Values: []string{"f", "v"}}).Err()
	require.EqualError(t, err, "NOPERM this user has no permissions to access one of the keys used as arguments")
	err = rdb.Set(ctx, "jobs:x", "v", 0).Err()
	require.EqualError(t, err, "NOPERM this user has no permissions to run the 'set' command")
	list, err := rdb.ClientList(ctx).Result()
	require.NoError(t, err)
	require.Contains(t, list, " user=worker ")

	wrong := redis.NewClient(&redis.Options{Addr: addr, Username: "worker", Password: "nope"})
	defer wrong.Close()
	require.EqualError(t, wrong.Ping(ctx).Err(), "WRONGPASS invalid username-password pair or user is disabled.")

	// CLIENT KILL USER knows the users; deleting a user disconnects it.
	require.Equal(t, "-ERR No such user 'nobody'\r\n", admin.Do("CLIENT", "KILL", "USER", "nobody"))
	raw := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", raw.Do("AUTH", "worker", "w0rk"))
	require.Equal(t, "+OK\r\n", admin.Do("ACL", "DRYRUN", "worker", "XLEN", "jobs:1"))
	require.Equal(t, ":1\r\n", admin.Do("ACL", "DELUSER", "worker"))
	_, err = raw.ReadErr(2 * time.Second)
	require.Error(t, err, "a deleted user's connection is closed")
}

// TestRequirePassIsTheDefaultUser: requirepass sets the default user's
// password; setting it to the value it has keeps what ACL SETUSER did.
func TestRequirePassIsTheDefaultUser(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.RequirePass = "foo"
	_, addr := servertest.Start(t, &cfg)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", c.Do("AUTH", "foo"))
	require.Equal(t, "*1\r\n$93\r\nuser default on #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae ~* &* +@all\r\n", c.Do("ACL", "LIST"))
	require.Equal(t, "+OK\r\n", c.Do("ACL", "SETUSER", "default", ">bar"))
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "requirepass", "foo"))
	other := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", other.Do("AUTH", "bar"))
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "requirepass", ""))
	require.Equal(t, "*1\r\n$34\r\nuser default on nopass ~* &* +@all\r\n", c.Do("ACL", "LIST"))
	fresh := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", fresh.Do("PING"))
}

func TestACLFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.acl")
	require.NoError(t, os.WriteFile(path, []byte("user alice on >p1 ~a* +get\nuser default on nopass ~* &* +@all\n"), 0o644))
	cfg := server.DefaultConfig()
	cfg.ACLFile = path
	_, addr := servertest.Start(t, &cfg)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", c.Do("AUTH", "alice", "p1"))
	require.Equal(t, "$-1\r\n", c.Do("GET", "a1"))
	require.Equal(t, "-NOPERM this user has no permissions to run the 'set' command\r\n", c.Do("SET", "a1", "x"))

	admin := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", admin.Do("ACL", "SETUSER", "bob", "on", "nopass", "+@all", "~*"))
	require.Equal(t, "+OK\r\n", admin.Do("ACL", "SAVE"))
	saved, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "user alice on #f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a ~a* resetchannels -@all +get\n"+
		"user bob on nopass ~* resetchannels +@all\n"+
		"user default on nopass ~* &* +@all\n", string(saved))

	// A broken file changes nothing; a good one replaces every user and
	// disconnects the clients of the previous ones.
	require.NoError(t, os.WriteFile(path, []byte("user carol on nopass +@all\nuser carol off\nbogus\n"), 0o644))
	require.Equal(t, "-ERR WARNING: Duplicate user 'carol' found on line 2. "+path+":3 should start with user keyword followed by the username. "+
		"WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n", admin.Do("ACL", "LOAD"))
	require.Equal(t, "*3\r\n$5\r\nalice\r\n$3\r\nbob\r\n$7\r\ndefault\r\n", admin.Do("ACL", "USERS"))
	require.NoError(t, os.WriteFile(path, []byte("user carol on nopass +@all ~*\n"), 0o644))
	require.Equal(t, "+OK\r\n", admin.Do("ACL", "LOAD"))
	require.Equal(t, "*2\r\n$5\r\ncarol\r\n$7\r\ndefault\r\n", admin.Do("ACL", "USERS"))
	_, err = c.ReadErr(2 * time.Second)
	require.Error(t, err, "alice's connection is closed by ACL LOAD")

	require.NoError(t, os.Remove(path))
	require.Equal(t, "-ERR Error loading ACLs, opening file '"+path+"': No such file or directory\r\n", admin.Do("ACL", "LOAD"))

	// A server whose aclfile cannot be loaded does not start.
	cfg.Dir = t.TempDir()
	_, err = server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.ErrorContains(t, err, "Error loading ACLs, opening file")
}

func TestACLLoadSaveWithoutFile(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	for _, sub := range []string{"LOAD", "SAVE"} {
		require.True(t, strings.HasPrefix(c.Do("ACL", sub), "-ERR This Redis instance is not configured to use an ACL file."))
	}
}

func TestMaxMemory(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", c.Do("SET", "k", "v"))
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "maxmemory", "1"))
	const oom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"
	require.Equal(t, oom, c.Do("SET", "k2", "v"))
	require.Equal(t, oom, c.Do("XADD", "s", "*", "f", "v"))
	require.Equal(t, "$1\r\nv\r\n", c.Do("GET", "k"), "reads go on")
	require.Equal(t, ":1\r\n", c.Do("DEL", "k"), "deletions go on")
	require.Equal(t, "+OK\r\n", c.Do("MULTI"))
	require.Equal(t, oom, c.Do("GET", "k"), "queueing takes memory")
	require.Equal(t, "-EXECABORT Transaction discarded because of previous errors.\r\n", c.Do("EXEC"))
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "maxmemory", "0"))
	require.Equal(t, "+OK\r\n", c.Do("SET", "k2", "v"))

	require.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "+
		"Spool only supports maxmemory-policy noeviction: it never evicts keys, writes get -OOM past maxmemory instead\r\n",
		c.Do("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"))
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "maxmemory-policy", "noeviction"))
	_, err := server.LoadConfig([]string{"--maxmemory-policy", "volatile-lru"})
	require.ErrorContains(t, err, "Spool only supports maxmemory-policy noeviction")
}

func TestMaxClients(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "maxclients", "2"))
	second := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", second.Do("PING"))
	third := servertest.Dial(t, addr)
	got, err := third.ReadErr(2 * time.Second)
	require.NoError(t, err)
	require.Equal(t, "-ERR max number of clients reached\r\n", got)
	_, err = third.ReadErr(2 * time.Second)
	require.ErrorIs(t, err, io.EOF)
	require.Contains(t, c.Do("INFO", "stats"), "rejected_connections:1\r\n")
}

// TestIdleTimeout: an idle client is closed after timeout seconds; a client
// blocked in XREAD is not idle and gets its reply.
func TestIdleTimeout(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", admin.Do("CONFIG", "SET", "timeout", "1"))
	idle := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", idle.Do("PING"))
	blocked := servertest.Dial(t, addr)
	blocked.WriteRaw(servertest.Encode("XREAD", "BLOCK", "2500", "STREAMS", "s", "$"))

	start := time.Now()
	_, err := idle.ReadErr(5 * time.Second)
	require.ErrorIs(t, err, io.EOF)
	require.Less(t, time.Since(start), 3*time.Second)

	got, err := blocked.ReadErr(5 * time.Second)
	require.NoError(t, err)
	require.Equal(t, "*-1\r\n", got)
	require.Equal(t, "+PONG\r\n", blocked.Do("PING"), "the blocked client is still connected")
}

func TestProtoMaxBulkLen(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "proto-max-bulk-len", "1mb"))
	c.WriteRaw([]byte("*2\r\n$4\r\nECHO\r\n$1048577\r\n"))
	got, err := c.ReadErr(2 * time.Second)
	require.NoError(t, err)
	require.Equal(t, "-ERR Protocol error: invalid bulk length\r\n", got)
	_, err = c.ReadErr(2 * time.Second)
	require.ErrorIs(t, err, io.EOF)
}

// TestClientQueryBufferLimit sends a bulk the limit cannot hold: the server
// closes the connection without allocating what the client announced.
func TestClientQueryBufferLimit(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", admin.Do("CONFIG", "SET", "client-query-buffer-limit", "1mb"))
	c := servertest.Dial(t, addr)
	c.WriteRaw([]byte("*2\r\n$4\r\nECHO\r\n$400000000\r\n"))
	chunk := make([]byte, 64<<10)
	for i := 0; i < 64; i++ {
		c.NetConn().SetWriteDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.NetConn().Write(chunk); err != nil {
			break
		}
	}
	_, err := c.ReadErr(2 * time.Second)
	require.Error(t, err)
	require.NotErrorIs(t, err, os.ErrDeadlineExceeded, "the server closed the connection")
	require.Equal(t, "+PONG\r\n", admin.Do("PING"))
}

// TestACLNarrowedChannelsDropSubscribers: when ACL SETUSER takes channels
// away from a user, its pub/sub connections are closed; other connections
// of the user stay.
func TestACLNarrowedChannelsDropSubscribers(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", admin.Do("ACL", "SETUSER", "sub", "on", "nopass", "+@all", "~*", "resetchannels", "&news.*"))
	subscriber := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", subscriber.Do("AUTH", "sub", "x"))
	require.Equal(t, "*3\r\n$9\r\nsubscribe\r\n$6\r\nnews.1\r\n:1\r\n", subscriber.Do("SUBSCRIBE", "news.1"))
	plain := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", plain.Do("AUTH", "sub", "x"))

	// Adding a channel takes nothing away.
	require.Equal(t, "+OK\r\n", admin.Do("ACL", "SETUSER", "sub", "&alerts"))
	require.Equal(t, ":1\r\n", admin.Do("PUBLISH", "news.1", "m"))
	require.Equal(t, "*3\r\n$7\r\nmessage\r\n$6\r\nnews.1\r\n$1\r\nm\r\n", subscriber.Read())

	require.Equal(t, "+OK\r\n", admin.Do("ACL", "SETUSER", "sub", "resetchannels", "&alerts"))
	_, err := subscriber.ReadErr(2 * time.Second)
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, "+PONG\r\n", plain.Do("PING"))
}
