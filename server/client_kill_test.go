package server_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// killScene is a set of named connections to one server: "normal", a
// subscriber "pubsub", a "monitor", "alice" authenticated as an ACL user,
// and "killer", which runs CLIENT KILL.
type killScene struct {
	t     *testing.T
	addr  string
	conns map[string]*servertest.Conn
	ids   map[string]string
	addrs map[string]string
}

var clientListLine = regexp.MustCompile(`id=(\d+) addr=(\S+) laddr=(\S+) fd=\S+ name=(\S*)`)

func newKillScene(t *testing.T, addr string) *killScene {
	s := &killScene{t: t, addr: addr, conns: map[string]*servertest.Conn{},
		ids: map[string]string{}, addrs: map[string]string{}}
	for _, name := range []string{"normal", "pubsub", "monitor", "alice", "killer"} {
		c := servertest.Dial(t, addr)
		require.Equal(t, "+OK\r\n", c.Do("CLIENT", "SETNAME", name))
		s.conns[name] = c
	}
	require.Equal(t, "+OK\r\n", s.conns["killer"].Do("ACL", "SETUSER", "alice", "on", ">pw", "+@all", "~*", "&*"))
	require.Equal(t, "+OK\r\n", s.conns["alice"].Do("AUTH", "alice", "pw"))
	require.Equal(t, "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", s.conns["pubsub"].Do("SUBSCRIBE", "ch"))
	require.Equal(t, "+OK\r\n", s.conns["monitor"].Do("MONITOR"))
	for _, m := range clientListLine.FindAllStringSubmatch(s.conns["killer"].Do("CLIENT", "LIST"), -1) {
		s.ids[m[4]], s.addrs[m[4]] = m[1], m[2]
		s.addrs["server"] = m[3]
	}
	return s
}

// alive lists the named connections the server still has, waiting a
// little for the killed ones to go (Spool closes them from their own
// goroutines).
func (s *killScene) alive(via *servertest.Conn) []string {
	var names []string
	deadline := time.Now().Add(2 * time.Second)
	for {
		names = names[:0]
		closing := false
		for _, m := range regexp.MustCompile(`name=(\S*) .*? flags=(\S+)`).FindAllStringSubmatch(via.Do("CLIENT", "LIST"), -1) {
			if strings.Contains(m[2], "c") {
				closing = true
			}
			if m[1] != "" {
				names = append(names, m[1])
			}
		}
		if !closing || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	sort.Strings(names)
	return names
}

// TestClientKillFilters runs every CLIENT KILL filter of Redis 7.0, alone
// and combined, against redis-server and Spool, and requires the same
// reply and the same surviving connections.
func TestClientKillFilters(t *testing.T) {
	redisAddr := servertest.StartRedis(t)
	_, spoolAddr := servertest.Start(t, nil)
	cases := []struct {
		name string
		args func(s *killScene) []string
		self bool // the killer is among the killed
		// What both servers answer and which connections survive (a
		// killer that killed itself looks on from a fresh connection).
		reply, survivors string
	}{
		{"old form", func(s *killScene) []string { return []string{s.addrs["normal"]} }, false, "+OK\r\n", "alice,killer,monitor,pubsub"},
		{"old form unknown", func(s *killScene) []string { return []string{"10.0.0.1:1"} }, false, "-ERR No such client\r\n", "alice,killer,monitor,normal,pubsub"},
		{"old form self", func(s *killScene) []string { return []string{s.addrs["killer"]} }, true, "+OK\r\n", "alice,monitor,normal,pubsub"},
		{"id", func(s *killScene) []string { return []string{"ID", s.ids["pubsub"]} }, false, ":1\r\n", "alice,killer,monitor,normal"},
		{"id self skipped", func(s *killScene) []string { return []string{"ID", s.ids["killer"]} }, false, ":0\r\n", "alice,killer,monitor,normal,pubsub"},
		{"id self skipme no", func(s *killScene) []string { return []string{"ID", s.ids["killer"], "SKIPME", "no"} }, true, ":1\r\n", "alice,monitor,normal,pubsub"},
		{"type normal", func(s *killScene) []string { return []string{"TYPE", "normal"} }, false, ":3\r\n", "killer,pubsub"},
		{"type pubsub", func(s *killScene) []string { return []string{"TYPE", "pubsub"} }, false, ":1\r\n", "alice,killer,monitor,normal"},
		{"type replica", func(s *killScene) []string { return []string{"TYPE", "replica"} }, false, ":0\r\n", "alice,killer,monitor,normal,pubsub"},
		{"type slave", func(s *killScene) []string { return []string{"TYPE", "SLAVE"} }, false, ":0\r\n", "alice,killer,monitor,normal,pubsub"},
		{"type master", func(s *killScene) []string { return []string{"TYPE", "master"} }, false, ":0\r\n", "alice,killer,monitor,normal,pubsub"},
		{"user", func(s *killScene) []string { return []string{"USER", "alice"} }, false, ":1\r\n", "killer,monitor,normal,pubsub"},
		{"user default", func(s *killScene) []string { return []string{"user", "default"} }, false, ":3\r\n", "alice,killer"},
		{"addr", func(s *killScene) []string { return []string{"ADDR", s.addrs["monitor"]} }, false, ":1\r\n", "alice,killer,normal,pubsub"},
		{"addr unknown", func(s *killScene) []string { return []string{"ADDR", "10.0.0.1:1"} }, false, ":0\r\n", "alice,killer,monitor,normal,pubsub"},
		{"laddr", func(s *killScene) []string { return []string{"LADDR", s.addrs["server"]} }, false, ":4\r\n", "killer"},
		{"laddr skipme no", func(s *killScene) []string { return []string{"LADDR", s.addrs["server"], "SKIPME", "no"} }, true, ":5\r\n", ""},
		{"type and user", func(s *killScene) []string { return []string{"TYPE", "normal", "USER", "alice"} }, false, ":1\r\n", "killer,monitor,normal,pubsub"},
		{"id and type mismatch", func(s *killScene) []string { return []string{"ID", s.ids["normal"], "TYPE", "pubsub"} }, false, ":0\r\n", "alice,killer,monitor,normal,pubsub"},
		{"addr and laddr", func(s *killScene) []string {
			return []string{"ADDR", s.addrs["normal"], "LADDR", s.addrs["server"], "SKIPME", "yes"}
		}, false, ":1\r\n", "alice,killer,monitor,pubsub"},
		{"later filter wins", func(s *killScene) []string { return []string{"ID", s.ids["normal"], "ID", s.ids["alice"]} }, false, ":1\r\n", "killer,monitor,normal,pubsub"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var replies, survivors [2]string
			for i, addr := range []string{redisAddr, spoolAddr} {
				s := newKillScene(t, addr)
				args := append([]string{"CLIENT", "KILL"}, tc.args(s)...)
				replies[i] = s.conns["killer"].Do(args...)
				via := s.conns["killer"]
				if tc.self {
					_, err := via.ReadErr(2 * time.Second)
					require.Error(t, err, "the killer closes after its reply")
					via = servertest.Dial(t, addr)
				}
				survivors[i] = strings.Join(s.alive(via), ",")
				// Leave the next case a clean server.
				via.Do("CLIENT", "KILL", "LADDR", s.addrs["server"], "SKIPME", "yes")
				via.Do("ACL", "DELUSER", "alice")
			}
			require.Equal(t, [2]string{tc.reply, tc.reply}, replies, "reply (redis, spool)")
			require.Equal(t, [2]string{tc.survivors, tc.survivors}, survivors, "surviving connections (redis, spool)")
		})
	}
}
