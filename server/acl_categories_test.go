package server_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/spool-dev/spool/server/servertest"
)

// TestCommandCategoriesMatchRedis requires the ACL categories COMMAND INFO
// reports for every command and subcommand Spool serves to be redis-server's:
// ACL rules such as +@read and -@write select commands by them, so a wrong
// row would let a user run what Redis would refuse (or the reverse).
// Commands Redis 7.0 does not have (Spool's XQ.* and later Redis's) are
// skipped.
func TestCommandCategoriesMatchRedis(t *testing.T) {
	redis := servertest.Dial(t, servertest.StartRedis(t))
	_, addr := servertest.Start(t, nil)
	spool := servertest.Dial(t, addr)
	names := parseBulkArray(t, spool.Do("COMMAND", "LIST"))
	if len(names) < 50 {
		t.Fatalf("COMMAND LIST returned %d names", len(names))
	}
	for _, name := range names {
		want := redis.Do("COMMAND", "INFO", name)
		if want == "*1\r\n*-1\r\n" || want == "*1\r\n$-1\r\n" {
			continue // not a Redis 7.0 command
		}
		got := spool.Do("COMMAND", "INFO", name)
		if wc, gc := ownCategories(t, want), ownCategories(t, got); wc != gc {
			t.Errorf("%s: categories %s, redis-server has %s", name, gc, wc)
		}
	}
}

// ownCategories is element 7 of the one command in a raw RESP2 COMMAND
// INFO reply (its own categories, not its subcommands').
func ownCategories(t *testing.T, reply string) string {
	t.Helper()
	v, rest := parseRESP(reply)
	if rest != "" {
		t.Fatalf("trailing bytes in %q", reply)
	}
	info := v.([]any)[0].([]any)
	var out []string
	for _, c := range info[6].([]any) {
		out = append(out, c.(string))
	}
	return strings.Join(out, " ")
}

// parseRESP decodes one RESP2 value: arrays as []any, everything else as
// its text.
func parseRESP(s string) (any, string) {
	line, rest, _ := strings.Cut(s, "\r\n")
	switch line[0] {
	case '*':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil, rest
		}
		out := make([]any, n)
		for i := range out {
			out[i], rest = parseRESP(rest)
		}
		return out, rest
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil, rest
		}
		return rest[:n], rest[n+2:]
	default:
		return line[1:], rest
	}
}

// parseBulkArray returns the bulk strings of a flat RESP2 array.
func parseBulkArray(t *testing.T, reply string) []string {
	t.Helper()
	lines := strings.Split(reply, "\r\n")
	var out []string
	for i := 1; i+1 < len(lines); i += 2 {
		if !strings.HasPrefix(lines[i], "$") {
			t.Fatalf("not a flat bulk array: %q", reply)
		}
		out = append(out, lines[i+1])
	}
	return out
}
