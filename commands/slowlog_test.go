package commands

import (
	"strings"
	"testing"
)

func TestSlowlogArgs(t *testing.T) {
	long := strings.Repeat("x", 130)
	many := []string{"MGET"}
	for i := 0; i < 40; i++ {
		many = append(many, "k")
	}
	tests := []struct {
		cmd  string
		args []string
		want []string
	}{
		{"get", []string{"GET", "k"}, []string{"GET", "k"}},
		{"echo", []string{"ECHO", long}, []string{"ECHO", strings.Repeat("x", 128) + "... (2 more bytes)"}},
		{"mget", many, append(append([]string{"MGET"}, many[1:31]...), "... (10 more arguments)")},
		{"auth", []string{"AUTH", "user", "pass"}, []string{"AUTH", "(redacted)", "(redacted)"}},
		{"hello", []string{"HELLO", "3", "SETNAME", "auth", "AUTH", "u", "p"}, []string{"HELLO", "3", "SETNAME", "auth", "AUTH", "(redacted)", "(redacted)"}},
		{"config|set", []string{"CONFIG", "SET", "timeout", "1", "requirepass", "secret"}, []string{"CONFIG", "SET", "timeout", "1", "requirepass", "(redacted)"}},
	}
	for _, tt := range tests {
		b := make([][]byte, len(tt.args))
		for i, a := range tt.args {
			b[i] = []byte(a)
		}
		got := slowlogArgs(&Command{Name: tt.cmd}, b)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: got %q\nwant %q", tt.cmd, got, tt.want)
		}
	}
}

func TestSlowLogPushAndTrim(t *testing.T) {
	var l slowLog
	for i := 0; i < 5; i++ {
		l.push(slowlogEntry{duration: int64(i)}, 3)
	}
	if len(l.entries) != 3 || l.entries[0].id != 4 || l.entries[2].id != 2 {
		t.Fatalf("entries after trim: %+v", l.entries)
	}
	l.trim(0)
	l.push(slowlogEntry{}, 3)
	if len(l.entries) != 1 || l.entries[0].id != 5 {
		t.Fatalf("ids restart after reset: %+v", l.entries)
	}
}

func TestSlowlogRecording(t *testing.T) {
	env := newIntroEnv(t)
	env.engine.Settings.SlowlogLogSlowerThan = 0
	env.client.Name = "w"
	env.do("ECHO", "hello")
	got := env.do("SLOWLOG", "GET", "1")
	if !strings.HasPrefix(got, "*1\r\n*6\r\n:0\r\n:"+itoa(introNow.Unix())+"\r\n:") ||
		!strings.HasSuffix(got, "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n$15\r\n127.0.0.1:50000\r\n$1\r\nw\r\n") {
		t.Errorf("SLOWLOG GET 1: %q", got)
	}
	if got := env.do("SLOWLOG", "LEN"); got != ":2\r\n" {
		t.Errorf("SLOWLOG LEN: %q", got)
	}
	env.engine.Settings.SlowlogLogSlowerThan = -1
	env.do("ECHO", "x")
	if got := env.do("SLOWLOG", "LEN"); got != ":3\r\n" { // LEN itself, before -1 took effect, was logged
		t.Errorf("SLOWLOG LEN with the log disabled: %q", got)
	}
	env.engine.Settings.SlowlogLogSlowerThan = 0
	env.engine.Settings.SlowlogMaxLen = 1
	env.do("PING")
	if got := env.do("SLOWLOG", "GET", "-1"); !strings.HasPrefix(got, "*1\r\n") || !strings.Contains(got, "$4\r\nPING\r\n") {
		t.Errorf("max len 1: %q", got)
	}
	env.engine.Settings.SlowlogLogSlowerThan = -1
	if got := env.do("SLOWLOG", "RESET"); got != "+OK\r\n" {
		t.Errorf("RESET: %q", got)
	}
	if got := env.do("SLOWLOG", "GET"); got != "*0\r\n" {
		t.Errorf("after RESET: %q", got)
	}
}

func TestParseSlowlogCount(t *testing.T) {
	tests := []struct {
		args string
		want int64
		err  bool
	}{
		{"SLOWLOG GET", 10, false},
		{"SLOWLOG GET 0", 0, false},
		{"SLOWLOG GET -1", -1, false},
		{"SLOWLOG GET -2", 0, true},
		{"SLOWLOG GET x", 0, true},
	}
	for _, tt := range tests {
		n, err := parseSlowlogCount(splitWords(tt.args))
		if (err != nil) != tt.err || n != tt.want {
			t.Errorf("%s: %d %v", tt.args, n, err)
		}
	}
}
