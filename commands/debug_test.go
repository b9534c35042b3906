package commands

import (
	"testing"
	"time"
)

func TestDebugSleepDuration(t *testing.T) {
	tests := []struct {
		arg  string
		want time.Duration
	}{
		{"0", 0},
		{"1", time.Second},
		{"0.25", 250 * time.Millisecond},
		{"1e-2", 10 * time.Millisecond},
		{" 0.5", 500 * time.Millisecond},
		{"0.1xyz", 100 * time.Millisecond},
		{"abc", 0},
		{"-1", 0},
		{"nan", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := debugSleepDuration([]byte(tt.arg)); got != tt.want {
			t.Errorf("debugSleepDuration(%q) = %v, want %v", tt.arg, got, tt.want)
		}
	}
}

func TestDebugAllowed(t *testing.T) {
	tests := []struct {
		setting, addr string
		want          bool
	}{
		{"no", "127.0.0.1:5000", false},
		{"yes", "10.0.0.1:5000", true},
		{"local", "127.0.0.1:5000", true},
		{"local", "[::1]:5000", true},
		{"local", "10.0.0.1:5000", false},
		{"local", "garbage", false},
	}
	for _, tt := range tests {
		if got := debugAllowed(tt.setting, tt.addr); got != tt.want {
			t.Errorf("debugAllowed(%q, %q) = %v", tt.setting, tt.addr, got)
		}
	}
}

func TestDebugCommand(t *testing.T) {
	env := newIntroEnv(t)
	if got := env.do("DEBUG", "SLEEP", "0"); got != "-"+msgDebugNotAllowed+"\r\n" {
		t.Fatalf("DEBUG while disabled: %q", got)
	}
	env.engine.Settings.EnableDebugCommand = "local"
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"DEBUG", "SLEEP", "0"}, "+OK\r\n"},
		{[]string{"DEBUG", "SLEEP"}, "-ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.\r\n"},
		{[]string{"debug", "nosuch"}, "-ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.\r\n"},
		{[]string{"debug", "help"}, "*7\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
			"+RELOAD\r\n+    Save the dataset to a snapshot, flush memory and load it back from disk.\r\n+SLEEP <seconds>\r\n" +
			"+    Stop the server for <seconds>. Decimals allowed.\r\n+HELP\r\n+    Prints this help.\r\n"},
	}
	for _, s := range steps {
		if got := env.do(s.args...); got != s.want {
			t.Errorf("%v = %q, want %q", s.args, got, s.want)
		}
	}
	start := time.Now()
	env.do("DEBUG", "SLEEP", "0.05")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("DEBUG SLEEP 0.05 returned after %v", d)
	}
}
