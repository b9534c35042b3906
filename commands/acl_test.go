package commands

import (
	"strings"
	"testing"
)

// The expected descriptions below are redis-server 7.0.15's ACL LIST and
// ACL GETUSER output for the same rules.
func TestACLDescribeUser(t *testing.T) {
	tests := []struct {
		rules string
		want  string
	}{
		{"", "off resetchannels -@all"},
		{"on >p1 ~jobs:* +@read -@write +xadd &news.*",
			"on #f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a ~jobs:* resetchannels &news.* -@all +@read +xadd"},
		{"%R~r:* %W~w:* %RW~rw:* resetchannels +get|x +select|0 -@all +config|get",
			"off %R~r:* %W~w:* ~rw:* resetchannels -@all +config|get"},
		{"reset", "off sanitize-payload resetchannels -@all"},
		{"-@all +select|0 +select|1 +get", "off resetchannels -@all +get +select|0 +select|1"},
		{"+@all -@dangerous -get", "off resetchannels +@all -@dangerous -get"},
		{"(+get ~a*) (+set ~b*)", "off resetchannels -@all (~a* resetchannels -@all +get) (~b* resetchannels -@all +set)"},
		{"on nopass allkeys allchannels allcommands", "on nopass ~* &* +@all"},
		{"%R", "off %R~ resetchannels -@all"},
		{"%wr~a", "off ~a resetchannels -@all"},
		{">x <x #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
			"off #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae resetchannels -@all"},
		{"+@all -config|set", "off resetchannels +@all -config|set"},
		{"-@all +@stream", "off resetchannels -@all +@stream"},
	}
	for _, tt := range tests {
		env := newIntroEnv(t)
		args := append([]string{"ACL", "SETUSER", "u"}, strings.Fields(tt.rules)...)
		if got := env.do(args...); got != "+OK\r\n" {
			t.Fatalf("%s: %q", tt.rules, got)
		}
		a := env.engine.acl()
		if got := a.cmds.describe(a.users["u"]); got != tt.want {
			t.Errorf("rules %q:\n got %q\nwant %q", tt.rules, got, tt.want)
		}
	}
}

func TestACLSetUserErrors(t *testing.T) {
	tests := []struct {
		rule, reason string
	}{
		{"+config|get|x", "Allowing first-arg of a subcommand is not supported"},
		{"foo", "Syntax error"},
		{"+nosuch", "Unknown command or category name in ACL"},
		{"+@nosuch", "Unknown command or category name in ACL"},
		{"<nopw", "The password you are trying to remove from the user does not exist"},
		{"#abc", "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"},
		{"+select|", "Syntax error"},
		{"-select|0", "Unknown command or category name in ACL"},
		{"%X~a", "Syntax error"},
		{"%~a", "Syntax error"},
		{"%RR~a", "Syntax error"},
		{"&a\tb", "Syntax error"},
	}
	for _, tt := range tests {
		env := newIntroEnv(t)
		want := "-ERR Error in ACL SETUSER modifier '" + tt.rule + "': " + tt.reason + "\r\n"
		if got := env.do("ACL", "SETUSER", "u", "on", tt.rule); got != want {
			t.Errorf("%q:\n got %q\nwant %q", tt.rule, got, want)
		}
		if got := env.do("ACL", "GETUSER", "u"); got != "$-1\r\n" {
			t.Errorf("%q: a failed SETUSER created the user: %q", tt.rule, got)
		}
	}
	env := newIntroEnv(t)
	for rules, want := range map[string]string{
		"allkeys ~x":     "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid",
		"allchannels &x": "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid",
	} {
		got := env.do(append([]string{"ACL", "SETUSER", "u"}, strings.Fields(rules)...)...)
		if !strings.Contains(got, want) {
			t.Errorf("%s: %q", rules, got)
		}
	}
}

func TestMergeSelectorArgs(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
		bad  int
	}{
		{[]string{"on", "(+get", "~a*)", "off"}, []string{"on", "(+get ~a*)", "off"}, -1},
		{[]string{"(", "+set", "~b*)"}, []string{"( +set ~b*)"}, -1},
		{[]string{"on", "(+get"}, nil, 1},
		{[]string{"(+get", "(+set", "~a)"}, []string{"(+set ~a)"}, -1},
		{[]string{"(+get)"}, []string{"(+get)"}, -1},
	}
	for _, tt := range tests {
		got, bad := mergeSelectorArgs(tt.in)
		if bad != tt.bad || strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: %q %d, want %q %d", tt.in, got, bad, tt.want, tt.bad)
		}
	}
}

func TestACLCheck(t *testing.T) {
	env := newIntroEnv(t)
	for _, rules := range [][]string{
		{"alice", "on", "~jobs:*", "+@read", "+xadd", "&news.*"},
		{"bob", "on", "%R~r:*", "%W~w:*", "~rw:*", "+@all"},
		{"sel", "on", "-@all", "+select|0", "(+get ~a*)", "(+set ~b*)"},
	} {
		if got := env.do(append([]string{"ACL", "SETUSER"}, rules...)...); got != "+OK\r\n" {
			t.Fatalf("%v: %q", rules, got)
		}
	}
	tests := []struct {
		user, line string
		want       string
	}{
		{"alice", "GET jobs:1", "+OK\r\n"},
		{"alice", "GET other", "$54\r\nThis user has no permissions to access the 'other' key\r\n"},
		{"alice", "SET jobs:1 x", "$53\r\nThis user has no permissions to run the 'set' command\r\n"},
		{"alice", "XADD jobs:s * a 1", "+OK\r\n"},
		{"alice", "XREAD COUNT 1 STREAMS jobs:a other 0 0", "$54\r\nThis user has no permissions to access the 'other' key\r\n"},
		{"alice", "CONFIG GET x", "$60\r\nThis user has no permissions to run the 'config|get' command\r\n"},
		{"bob", "GET r:1", "+OK\r\n"},
		{"bob", "SET r:1 x", "$52\r\nThis user has no permissions to access the 'r:1' key\r\n"},
		{"bob", "SET w:1 x", "+OK\r\n"},
		{"bob", "SET w:1 x GET", "$52\r\nThis user has no permissions to access the 'w:1' key\r\n"},
		{"bob", "SET rw:1 x GET", "+OK\r\n"},
		{"bob", "EXISTS w:1 r:1", "+OK\r\n"}, // RO without ACCESS needs neither
		{"bob", "DEL r:1", "$52\r\nThis user has no permissions to access the 'r:1' key\r\n"},
		{"bob", "MSET rw:a 1 r:b 2", "$52\r\nThis user has no permissions to access the 'r:b' key\r\n"},
		{"sel", "SELECT 0", "+OK\r\n"},
		{"sel", "SELECT 1", "$56\r\nThis user has no permissions to run the 'select' command\r\n"},
		{"sel", "GET a1", "+OK\r\n"},
		{"sel", "SET b1 x", "+OK\r\n"},
		{"sel", "SET a1 x", "$51\r\nThis user has no permissions to access the 'a1' key\r\n"},
		{"sel", "GET b1", "$51\r\nThis user has no permissions to access the 'b1' key\r\n"},
		{"sel", "DEL a1", "$53\r\nThis user has no permissions to run the 'del' command\r\n"},
		{"nobody", "GET a", "-ERR User 'nobody' not found\r\n"},
		{"alice", "NOSUCH a", "-ERR Command 'NOSUCH' not found\r\n"},
		{"alice", "GET", "-ERR wrong number of arguments for 'get' command\r\n"},
		{"alice", "CONFIG NOSUCH", "-ERR Command 'CONFIG' not found\r\n"},
	}
	for _, tt := range tests {
		args := append([]string{"ACL", "DRYRUN", tt.user}, strings.Fields(tt.line)...)
		if got := env.do(args...); got != tt.want {
			t.Errorf("%s %s:\n got %q\nwant %q", tt.user, tt.line, got, tt.want)
		}
	}
	// Channels, checked directly: PUBLISH may not be in the table yet.
	a := env.engine.acl()
	alice := a.users["alice"]
	root := alice.root()
	if !root.channelAllowed("news.x", false) || root.channelAllowed("other", false) {
		t.Error("PUBLISH channel patterns")
	}
	if !root.channelAllowed("news.*", true) || root.channelAllowed("news.1*", true) {
		t.Error("PSUBSCRIBE patterns are compared literally")
	}
}

func TestACLAuthAndLog(t *testing.T) {
	env := newIntroEnv(t)
	env.do("ACL", "SETUSER", "alice", "on", ">p1", "~*", "+@all")
	if got := env.do("AUTH", "alice", "bad"); got != "-"+msgWrongPass+"\r\n" {
		t.Fatalf("AUTH with a wrong password: %q", got)
	}
	if got := env.do("AUTH", "alice", "p1"); got != "+OK\r\n" || env.client.User != "alice" {
		t.Fatalf("AUTH: %q as %q", got, env.client.User)
	}
	if got := env.do("ACL", "WHOAMI"); got != "$5\r\nalice\r\n" {
		t.Errorf("WHOAMI: %q", got)
	}
	env.do("ACL", "SETUSER", "alice", "resetkeys", "~a*")
	env.do("GET", "b")
	env.do("GET", "b")
	log := env.do("ACL", "LOG")
	for _, want := range []string{"*2\r\n", "$5\r\ncount\r\n:2\r\n$6\r\nreason\r\n$3\r\nkey\r\n$7\r\ncontext\r\n$8\r\ntoplevel\r\n$6\r\nobject\r\n$1\r\nb\r\n$8\r\nusername\r\n$5\r\nalice\r\n",
		"$6\r\nreason\r\n$4\r\nauth\r\n", "$6\r\nobject\r\n$4\r\nAUTH\r\n", "cmd=get user=alice"} {
		if !strings.Contains(log, want) {
			t.Errorf("ACL LOG lacks %q:\n%q", want, log)
		}
	}
	if got := env.do("ACL", "LOG", "1"); strings.Count(got, "count") != 1 {
		t.Errorf("ACL LOG 1: %q", got)
	}
	env.do("ACL", "LOG", "RESET")
	if got := env.do("ACL", "LOG"); got != "*0\r\n" {
		t.Errorf("after RESET: %q", got)
	}
	// Deleting the user drops its clients back to an unauthenticated
	// default user and closes them.
	if got := env.do("ACL", "DELUSER", "alice", "nobody"); got != ":1\r\n" {
		t.Errorf("DELUSER: %q", got)
	}
	if env.client.User != "default" || env.client.Authed || !env.client.Closing {
		t.Errorf("client after DELUSER: user %q authed %v closing %v", env.client.User, env.client.Authed, env.client.Closing)
	}
}

func TestACLRequirePass(t *testing.T) {
	env := newIntroEnv(t)
	e := env.engine
	if !e.DefaultAuth() || e.AuthRequired(&Client{}) {
		t.Fatal("a fresh engine lets everyone in")
	}
	e.SetRequirePass("foo")
	a := e.acl()
	if got := a.cmds.describe(a.defaultUser); got != "on #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae ~* &* +@all" {
		t.Errorf("requirepass foo: %q", got)
	}
	if e.DefaultAuth() || !e.AuthRequired(&Client{}) || e.AuthRequired(&Client{Authed: true}) {
		t.Error("with a password, clients must authenticate")
	}
	e.SetRequirePass("")
	if got := a.cmds.describe(a.defaultUser); got != "on nopass ~* &* +@all" {
		t.Errorf("requirepass \"\": %q", got)
	}
}

func TestParseACLFile(t *testing.T) {
	env := newIntroEnv(t)
	a := env.engine.acl()
	users, err := a.parseACLFile("users.acl", "user alice on  >p1 ~a* +get\r\n\nuser default on nopass ~* &* +@all\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.cmds.describe(users["alice"]); got != "on #f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a ~a* resetchannels -@all +get" {
		t.Errorf("alice: %q", got)
	}
	if len(users) != 2 {
		t.Errorf("users: %v", users)
	}
	_, err = a.parseACLFile("users.acl", "# comment\nuser bob foo\nuser bob on\nuser\n")
	want := "users.acl:1 should start with user keyword followed by the username. " +
		"users.acl:2: Syntax error. " +
		"WARNING: Duplicate user 'bob' found on line 3. " +
		"users.acl:4 should start with user keyword followed by the username. " +
		"WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n got %v\nwant %s", err, want)
	}
}

func TestACLCat(t *testing.T) {
	env := newIntroEnv(t)
	got := env.do("ACL", "CAT", "stream")
	for _, name := range []string{"xadd", "xrange", "xinfo|stream"} {
		if !strings.Contains(got, "\r\n"+name+"\r\n") {
			t.Errorf("ACL CAT stream lacks %s: %q", name, got)
		}
	}
	if strings.Contains(got, "\r\nget\r\n") {
		t.Errorf("ACL CAT stream lists get: %q", got)
	}
	if got := env.do("ACL", "CAT", "nosuch"); got != "-ERR Unknown category 'nosuch'\r\n" {
		t.Errorf("unknown category: %q", got)
	}
}
