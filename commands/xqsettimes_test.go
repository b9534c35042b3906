package commands

import (
	"strings"
	"testing"
	"time"

	"github.com/spool-dev/spool/streams"
)

// XQ.SETTIMES sets a consumer's times on replay only; against data that
// does not match, the replay fails.
func TestXQSetTimes(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	eng := NewEngine(16, nil, func() time.Time { return now })
	client := NewClient(1, "t:1", "t:0", now, true)
	run := func(args ...string) string {
		out := &respText{proto: 2}
		b := make([][]byte, len(args))
		for i, a := range args {
			b[i] = []byte(a)
		}
		eng.Execute(eng.NewContext(client, out, b))
		return out.b.String()
	}
	replay := func(args ...string) error {
		b := make([][]byte, len(args))
		for i, a := range args {
			b[i] = []byte(a)
		}
		return eng.Replay(NewClient(2, "replay", "replay", now, true), Effect{Args: b})
	}
	run("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	run("XGROUP", "CREATECONSUMER", "s", "g", "c")

	if got := run("XQ.SETTIMES", "s", "g", "c", "5", "6"); !strings.HasPrefix(got, "-"+msgXQSetTimesNotReplay) {
		t.Fatalf("from a client: %q", got)
	}
	if err := replay("XQ.SETTIMES", "s", "g", "c", "5", "6"); err != nil {
		t.Fatal(err)
	}
	c := eng.Keys.DBs[0].peek("s").value.(*streams.Stream).Group("g").Consumer("c")
	if c.SeenTime() != 5 || c.ActiveTime() != 6 {
		t.Fatalf("times %d %d", c.SeenTime(), c.ActiveTime())
	}
	for _, bad := range [][]string{
		{"XQ.SETTIMES", "nokey", "g", "c", "1", "1"},
		{"XQ.SETTIMES", "s", "nogroup", "c", "1", "1"},
		{"XQ.SETTIMES", "s", "g", "nobody", "1", "1"},
		{"XQ.SETTIMES", "s", "g", "c", "x", "1"},
		{"XQ.SETTIMES", "s", "g", "c", "1", "x"},
	} {
		if err := replay(bad...); err == nil {
			t.Errorf("%q replayed", bad)
		}
	}
}
