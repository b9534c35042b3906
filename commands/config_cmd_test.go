package commands

import (
	"strings"
	"testing"
)

func TestParseConfigSet(t *testing.T) {
	tests := []struct {
		args string
		want [][2]string
		err  bool
	}{
		{"CONFIG SET a 1", [][2]string{{"a", "1"}}, false},
		{"CONFIG SET a 1 B 2", [][2]string{{"a", "1"}, {"B", "2"}}, false},
		{"CONFIG SET a 1 b", nil, true},
	}
	for _, tt := range tests {
		got, err := parseConfigSet(splitWords(tt.args))
		if (err != nil) != tt.err || len(got) != len(tt.want) {
			t.Errorf("%s: %v %v", tt.args, got, err)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: pair %d = %v, want %v", tt.args, i, got[i], tt.want[i])
			}
		}
	}
}

func TestConfigCommands(t *testing.T) {
	env := newIntroEnv(t)
	steps := []struct{ args, want string }{
		{"CONFIG GET maxclients", "*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n"},
		{"CONFIG GET nosuch", "*0\r\n"},
		{"CONFIG SET timeout 5", "+OK\r\n"},
		{"CONFIG GET timeout", "*2\r\n$7\r\ntimeout\r\n$1\r\n5\r\n"},
		{"CONFIG SET nosuch 1", "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"},
		{"CONFIG SET timeout 1 maxclients", "-ERR syntax error\r\n"},
		{"CONFIG SET timeout", "-ERR wrong number of arguments for 'config|set' command\r\n"},
		{"CONFIG GET", "-ERR wrong number of arguments for 'config|get' command\r\n"},
		{"CONFIG RESETSTAT", "+OK\r\n"},
		{"CONFIG REWRITE", "-ERR The server is running without a config file\r\n"},
	}
	for _, s := range steps {
		if got := env.do(strings.Fields(s.args)...); got != s.want {
			t.Errorf("%s = %q, want %q", s.args, got, s.want)
		}
	}
	if env.host.reset != 1 {
		t.Errorf("RESETSTAT reached the host %d times", env.host.reset)
	}
	if got := env.doProto(3, "CONFIG", "GET", "maxclients"); got != "%1\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n" {
		t.Errorf("RESP3 CONFIG GET: %q", got)
	}
}
