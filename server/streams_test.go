package server_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server/servertest"
)

var blockedClientsRe = regexp.MustCompile(`blocked_clients:(\d+)`)

// waitBlocked polls INFO clients on c until blocked_clients is n.
func waitBlocked(t *testing.T, c *servertest.Conn, n int) {
	t.Helper()
	want := fmt.Sprint(n)
	deadline := time.Now().Add(5 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		m := blockedClientsRe.FindStringSubmatch(c.Do("INFO", "clients"))
		if m != nil {
			got = m[1]
			if got == want {
				return
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("blocked_clients = %s, want %d", got, n)
}

// readAsync reads one reply from c in the background.
func readAsync(c *servertest.Conn) <-chan string {
	ch := make(chan string, 1)
	go func() { ch <- c.Read() }()
	return ch
}

func TestXReadBlockWokenByXAdd(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for _, proto := range []string{"2", "3"} {
		t.Run("resp"+proto, func(t *testing.T) {
			key := "wake" + proto
			reader, writer := servertest.Dial(t, addr), servertest.Dial(t, addr)
			reader.Do("HELLO", proto)
			require.Equal(t, "$3\r\n1-1\r\n", writer.Do("XADD", key, "1-1", "old", "x"))

			reader.WriteRaw(servertest.Encode("XREAD", "BLOCK", "0", "STREAMS", "other", key, "$", "$"))
			waitBlocked(t, writer, 1)
			got := readAsync(reader)
			start := time.Now()
			require.Equal(t, "$3\r\n2-0\r\n", writer.Do("XADD", key, "2-0", "f", "v"))
			var reply string
			select {
			case reply = <-got:
			case <-time.After(2 * time.Second):
				t.Fatal("blocked XREAD not woken by XADD")
			}
			if d := time.Since(start); d > 100*time.Millisecond {
				t.Errorf("woken after %v", d)
			}
			entries := "*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
			want := "*1\r\n*2\r\n$" + fmt.Sprint(len(key)) + "\r\n" + key + "\r\n" + entries
			if proto == "3" {
				want = "%1\r\n$" + fmt.Sprint(len(key)) + "\r\n" + key + "\r\n" + entries
			}
			require.Equal(t, want, reply)
			waitBlocked(t, writer, 0)
			// The connection carries on.
			require.Equal(t, "+PONG\r\n", reader.Do("PING"))
		})
	}
}

func TestXReadBlockTimeout(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for proto, null := range map[string]string{"2": "*-1\r\n", "3": "_\r\n"} {
		t.Run("resp"+proto, func(t *testing.T) {
			c := servertest.Dial(t, addr)
			c.Do("HELLO", proto)
			start := time.Now()
			require.Equal(t, null, c.Do("XREAD", "BLOCK", "150", "STREAMS", "nokey", "$"))
			d := time.Since(start)
			require.GreaterOrEqual(t, d, 150*time.Millisecond)
			require.Less(t, d, 400*time.Millisecond, "timed out late")
		})
	}
}

func TestXReadBlockedClientDisconnects(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	for i := 0; i < 3; i++ {
		c := servertest.Dial(t, addr)
		c.WriteRaw(servertest.Encode("XREAD", "BLOCK", "0", "STREAMS", "gone", "$"))
	}
	waitBlocked(t, admin, 3)
	// Close one of them from our side: the server notices at once.
	c := servertest.Dial(t, addr)
	c.WriteRaw(servertest.Encode("XREAD", "BLOCK", "0", "STREAMS", "gone", "$"))
	waitBlocked(t, admin, 4)
	c.NetConn().Close()
	waitBlocked(t, admin, 3)
	require.Equal(t, 3, strings.Count(clientList(admin), "cmd=xread"), "closed client still listed")
	// The others are still served.
	require.Equal(t, "$3\r\n1-0\r\n", admin.Do("XADD", "gone", "1-0", "f", "v"))
	waitBlocked(t, admin, 0)
}

func clientList(c *servertest.Conn) string {
	reply := c.Do("CLIENT", "LIST")
	var b strings.Builder
	for _, line := range strings.Split(reply, "\n") {
		if strings.Contains(line, "id=") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// A blocked client woken by an XADD that another client sends in the same
// pipeline as other commands, and several clients on one key.
func TestXReadBlockManyClients(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	writer := servertest.Dial(t, addr)
	var replies []<-chan string
	for i := 0; i < 5; i++ {
		c := servertest.Dial(t, addr)
		c.WriteRaw(servertest.Encode("XREAD", "COUNT", "10", "BLOCK", "5000", "STREAMS", "many", "0"))
		replies = append(replies, readAsync(c))
	}
	waitBlocked(t, writer, 5)
	writer.WriteRaw([]byte(string(servertest.Encode("XADD", "many", "1-0", "a", "1")) +
		string(servertest.Encode("XADD", "many", "2-0", "b", "2"))))
	require.Equal(t, "$3\r\n1-0\r\n", writer.Read())
	require.Equal(t, "$3\r\n2-0\r\n", writer.Read())
	for _, ch := range replies {
		select {
		case r := <-ch:
			require.True(t, strings.HasPrefix(r, "*1\r\n*2\r\n$4\r\nmany\r\n"), r)
			require.Contains(t, r, "1-0")
		case <-time.After(2 * time.Second):
			t.Fatal("a blocked client was not served")
		}
	}
}

// "+" (Redis 7.4) reads the last entry, and blocks for a new one only when
// the stream has none.
func TestXReadPlusID(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	c.Do("XADD", "p", "1-0", "a", "1")
	c.Do("XADD", "p", "2-0", "b", "2")
	require.Equal(t, "*1\r\n*2\r\n$1\r\np\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
		c.Do("XREAD", "BLOCK", "0", "STREAMS", "p", "+"))
	c.Do("XADD", "e", "MAXLEN", "0", "5-0", "a", "1")
	reader := servertest.Dial(t, addr)
	reader.WriteRaw(servertest.Encode("XREAD", "BLOCK", "5000", "STREAMS", "e", "+"))
	waitBlocked(t, c, 1)
	got := readAsync(reader)
	c.Do("XADD", "e", "6-0", "x", "y")
	select {
	case r := <-got:
		require.Equal(t, "*1\r\n*2\r\n$1\r\ne\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n", r)
	case <-time.After(2 * time.Second):
		t.Fatal("XREAD + on an empty stream not woken")
	}
}

// Effects of the stream commands: the resolved ID for "*", and exact trims
// in place of approximate or limited ones.
func TestStreamEffects(t *testing.T) {
	srv, addr := servertest.Start(t, nil)
	var mu sync.Mutex
	var effects []string
	srv.SetEffectSink(func(effs []commands.Effect) {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range effs {
			parts := make([]string, len(e.Args))
			for i, a := range e.Args {
				parts[i] = string(a)
			}
			effects = append(effects, strings.Join(parts, " "))
		}
	})
	take := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := effects
		effects = nil
		return out
	}
	c := servertest.Dial(t, addr)
	c.Do("CONFIG", "SET", "stream-node-max-entries", "2")

	idReply := c.Do("XADD", "s", "*", "f", "v")
	id := strings.Split(idReply, "\r\n")[1]
	require.Equal(t, []string{"XADD s " + id + " f v"}, take())
	c.Do("XADD", "s", "NOMKSTREAM", "99999999999999-*", "f", "v")
	require.Equal(t, []string{"XADD s 99999999999999-0 f v"}, take())
	for i := 1; i <= 5; i++ {
		c.Do("XADD", "s", fmt.Sprintf("99999999999999-%d", i), "f", "v")
	}
	take()
	// Nodes of 2: [*, ...-0] [-1 -2] [-3 -4] [-5]. MAXLEN ~ 3 drops two nodes.
	require.Equal(t, ":4\r\n", c.Do("XTRIM", "s", "MAXLEN", "~", "3"))
	require.Equal(t, []string{"XTRIM s MINID = 99999999999999-3"}, take())
	require.Equal(t, ":0\r\n", c.Do("XTRIM", "s", "MAXLEN", "~", "2"))
	require.Empty(t, take())
	require.Equal(t, ":1\r\n", c.Do("XTRIM", "s", "MAXLEN", "=", "2"))
	require.Equal(t, []string{"XTRIM s MAXLEN = 2"}, take())
	c.Do("XADD", "s", "MAXLEN", "~", "0", "LIMIT", "1", "100000000000000-0", "f", "v")
	require.Equal(t, []string{"XADD s MINID = 99999999999999-5 100000000000000-0 f v"}, take())
	c.Do("XADD", "s", "MAXLEN", "~", "0", "100000000000000-1", "f", "v")
	require.Equal(t, []string{"XADD s MINID = 18446744073709551615-18446744073709551615 100000000000000-1 f v"}, take())
	c.Do("XADD", "s", "MINID", "100000000000000-1", "100000000000000-2", "f", "v")
	require.Equal(t, []string{"XADD s MINID = 100000000000000-1 100000000000000-2 f v"}, take())
	require.Equal(t, ":0\r\n", c.Do("XDEL", "s", "1-1"))
	require.Equal(t, "$-1\r\n", c.Do("XADD", "missing", "NOMKSTREAM", "*", "f", "v"))
	require.Empty(t, take())
	require.Equal(t, ":1\r\n", c.Do("XDEL", "s", "100000000000000-2", "1-1"))
	require.Equal(t, "+OK\r\n", c.Do("XSETID", "s", "200000000000000", "ENTRIESADDED", "50"))
	require.Equal(t, []string{"XDEL s 100000000000000-2 1-1", "XSETID s 200000000000000 ENTRIESADDED 50"}, take())
	c.Do("XREAD", "STREAMS", "s", "0")
	c.Do("XRANGE", "s", "-", "+")
	c.Do("XINFO", "STREAM", "s")
	require.Empty(t, take())
}

func TestGoRedisStreams(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for name, c := range newClients(t, addr) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			key := "gr:" + name
			id, err := c.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: "1-1", Values: []string{"a", "1", "b", "2"}}).Result()
			require.NoError(t, err)
			require.Equal(t, "1-1", id)
			auto, err := c.XAdd(ctx, &redis.XAddArgs{Stream: key, MaxLen: 10, Approx: true, Values: map[string]any{"c": "3"}}).Result()
			require.NoError(t, err)
			require.Regexp(t, `^\d+-\d+$`, auto)
			_, err = c.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: "1-0", Values: []string{"x", "y"}}).Result()
			require.EqualError(t, err, "ERR The ID specified in XADD is equal or smaller than the target stream top item")
			none, err := c.XAdd(ctx, &redis.XAddArgs{Stream: key + ":none", NoMkStream: true, Values: []string{"x", "y"}}).Result()
			require.ErrorIs(t, err, redis.Nil)
			require.Empty(t, none)

			require.Equal(t, int64(2), c.XLen(ctx, key).Val())
			msgs, err := c.XRange(ctx, key, "-", "+").Result()
			require.NoError(t, err)
			require.Equal(t, []redis.XMessage{
				{ID: "1-1", Values: map[string]any{"a": "1", "b": "2"}},
				{ID: auto, Values: map[string]any{"c": "3"}},
			}, msgs)
			rev, err := c.XRevRangeN(ctx, key, "+", "-", 1).Result()
			require.NoError(t, err)
			require.Equal(t, auto, rev[0].ID)
			excl, err := c.XRange(ctx, key, "(1-1", "+").Result()
			require.NoError(t, err)
			require.Len(t, excl, 1)

			streams, err := c.XRead(ctx, &redis.XReadArgs{Streams: []string{key, "1-1"}, Count: 5}).Result()
			require.NoError(t, err)
			require.Equal(t, []redis.XStream{{Stream: key, Messages: []redis.XMessage{{ID: auto, Values: map[string]any{"c": "3"}}}}}, streams)
			_, err = c.XRead(ctx, &redis.XReadArgs{Streams: []string{key, "$"}, Block: 50 * time.Millisecond}).Result()
			require.ErrorIs(t, err, redis.Nil)

			done := make(chan []redis.XStream, 1)
			go func() {
				res, err := c.XRead(ctx, &redis.XReadArgs{Streams: []string{key, "$"}, Block: 0}).Result()
				if err != nil {
					t.Errorf("blocking XRead: %v", err)
				}
				done <- res
			}()
			raw := servertest.Dial(t, addr)
			waitBlocked(t, raw, 1)
			woke, err := c.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: []string{"d", "4"}}).Result()
			require.NoError(t, err)
			select {
			case res := <-done:
				require.Equal(t, []redis.XStream{{Stream: key, Messages: []redis.XMessage{{ID: woke, Values: map[string]any{"d": "4"}}}}}, res)
			case <-time.After(5 * time.Second):
				t.Fatal("blocking XRead not woken")
			}

			info, err := c.XInfoStream(ctx, key).Result()
			require.NoError(t, err)
			require.Equal(t, int64(3), info.Length)
			require.Equal(t, int64(1), info.RadixTreeKeys)
			require.Equal(t, woke, info.LastGeneratedID)
			require.Equal(t, int64(3), info.EntriesAdded)
			require.Equal(t, "1-1", info.RecordedFirstEntryID)
			require.Equal(t, "1-1", info.FirstEntry.ID)
			require.Equal(t, woke, info.LastEntry.ID)
			require.Equal(t, int64(0), info.Groups)
			full, err := c.XInfoStreamFull(ctx, key, 2).Result()
			require.NoError(t, err)
			require.Len(t, full.Entries, 2)
			require.Empty(t, full.Groups)

			require.Equal(t, int64(1), c.XDel(ctx, key, "1-1", "9-9").Val())
			require.Equal(t, int64(1), c.XTrimMaxLen(ctx, key, 1).Val())
			require.Equal(t, int64(0), c.XTrimMinIDApprox(ctx, key, "0-1", 0).Val())
			require.Equal(t, int64(1), c.XLen(ctx, key).Val())
			require.Equal(t, "stream", c.Type(ctx, key).Val())
		})
	}
}
