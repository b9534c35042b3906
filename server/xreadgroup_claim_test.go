package server_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// Wire tests for XREADGROUP ... CLAIM min-idle-time (Redis 8.4), from
// redis.io's XREADGROUP page: idle pending entries first (longest idle
// first), then new entries, within COUNT; with CLAIM on ">" every entry has
// two more elements, the ms since its last delivery and its earlier
// delivery count, as integers (0 0 for a new entry; redis/redis#14524).

// idleMs masks the idle-time element of a claimed entry.
var idleMs = regexp.MustCompile(`:(\d+)\r\n:([1-9])\r\n`)

func maskIdle(s string) string { return idleMs.ReplaceAllString(s, ":IDLE\r\n:$2\r\n") }

func TestXReadGroupClaimWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	for _, id := range []string{"1-0", "2-0", "3-0"} {
		c.Do("XADD", "s", id, "f", id)
	}
	require.Equal(t, "+OK\r\n", c.Do("XGROUP", "CREATE", "s", "g", "0"))
	// alice gets 1-0, then bob 2-0: 1-0 is the longest idle.
	c.Do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">")
	time.Sleep(5 * time.Millisecond)
	c.Do("XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">")

	// Nothing idle for an hour: only the new entry, with "0" "0".
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$3\r\n3-0\r\n:0\r\n:0\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "carol", "CLAIM", "3600000", "STREAMS", "s", ">"))
	// Nothing idle and nothing new: a null array (no BLOCK).
	require.Equal(t, "*-1\r\n", c.Do("XREADGROUP", "GROUP", "g", "carol", "CLAIM", "3600000", "STREAMS", "s", ">"))

	// CLAIM 0 COUNT 2: the two longest idle, 1-0 (alice's) then 2-0 (bob's),
	// each delivered once before.
	time.Sleep(2 * time.Millisecond)
	reply := c.Do("XREADGROUP", "GROUP", "g", "dave", "COUNT", "2", "CLAIM", "0", "NOACK", "STREAMS", "s", ">")
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n"+
		"*4\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$3\r\n1-0\r\n:IDLE\r\n:1\r\n"+
		"*4\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$3\r\n2-0\r\n:IDLE\r\n:1\r\n", maskIdle(reply))
	// NOACK did not apply to claimed entries: dave owns them, delivered twice.
	require.Equal(t, "*2\r\n*4\r\n$3\r\n1-0\r\n$4\r\ndave\r\n:0\r\n:2\r\n*4\r\n$3\r\n2-0\r\n$4\r\ndave\r\n:0\r\n:2\r\n",
		regexp.MustCompile(`:\d+\r\n:2`).ReplaceAllString(c.Do("XPENDING", "s", "g", "-", "+", "2"), ":0\r\n:2"))

	// A history read ignores CLAIM: plain two-element entries.
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$3\r\n1-0\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "dave", "COUNT", "1", "CLAIM", "0", "STREAMS", "s", "0"))

	// A deleted pending entry is dropped from the PEL, not returned.
	c.Do("XDEL", "s", "2-0")
	time.Sleep(2 * time.Millisecond)
	reply = c.Do("XREADGROUP", "GROUP", "g", "erin", "CLAIM", "1", "STREAMS", "s", ">")
	require.Contains(t, maskIdle(reply), "$3\r\n1-0\r\n")
	require.NotContains(t, reply, "2-0")
	require.Equal(t, ":2\r\n", c.Do("XACK", "s", "g", "1-0", "2-0", "3-0"))

	// Errors.
	require.Equal(t, "-ERR value is not an integer or out of range\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "x", "CLAIM", "abc", "STREAMS", "s", ">"))
	require.Equal(t, "-ERR syntax error\r\n", c.Do("XREADGROUP", "GROUP", "g", "x", "COUNT", "1", "CLAIM"))
	require.Equal(t, "-NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "x", "CLAIM", "0", "STREAMS", "nokey", ">"))

	// RESP3: a map of streams; the extra elements are still bulk strings.
	c.Do("XADD", "s", "4-0", "f", "v")
	c.Do("HELLO", "3")
	require.Equal(t, "%1\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n:0\r\n:0\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "frank", "CLAIM", "3600000", "STREAMS", "s", ">"))
}

func TestXReadGroupClaimBlockWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	c.Do("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	// A blocked CLAIM reader is served by a new entry.
	done := make(chan string, 1)
	go func() {
		done <- c.Do("XREADGROUP", "GROUP", "g", "a", "BLOCK", "2000", "CLAIM", "100000", "STREAMS", "s", ">")
	}()
	time.Sleep(50 * time.Millisecond)
	p := servertest.Dial(t, addr)
	p.Do("XADD", "s", "1-0", "f", "v")
	select {
	case r := <-done:
		require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n:0\r\n:0\r\n", r)
	case <-time.After(3 * time.Second):
		t.Fatal("blocked XREADGROUP CLAIM not served")
	}
	// An idle entry is claimed at once, without blocking.
	time.Sleep(3 * time.Millisecond)
	r := p.Do("XREADGROUP", "GROUP", "g", "b", "BLOCK", "1000", "CLAIM", "1", "STREAMS", "s", ">")
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n:IDLE\r\n:1\r\n", maskIdle(r))
}
