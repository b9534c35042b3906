package server_test

import (
	"bufio"
	"context"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// monitorLineRe is a MONITOR line as Redis 7.0 writes it.
var monitorLineRe = regexp.MustCompile(`^\+(\d{10,})\.(\d{6}) \[(\d+) ([0-9.]+:\d+)\] (.*)\r\n$`)

// readMonitorLine reads one line from a monitor and splits it into db,
// address and the quoted arguments, checking the time is close to now.
func readMonitorLine(t *testing.T, c *servertest.Conn) (db, addr, args string) {
	t.Helper()
	line := c.Read()
	m := monitorLineRe.FindStringSubmatch(line)
	require.NotNil(t, m, "not a monitor line: %q", line)
	unix, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	require.InDelta(t, time.Now().Unix(), unix, 5)
	return m[3], m[4], m[5]
}

func TestMonitorFormat(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	mon := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", mon.Do("MONITOR"))
	c := servertest.Dial(t, addr)
	clientAddr := c.NetConn().LocalAddr().String()

	require.Equal(t, "+OK\r\n", c.Do("SET", "k", "a b\"c\\\n\x00é"))
	db, from, args := readMonitorLine(t, mon)
	require.Equal(t, "0", db)
	require.Equal(t, clientAddr, from)
	require.Equal(t, `"SET" "k" "a b\"c\\\n\x00\xc3\xa9"`, args)

	require.Equal(t, "+OK\r\n", c.Do("SELECT", "3"))
	db, _, args = readMonitorLine(t, mon)
	require.Equal(t, "3", db, "the db the command left selected")
	require.Equal(t, `"SELECT" "3"`, args)

	c.Do("AUTH", "user", "pass")
	_, _, args = readMonitorLine(t, mon)
	require.Equal(t, `"AUTH" "(redacted)" "(redacted)"`, args)
}

// TestMonitorOwnPipeline checks that a monitor's own pipelined commands
// interleave with their lines exactly as Redis writes them: reply, line,
// reply, line.
func TestMonitorOwnPipeline(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	mon := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", mon.Do("MONITOR"))
	mon.WriteRaw([]byte("PING\r\nECHO x\r\nGET k\r\n"))
	require.Equal(t, "+PONG\r\n", mon.Read())
	_, _, args := readMonitorLine(t, mon)
	require.Equal(t, `"PING"`, args)
	require.Equal(t, "$1\r\nx\r\n", mon.Read())
	_, _, args = readMonitorLine(t, mon)
	require.Equal(t, `"ECHO" "x"`, args)
	require.Equal(t, "-ERR Replica can't interact with the keyspace\r\n", mon.Read())
	// RESET ends monitor mode: the keyspace is reachable again and the
	// RESET itself is not echoed.
	require.Equal(t, "+RESET\r\n", mon.Do("RESET"))
	require.Equal(t, "$-1\r\n", mon.Do("GET", "k"))
}

func TestMonitorClientListAndKill(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	mon := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", mon.Do("MONITOR"))
	c := servertest.Dial(t, addr)
	list := c.Do("CLIENT", "LIST")
	require.Regexp(t, `id=1 .* flags=O .*cmd=monitor `, list)
	// A monitor is a normal client to TYPE filters, as in Redis.
	require.Contains(t, c.Do("CLIENT", "LIST", "TYPE", "normal"), "flags=O")
	require.NotContains(t, c.Do("CLIENT", "LIST", "TYPE", "replica"), "flags=O")
	require.Contains(t, c.Do("INFO", "clients"), "connected_clients:2\r\n")
	_, _, args := readMonitorLine(t, mon) // INFO is not an admin command
	require.Equal(t, `"INFO" "clients"`, args)

	require.Equal(t, ":1\r\n", c.Do("CLIENT", "KILL", "ID", "1"))
	_, err := mon.ReadErr(2 * time.Second)
	require.Error(t, err, "the killed monitor is disconnected")
	// Commands go on without the monitor.
	require.Equal(t, "+OK\r\n", c.Do("SET", "k", "v"))
	require.Eventually(t, func() bool {
		return !strings.Contains(c.Do("CLIENT", "LIST"), "flags=O")
	}, 2*time.Second, 10*time.Millisecond)
}

// TestMonitorTimeout checks that the idle timeout never closes a monitor,
// as Redis never times out replicas.
func TestMonitorTimeout(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "timeout", "1"))
	mon := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", mon.Do("MONITOR"))
	idle := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", idle.Do("PING"))
	time.Sleep(2500 * time.Millisecond)
	_, err := idle.ReadErr(time.Second)
	require.Error(t, err, "an idle normal client times out")
	other := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", other.Do("PING"))
	_, _, args := readMonitorLine(t, mon)
	require.Equal(t, `"PING"`, args)
}

// TestMonitorSlowReader checks that a monitor that stops reading never
// holds up the clients it watches, and is disconnected over the normal
// class's output buffer limit.
func TestMonitorSlowReader(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"))
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	nc.(*net.TCPConn).SetReadBuffer(4096)
	_, err = nc.Write([]byte("MONITOR\r\n"))
	require.NoError(t, err)
	line, err := bufio.NewReader(nc).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "+OK\r\n", line)
	// Never read again. 64 MB of traced commands must not block anyone.
	big := strings.Repeat("x", 64<<10)
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; i < 1024 && time.Now().Before(deadline); i++ {
		require.Equal(t, "+OK\r\n", c.Do("SET", "k", big))
	}
	require.Eventually(t, func() bool {
		return !strings.Contains(c.Do("CLIENT", "LIST"), "flags=O")
	}, 5*time.Second, 20*time.Millisecond, "the monitor over its limit is dropped")
}

// TestMonitorGoRedis drives MONITOR through go-redis's MonitorCmd.
func TestMonitorGoRedis(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	watcher := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer watcher.Close()
	lines := make(chan string, 16)
	mon := watcher.Monitor(ctx, lines)
	mon.Start()
	// Stop takes go-redis's 5 s read timeout, against redis-server too.
	defer mon.Stop()
	require.Equal(t, "OK", <-lines)

	client := redis.NewClient(&redis.Options{Addr: addr, DisableIndentity: true})
	defer client.Close()
	require.NoError(t, client.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-1", Values: []string{"f", "v"}}).Err())
	for {
		select {
		case l := <-lines:
			if strings.Contains(l, `"xadd"`) {
				require.Regexp(t, `^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "xadd" "s" "1-1" "f" "v"$`, l)
				return
			}
		case <-ctx.Done():
			t.Fatal("no monitor line for XADD")
		}
	}
}

// TestMonitorQuit checks that a monitor's QUIT gets its +OK and nothing
// after it, its own line included, as Redis writes nothing more to a
// closing client.
func TestMonitorQuit(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	mon := servertest.Dial(t, addr)
	require.Equal(t, "+OK\r\n", mon.Do("MONITOR"))
	require.Equal(t, "+OK\r\n", mon.Do("QUIT"))
	_, err := mon.ReadErr(2 * time.Second)
	require.Error(t, err)
	c := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", c.Do("PING"))
}
