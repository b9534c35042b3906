package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// ---------------------------------------------------------------------------
// Differential test against redis-server

// groupGen generates random consumer-group operations over two streams, two
// groups and three consumers. Redis 7.0 (the oracle) and 7.2 (which Spool
// follows) differ in two ways that random sequences would hit:
//
//   - 7.2 creates the consumer of an XREADGROUP, XCLAIM or XAUTOCLAIM that
//     reads or claims nothing, 7.0 does not: every operation that names a
//     consumer is preceded by an XGROUP CREATECONSUMER whose reply is not
//     compared, so that both have the same consumers;
//   - 7.2.7's lag fixes: they matter once entries are deleted or trimmed or
//     entries-read is set by hand. Clean runs do none of that and compare
//     entries-read and lag; dirty runs do and compare everything else.
//
// Idle times differ between the two servers by the time between the
// commands, so they are masked, and minimum idle times are either 0 or far
// beyond any idle time a run produces except for entries claimed with a
// delivery time far in the past (IDLE 2000000000, TIME 1): which entries
// qualify is the same on both servers.
type groupGen struct {
	r     *rand.Rand
	dirty bool
	ms    uint64
	ids   []string // every ID added
}

var groupKeys = []string{"dk0", "dk1"}

func (g *groupGen) key() string      { return groupKeys[g.r.IntN(len(groupKeys))] }
func (g *groupGen) group() string    { return "g" + strconv.Itoa(g.r.IntN(2)) }
func (g *groupGen) consumer() string { return "c" + strconv.Itoa(g.r.IntN(3)) }

// id is an ID that was added (or, now and then, one that never was).
func (g *groupGen) id() string {
	if len(g.ids) == 0 || g.r.IntN(8) == 0 {
		return strconv.FormatUint(g.ms+uint64(g.r.IntN(3)), 10) + "-0"
	}
	return g.ids[max(0, len(g.ids)-1-g.r.IntN(min(len(g.ids), 30)))]
}

func (g *groupGen) minIdle() string { return []string{"0", "0", "1000000000"}[g.r.IntN(3)] }

func (g *groupGen) startID() string {
	switch g.r.IntN(3) {
	case 0:
		return "$"
	case 1:
		return "0"
	}
	return g.id()
}

func (g *groupGen) create(key, group, consumer string) []string {
	return []string{"XGROUP", "CREATECONSUMER", key, group, consumer}
}

// next returns setup commands (replies not compared) and the operation.
func (g *groupGen) next() (setup [][]string, op []string) {
	r := g.r
	key, group, consumer := g.key(), g.group(), g.consumer()
	k := r.IntN(100)
	switch {
	case k < 20:
		g.ms += 1 + uint64(r.IntN(2))
		id := strconv.FormatUint(g.ms, 10) + "-" + strconv.Itoa(r.IntN(2))
		g.ids = append(g.ids, id)
		return nil, []string{"XADD", key, id, "f", id}
	case k < 35:
		op = []string{"XREADGROUP", "GROUP", group, consumer}
		if r.IntN(2) == 0 {
			op = append(op, "COUNT", strconv.Itoa(r.IntN(4)))
		}
		if r.IntN(5) == 0 {
			op = append(op, "NOACK")
		}
		if r.IntN(6) == 0 {
			other := groupKeys[0]
			if key == other {
				other = groupKeys[1]
			}
			return [][]string{g.create(key, group, consumer), g.create(other, group, consumer)},
				append(op, "STREAMS", key, other, ">", ">")
		}
		return [][]string{g.create(key, group, consumer)}, append(op, "STREAMS", key, ">")
	case k < 43:
		op = []string{"XREADGROUP", "GROUP", group, consumer, "COUNT", strconv.Itoa(r.IntN(4)), "STREAMS", key}
		return [][]string{g.create(key, group, consumer)}, append(op, []string{"0", g.id()}[r.IntN(2)])
	case k < 55:
		op = []string{"XACK", key, group}
		for n := 1 + r.IntN(3); n > 0; n-- {
			op = append(op, g.id())
		}
		return nil, op
	case k < 66:
		op = []string{"XCLAIM", key, group, consumer, g.minIdle()}
		for n := 1 + r.IntN(3); n > 0; n-- {
			op = append(op, g.id())
		}
		for _, opt := range [][]string{{"FORCE"}, {"JUSTID"}, {"RETRYCOUNT", strconv.Itoa(r.IntN(6) - 1)},
			{"IDLE", "2000000000"}, {"TIME", "1"}, {"LASTID", g.id()}} {
			if r.IntN(5) == 0 {
				op = append(op, opt...)
			}
		}
		return [][]string{g.create(key, group, consumer)}, op
	case k < 74:
		op = []string{"XAUTOCLAIM", key, group, consumer, g.minIdle(), []string{"0", "-", g.id(), "(" + g.id()}[r.IntN(4)],
			"COUNT", strconv.Itoa(1 + r.IntN(4))}
		if r.IntN(2) == 0 {
			op = append(op, "JUSTID")
		}
		return [][]string{g.create(key, group, consumer)}, op
	case k < 79:
		op = []string{"XGROUP", "CREATE", key, group, g.startID()}
		if r.IntN(2) == 0 {
			op = append(op, "MKSTREAM")
		}
		if g.dirty && r.IntN(3) == 0 {
			op = append(op, "ENTRIESREAD", strconv.Itoa(r.IntN(len(g.ids)+2)-1))
		}
		return nil, op
	case k < 83:
		op = []string{"XGROUP", "SETID", key, group, g.startID()}
		if g.dirty && r.IntN(3) == 0 {
			op = append(op, "ENTRIESREAD", strconv.Itoa(r.IntN(len(g.ids)+2)-1))
		}
		return nil, op
	case k < 84:
		return nil, []string{"XGROUP", "DESTROY", key, group}
	case k < 86:
		return nil, []string{"XGROUP", "DELCONSUMER", key, group, consumer}
	case k < 88:
		return nil, []string{"XGROUP", "CREATECONSUMER", key, group, consumer}
	case k < 91:
		op = []string{"XPENDING", key, group}
		if r.IntN(2) == 0 {
			op = append(op, "IDLE", g.minIdle())
		}
		op = append(op, []string{"-", "(" + g.id(), g.id()}[r.IntN(3)], "+", strconv.Itoa(r.IntN(5)))
		if r.IntN(2) == 0 {
			op = append(op, consumer)
		}
		return nil, op
	}
	if !g.dirty {
		g.ms += 1 + uint64(r.IntN(2))
		id := strconv.FormatUint(g.ms, 10) + "-0"
		g.ids = append(g.ids, id)
		return nil, []string{"XADD", key, id, "f", id}
	}
	switch k % 3 {
	case 0:
		return nil, []string{"XTRIM", key, "MAXLEN", strconv.Itoa(r.IntN(8))}
	case 1:
		return nil, []string{"XTRIM", key, "MINID", g.id()}
	}
	return nil, []string{"XDEL", key, g.id(), g.id()}
}

var (
	groupIdleRe       = regexp.MustCompile(`:\d+\r\n:`) // XPENDING: the idle time before the count
	groupLagRe        = regexp.MustCompile(`(entries-read|lag)\r\n(:-?\d+|\$-1)\r\n`)
	groupConsumerRe   = regexp.MustCompile(`name\r\n\$\d+\r\n([^\r]*)\r\n\$7\r\npending\r\n:(\d+)`)
	groupMaskIdle     = func(s string) string { return groupIdleRe.ReplaceAllString(s, "?:") }
	groupMaskLag      = func(s string) string { return groupLagRe.ReplaceAllString(s, "$1 ?\r\n") }
	groupConsumerList = func(s string) string { return fmt.Sprint(groupConsumerRe.FindAllStringSubmatch(s, -1)) }
)

// TestGroupsDifferential runs long random sequences of group operations
// against redis-server and Spool and compares every reply and, after every
// operation, XPENDING (both forms), XINFO GROUPS and the consumers and
// their pending counts of XINFO CONSUMERS.
func TestGroupsDifferential(t *testing.T) {
	redisAddr := servertest.StartRedis(t)
	_, spoolAddr := servertest.Start(t, nil)
	rc, sc := servertest.Dial(t, redisAddr), servertest.Dial(t, spoolAddr)
	const ops = 400
	for seed := uint64(1); seed <= 8; seed++ {
		dirty := seed%2 == 0
		t.Run(fmt.Sprintf("seed%d/dirty=%v", seed, dirty), func(t *testing.T) {
			rc.Do("FLUSHALL")
			sc.Do("FLUSHALL")
			gen := &groupGen{r: rand.New(rand.NewPCG(seed, 11)), dirty: dirty}
			var history []string
			check := func(what string, mask func(string) string, args ...string) {
				t.Helper()
				want, got := rc.Do(args...), sc.Do(args...)
				if mask != nil {
					want, got = mask(want), mask(got)
				}
				if want != got {
					start := max(0, len(history)-15)
					t.Fatalf("%s %q differs after:\n  %s\nredis: %q\nspool: %q",
						what, args, strings.Join(history[start:], "\n  "), want, got)
				}
			}
			for i := 0; i < ops; i++ {
				setup, op := gen.next()
				for _, s := range setup {
					rc.Do(s...)
					sc.Do(s...)
				}
				history = append(history, strings.Join(op, " "))
				var mask func(string) string
				if op[0] == "XPENDING" {
					mask = groupMaskIdle
				}
				check("reply of", mask, op...)
				for _, key := range groupKeys {
					infoMask := func(s string) string { return s }
					if dirty {
						infoMask = groupMaskLag
					}
					check("state", infoMask, "XINFO", "GROUPS", key)
					for _, group := range []string{"g0", "g1"} {
						check("state", nil, "XPENDING", key, group)
						check("state", groupMaskIdle, "XPENDING", key, group, "-", "+", "1000")
						check("state", groupConsumerList, "XINFO", "CONSUMERS", key, group)
					}
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------
// go-redis

func TestGoRedisGroups(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for name, c := range newClients(t, addr) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			key := "grp:" + name
			require.NoError(t, c.XGroupCreateMkStream(ctx, key, "g", "$").Err())
			err := c.XGroupCreateMkStream(ctx, key, "g", "$").Err()
			require.EqualError(t, err, "BUSYGROUP Consumer Group name already exists")
			require.Equal(t, int64(1), c.XGroupCreateConsumer(ctx, key, "g", "idle").Val())
			err = c.XGroupCreate(ctx, key+":none", "g", "0").Err()
			require.EqualError(t, err, "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.")

			// A blocked XReadGroup is woken by XAdd.
			done := make(chan []redis.XStream, 1)
			go func() {
				res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "alice",
					Streams: []string{key, ">"}, Count: 10, Block: 0}).Result()
				if err != nil {
					t.Errorf("blocking XReadGroup: %v", err)
				}
				done <- res
			}()
			waitBlocked(t, servertest.Dial(t, addr), 1)
			id1, err := c.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: "1-1", Values: []string{"a", "1"}}).Result()
			require.NoError(t, err)
			select {
			case res := <-done:
				require.Equal(t, []redis.XStream{{Stream: key, Messages: []redis.XMessage{{ID: id1, Values: map[string]any{"a": "1"}}}}}, res)
			case <-time.After(5 * time.Second):
				t.Fatal("blocking XReadGroup not woken")
			}
			for i := 2; i <= 4; i++ {
				require.NoError(t, c.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: fmt.Sprintf("%d-1", i), Values: []string{"n", strconv.Itoa(i)}}).Err())
			}
			res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "bob", Streams: []string{key, ">"}, Count: 2}).Result()
			require.NoError(t, err)
			require.Len(t, res[0].Messages, 2)
			_, err = c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "bob", Streams: []string{key, ">"}, Count: 5, Block: 20 * time.Millisecond, NoAck: true}).Result()
			require.NoError(t, err)
			_, err = c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "bob", Streams: []string{key, ">"}, Block: 20 * time.Millisecond}).Result()
			require.ErrorIs(t, err, redis.Nil)
			_, err = c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "nogroup", Consumer: "bob", Streams: []string{key, ">"}}).Result()
			require.EqualError(t, err, fmt.Sprintf("NOGROUP No such key '%s' or consumer group 'nogroup' in XREADGROUP with GROUP option", key))
			hist, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "bob", Streams: []string{key, "0"}}).Result()
			require.NoError(t, err)
			require.Equal(t, []string{"2-1", "3-1"}, groupMessageIDs(hist[0].Messages))

			pending, err := c.XPending(ctx, key, "g").Result()
			require.NoError(t, err)
			require.Equal(t, &redis.XPending{Count: 3, Lower: "1-1", Higher: "3-1",
				Consumers: map[string]int64{"alice": 1, "bob": 2}}, pending)
			ext, err := c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: key, Group: "g", Start: "-", End: "+", Count: 10}).Result()
			require.NoError(t, err)
			require.Len(t, ext, 3)
			require.Equal(t, "bob", ext[1].Consumer)
			require.Equal(t, int64(2), ext[1].RetryCount) // the history read counts as a delivery
			require.Less(t, ext[0].Idle, 5*time.Second)
			ext, err = c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: key, Group: "g", Start: "(1-1", End: "+", Count: 10, Consumer: "bob", Idle: time.Millisecond}).Result()
			require.NoError(t, err)
			for _, p := range ext {
				require.Equal(t, "bob", p.Consumer)
			}

			claimed, err := c.XClaim(ctx, &redis.XClaimArgs{Stream: key, Group: "g", Consumer: "carol", MinIdle: 0, Messages: []string{"1-1", "9-9"}}).Result()
			require.NoError(t, err)
			require.Equal(t, []redis.XMessage{{ID: "1-1", Values: map[string]any{"a": "1"}}}, claimed)
			ids, err := c.XClaimJustID(ctx, &redis.XClaimArgs{Stream: key, Group: "g", Consumer: "carol", MinIdle: time.Hour, Messages: []string{"2-1"}}).Result()
			require.NoError(t, err)
			require.Empty(t, ids)
			auto, next, err := c.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: key, Group: "g", Consumer: "dave", Start: "0", Count: 2}).Result()
			require.NoError(t, err)
			require.Equal(t, []string{"1-1", "2-1"}, groupMessageIDs(auto))
			require.Equal(t, "3-1", next)
			autoIDs, next, err := c.XAutoClaimJustID(ctx, &redis.XAutoClaimArgs{Stream: key, Group: "g", Consumer: "dave", Start: next, Count: 2}).Result()
			require.NoError(t, err)
			require.Equal(t, []string{"3-1"}, autoIDs)
			require.Equal(t, "0-0", next)
			require.Equal(t, int64(2), c.XAck(ctx, key, "g", "1-1", "2-1", "2-1").Val())

			groups, err := c.XInfoGroups(ctx, key).Result()
			require.NoError(t, err)
			require.Equal(t, []redis.XInfoGroup{{Name: "g", Consumers: 5, Pending: 1, LastDeliveredID: "4-1", EntriesRead: 4, Lag: 0}}, groups)
			consumers, err := c.XInfoConsumers(ctx, key, "g").Result()
			require.NoError(t, err)
			require.Equal(t, []string{"alice", "bob", "carol", "dave", "idle"}, groupConsumerNames(consumers))
			require.Equal(t, int64(1), consumers[3].Pending)
			require.Equal(t, time.Duration(-1), consumers[4].Inactive/time.Millisecond, "never active")
			require.GreaterOrEqual(t, consumers[3].Inactive, time.Duration(0))

			full, err := c.XInfoStreamFull(ctx, key, 0).Result()
			require.NoError(t, err)
			require.Len(t, full.Groups, 1)
			fg := full.Groups[0]
			require.Equal(t, "g", fg.Name)
			require.Equal(t, "4-1", fg.LastDeliveredID)
			require.Equal(t, int64(1), fg.PelCount)
			require.Equal(t, "3-1", fg.Pending[0].ID)
			require.Equal(t, "dave", fg.Pending[0].Consumer)
			require.Len(t, fg.Consumers, 5)
			dave := fg.Consumers[3]
			require.Equal(t, "dave", dave.Name)
			require.Equal(t, int64(1), dave.PelCount)
			require.WithinDuration(t, time.Now(), dave.SeenTime, 5*time.Second)
			require.WithinDuration(t, time.Now(), dave.ActiveTime, 5*time.Second)
			require.Equal(t, "3-1", dave.Pending[0].ID)

			require.Equal(t, int64(1), c.XGroupDelConsumer(ctx, key, "g", "dave").Val())
			require.NoError(t, c.XGroupSetID(ctx, key, "g", "0").Err())
			require.Equal(t, int64(1), c.XGroupDestroy(ctx, key, "g").Val())
			require.Equal(t, int64(0), c.XGroupDestroy(ctx, key, "g").Val())
		})
	}
}

func groupMessageIDs(msgs []redis.XMessage) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

func groupConsumerNames(cs []redis.XInfoConsumer) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// ---------------------------------------------------------------------------
// Blocking XREADGROUP (Redis 7.2's behaviour where the 7.0 oracle differs)

// groupBlockedRead starts a blocking XREADGROUP on a new connection and waits
// until the server has parked it.
func groupBlockedRead(t *testing.T, addr string, admin *servertest.Conn, blocked int, args ...string) <-chan string {
	t.Helper()
	c := servertest.Dial(t, addr)
	c.WriteRaw(servertest.Encode(args...))
	waitBlocked(t, admin, blocked)
	return readAsync(c)
}

func groupExpectReply(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	select {
	case got := <-ch:
		require.Equal(t, want, got)
	case <-time.After(3 * time.Second):
		t.Fatalf("no reply, want %q", want)
	}
}

func groupExpectNoReply(t *testing.T, ch <-chan string) {
	t.Helper()
	select {
	case got := <-ch:
		t.Fatalf("unexpected reply %q", got)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestXReadGroupBlockEnds(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	read := func(key string) []string {
		return []string{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", key, ">"}
	}
	noGroup := func(key string) string {
		return "-NOGROUP No such key '" + key + "' or consumer group 'g' in XREADGROUP with GROUP option\r\n"
	}
	for _, tc := range []struct {
		name  string
		end   [][]string
		reply func(key string) string
	}{
		{"DEL", [][]string{{"DEL", "%"}}, noGroup},
		{"DESTROY", [][]string{{"XGROUP", "DESTROY", "%", "g"}}, noGroup},
		{"FLUSHDB", [][]string{{"FLUSHDB"}}, noGroup},
		{"SET", [][]string{{"SET", "%", "x"}}, func(string) string {
			return "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
		}},
		{"recreated without the group", [][]string{{"MULTI"}, {"DEL", "%"}, {"XADD", "%", "1-1", "f", "v"}, {"EXEC"}}, noGroup},
		{"renamed away", [][]string{{"RENAME", "%", "%:moved"}}, noGroup},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "blk:" + strings.ReplaceAll(tc.name, " ", "-")
			require.Equal(t, "+OK\r\n", admin.Do("XGROUP", "CREATE", key, "g", "$", "MKSTREAM"))
			got := groupBlockedRead(t, addr, admin, 1, read(key)...)
			for _, cmd := range tc.end {
				args := make([]string, len(cmd))
				for i, a := range cmd {
					args[i] = strings.ReplaceAll(a, "%", key)
				}
				admin.Do(args...)
			}
			groupExpectReply(t, got, tc.reply(key))
			waitBlocked(t, admin, 0)
		})
	}
}

// A blocked XREADGROUP is served by added entries only, as Redis 7.2 (which
// signals the key on XADD, not on XGROUP SETID or XACK) serves it; an entry
// trimmed away at once leaves it waiting.
func TestXReadGroupBlockServedByAdds(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	admin.Do("XADD", "s", "1-1", "a", "1")
	admin.Do("XGROUP", "CREATE", "s", "g", "$")
	got := groupBlockedRead(t, addr, admin, 1, "XREADGROUP", "GROUP", "g", "c", "COUNT", "5", "BLOCK", "0", "STREAMS", "s", ">")
	require.Equal(t, "+OK\r\n", admin.Do("XGROUP", "SETID", "s", "g", "0"))
	require.Equal(t, ":0\r\n", admin.Do("XACK", "s", "g", "1-1"))
	groupExpectNoReply(t, got)
	require.Equal(t, "$3\r\n2-1\r\n", admin.Do("XADD", "s", "MAXLEN", "1", "2-1", "b", "2"))
	// The group was moved back to 0: the reader gets every entry after it.
	groupExpectReply(t, got, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n")

	got = groupBlockedRead(t, addr, admin, 1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
	admin.Do("XADD", "s", "MAXLEN", "0", "3-1", "c", "3")
	groupExpectNoReply(t, got)
	admin.Do("XADD", "s", "4-1", "d", "4")
	groupExpectReply(t, got, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n")

	// Timeout: a null array (RESP3: null), and the consumer exists (7.2).
	c := servertest.Dial(t, addr)
	c.Do("HELLO", "3")
	require.Equal(t, "_\r\n", c.Do("XREADGROUP", "GROUP", "g", "late", "BLOCK", "30", "STREAMS", "s", ">"))
	require.Equal(t, ":0\r\n", admin.Do("XGROUP", "CREATECONSUMER", "s", "g", "late"))

	// Two streams: a client blocked on both is served by either.
	admin.Do("XGROUP", "CREATE", "t", "g", "$", "MKSTREAM")
	got = groupBlockedRead(t, addr, admin, 1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "t", ">", ">")
	admin.Do("XADD", "t", "1-0", "x", "y")
	groupExpectReply(t, got, "*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n")
}

// Many readers of one group on one stream: each entry goes to exactly one of
// them, and every entry is delivered.
func TestXReadGroupBlockCompetingConsumers(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	admin := servertest.Dial(t, addr)
	admin.Do("XGROUP", "CREATE", "q", "g", "$", "MKSTREAM")
	const readers = 5
	var chans []<-chan string
	for i := 0; i < readers; i++ {
		chans = append(chans, groupBlockedRead(t, addr, admin, i+1,
			"XREADGROUP", "GROUP", "g", "c"+strconv.Itoa(i), "COUNT", "1", "BLOCK", "0", "STREAMS", "q", ">"))
	}
	for i := 1; i <= readers; i++ {
		admin.Do("XADD", "q", strconv.Itoa(i)+"-0", "n", strconv.Itoa(i))
	}
	seen := map[string]bool{}
	for _, ch := range chans {
		select {
		case r := <-ch:
			m := regexp.MustCompile(`\$3\r\n(\d-0)\r\n`).FindStringSubmatch(r)
			require.NotNil(t, m, r)
			require.False(t, seen[m[1]], "entry %s delivered twice", m[1])
			seen[m[1]] = true
		case <-time.After(3 * time.Second):
			t.Fatal("a reader was not served")
		}
	}
	require.True(t, strings.HasPrefix(admin.Do("XPENDING", "q", "g"), "*4\r\n:5\r\n$3\r\n1-0\r\n$3\r\n5-0\r\n*5\r\n"))
}

// ---------------------------------------------------------------------------
// Effects, WATCH, restarts

// TestGroupEffects checks the effects the group commands log: Redis's own
// forms (XCLAIM ... FORCE JUSTID, XGROUP SETID ... ENTRIESREAD, XGROUP
// CREATECONSUMER, XACK) plus XQ.SETTIMES with the consumer's times.
func TestGroupEffects(t *testing.T) {
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
	times := regexp.MustCompile(`\d{13}`)
	clean := func(effs []string) []string {
		for i, e := range effs {
			effs[i] = times.ReplaceAllString(e, "T")
		}
		return effs
	}
	c := servertest.Dial(t, addr)
	c.Do("XADD", "s", "1-1", "a", "1")
	c.Do("XADD", "s", "2-1", "b", "2")
	take()
	c.Do("XGROUP", "CREATE", "s", "g", "$")
	require.Equal(t, []string{"XGROUP CREATE s g 2-1 ENTRIESREAD -1"}, take())
	c.Do("XGROUP", "CREATE", "new", "g", "0", "MKSTREAM", "ENTRIESREAD", "3")
	require.Equal(t, []string{"XGROUP CREATE new g 0-0 MKSTREAM ENTRIESREAD 3"}, take())
	c.Do("XGROUP", "SETID", "s", "g", "0")
	require.Equal(t, []string{"XGROUP SETID s g 0-0 ENTRIESREAD -1"}, take())
	c.Do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">")
	require.Equal(t, []string{
		"XGROUP CREATECONSUMER s g alice",
		"XCLAIM s g alice 0 1-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 2-1",
		"XCLAIM s g alice 0 2-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 2-1",
		"XGROUP SETID s g 2-1 ENTRIESREAD 2",
		"XQ.SETTIMES s g alice T T",
	}, clean(take()))
	// A history read bumps the delivery count; Redis does not log it.
	c.Do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1-1")
	require.Equal(t, []string{"XCLAIM s g alice 0 2-1 TIME T RETRYCOUNT 2 FORCE JUSTID", "XQ.SETTIMES s g alice T T"}, clean(take()))
	c.Do("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">")
	require.Equal(t, []string{"XGROUP CREATECONSUMER s g bob", "XQ.SETTIMES s g bob T -1"}, clean(take()))
	c.Do("XDEL", "s", "1-1")
	take()
	c.Do("XCLAIM", "s", "g", "bob", "0", "1-1", "2-1", "LASTID", "5-0")
	require.Equal(t, []string{
		"XCLAIM s g bob 0 2-1 TIME T RETRYCOUNT 3 FORCE JUSTID LASTID 5-0",
		"XACK s g 1-1",
		"XQ.SETTIMES s g bob T T",
	}, clean(take()))
	c.Do("XCLAIM", "s", "g", "bob", "0", "9-9", "LASTID", "6-0")
	require.Equal(t, []string{"XGROUP SETID s g 6-0 ENTRIESREAD 2", "XQ.SETTIMES s g bob T T"}, clean(take()))
	c.Do("XAUTOCLAIM", "s", "g", "carol", "0", "0", "JUSTID")
	require.Equal(t, []string{
		"XGROUP CREATECONSUMER s g carol",
		"XCLAIM s g carol 0 2-1 TIME T RETRYCOUNT 3 FORCE JUSTID LASTID 6-0",
		"XQ.SETTIMES s g carol T T",
	}, clean(take()))
	c.Do("XACK", "s", "g", "2-1", "7-7")
	require.Equal(t, []string{"XACK s g 2-1 7-7"}, take())
	c.Do("XACK", "s", "g", "2-1")
	c.Do("XPENDING", "s", "g")
	c.Do("XINFO", "GROUPS", "s")
	require.Empty(t, take())
	c.Do("XGROUP", "CREATECONSUMER", "s", "g", "dave")
	require.Equal(t, []string{"XGROUP CREATECONSUMER s g dave", "XQ.SETTIMES s g dave T -1"}, clean(take()))
	c.Do("XGROUP", "DELCONSUMER", "s", "g", "dave")
	c.Do("XGROUP", "DESTROY", "s", "g")
	require.Equal(t, []string{"XGROUP DELCONSUMER s g dave", "XGROUP DESTROY s g"}, take())

	// XQ.SETTIMES is for the log only.
	require.Equal(t, "-ERR XQ.SETTIMES is internal to Spool's log: it is accepted only while effects are replayed\r\n",
		c.Do("XQ.SETTIMES", "s", "g", "alice", "1", "2"))
	require.Empty(t, take())
}

// An XREADGROUP delivery changes the stream: a WATCH on it fails the
// transaction. So does XACK; a read that delivers nothing does not.
func TestGroupChangesTouchWatch(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	a, b := servertest.Dial(t, addr), servertest.Dial(t, addr)
	a.Do("XADD", "w", "1-1", "f", "v")
	a.Do("XGROUP", "CREATE", "w", "g", "0")
	b.Do("XGROUP", "CREATECONSUMER", "w", "g", "c")
	for _, tc := range []struct {
		cmd   []string
		dirty bool
	}{
		{[]string{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "w", ">"}, true},
		{[]string{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "w", ">"}, false},
		{[]string{"XPENDING", "w", "g"}, false},
		{[]string{"XACK", "w", "g", "1-1"}, true},
		{[]string{"XACK", "w", "g", "1-1"}, false},
	} {
		require.Equal(t, "+OK\r\n", a.Do("WATCH", "w"))
		b.Do(tc.cmd...)
		a.Do("MULTI")
		a.Do("PING")
		want := "*1\r\n+PONG\r\n"
		if tc.dirty {
			want = "*-1\r\n"
		}
		require.Equal(t, want, a.Do("EXEC"), "%v", tc.cmd)
	}
}

// TestGroupsSurviveRestart restarts the server on its log: the groups come
// back exactly, consumer and delivery times included.
func TestGroupsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	srv, addr := servertest.Start(t, persistConfig(dir))
	c := servertest.Dial(t, addr)
	for i := 1; i <= 6; i++ {
		c.Do("XADD", "s", strconv.Itoa(i)+"-0", "n", strconv.Itoa(i))
	}
	c.Do("XGROUP", "CREATE", "s", "g", "0")
	c.Do("XGROUP", "CREATE", "s", "h", "$")
	c.Do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">")
	time.Sleep(5 * time.Millisecond)
	c.Do("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "s", ">")
	c.Do("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">")
	time.Sleep(5 * time.Millisecond)
	c.Do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0")
	c.Do("XCLAIM", "s", "g", "carol", "0", "2-0", "RETRYCOUNT", "9", "IDLE", "5000")
	c.Do("XDEL", "s", "3-0")
	c.Do("XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1")
	c.Do("XACK", "s", "g", "5-0")
	c.Do("XGROUP", "CREATECONSUMER", "s", "h", "erin")
	c.Do("XREADGROUP", "GROUP", "h", "erin", "STREAMS", "s", "0")
	want := c.Do("XINFO", "STREAM", "s", "FULL")
	require.Contains(t, want, "carol")
	pending := c.Do("XPENDING", "s", "g", "-", "+", "10")
	srv.Close()

	_, addr = servertest.Start(t, persistConfig(dir))
	c = servertest.Dial(t, addr)
	require.Equal(t, want, c.Do("XINFO", "STREAM", "s", "FULL"))
	require.Equal(t, groupMaskIdle(pending), groupMaskIdle(c.Do("XPENDING", "s", "g", "-", "+", "10")))
}

// ---------------------------------------------------------------------------
// Benchmarks

// BenchmarkXReadGroupAck measures the queue cycle: XREADGROUP COUNT 10
// delivers ten entries, XACK acknowledges them; one op is one cycle, over
// the network in one pipeline, effects logged to the WAL.
func BenchmarkXReadGroupAck(b *testing.B) {
	cfg := server.DefaultConfig()
	cfg.Dir = b.TempDir()
	cfg.AppendFsync = "no"
	_, addr := servertest.Start(b, &cfg)
	c := servertest.Dial(b, addr)
	c.Do("XGROUP", "CREATE", "q", "g", "$", "MKSTREAM")
	ids := make([]string, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var batch []byte
		for j := range ids {
			ids[j] = strconv.Itoa(i+1) + "-" + strconv.Itoa(j)
			batch = append(batch, servertest.Encode("XADD", "q", ids[j], "f", "v")...)
		}
		c.WriteRaw(batch)
		for range ids {
			c.Read()
		}
		b.StartTimer()
		c.WriteRaw(append(servertest.Encode("XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "STREAMS", "q", ">"),
			servertest.Encode(append([]string{"XACK", "q", "g"}, ids...)...)...))
		c.Read()
		if r := c.Read(); r != ":10\r\n" {
			b.Fatalf("XACK: %q", r)
		}
	}
}
