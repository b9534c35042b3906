package commands

import (
	"strings"
	"testing"
	"time"
)

func TestParseClientKill(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		args string
		want clientKillFilter
		err  string
	}{
		{"CLIENT KILL 1.2.3.4:5", clientKillFilter{addr: str("1.2.3.4:5"), oldForm: true}, ""},
		{"CLIENT KILL ID 7", clientKillFilter{id: 7, skipMe: true}, ""},
		{"CLIENT KILL id 7 skipme no", clientKillFilter{id: 7}, ""},
		{"CLIENT KILL TYPE replica", clientKillFilter{typ: str("replica"), skipMe: true}, ""},
		{"CLIENT KILL TYPE slave", clientKillFilter{typ: str("replica"), skipMe: true}, ""},
		{"CLIENT KILL USER default LADDR a:1", clientKillFilter{user: str("default"), laddr: str("a:1"), skipMe: true}, ""},
		{"CLIENT KILL ID 0", clientKillFilter{}, msgClientIDPositive},
		{"CLIENT KILL ID x", clientKillFilter{}, msgClientIDPositive},
		{"CLIENT KILL TYPE x", clientKillFilter{}, "ERR Unknown client type 'x'"},
		{"CLIENT KILL USER bob", clientKillFilter{}, "ERR No such user 'bob'"},
		{"CLIENT KILL SKIPME maybe", clientKillFilter{}, msgSyntax},
		{"CLIENT KILL MAXAGE 3", clientKillFilter{}, msgSyntax},
		{"CLIENT KILL ID 1 TYPE", clientKillFilter{}, msgSyntax},
	}
	for _, tt := range tests {
		f, err := parseClientKill(splitWords(tt.args), func(name string) bool { return name == "default" })
		if tt.err != "" {
			if err == nil || errorText(err) != tt.err {
				t.Errorf("%s: error %v, want %s", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || !sameKillFilter(f, tt.want) {
			t.Errorf("%s: %+v %v, want %+v", tt.args, f, err, tt.want)
		}
	}
}

func sameKillFilter(a, b clientKillFilter) bool {
	eq := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return eq(a.addr, b.addr) && eq(a.laddr, b.laddr) && eq(a.typ, b.typ) && eq(a.user, b.user) &&
		a.id == b.id && a.skipMe == b.skipMe && a.oldForm == b.oldForm
}

func TestParseClientList(t *testing.T) {
	tests := []struct {
		args string
		typ  string
		ids  []int64
		err  string
	}{
		{"CLIENT LIST", "", nil, ""},
		{"CLIENT LIST TYPE normal", "normal", nil, ""},
		{"CLIENT LIST type PUBSUB", "pubsub", nil, ""},
		{"CLIENT LIST ID 3 1 3", "", []int64{3, 1, 3}, ""},
		{"CLIENT LIST ID -1", "", []int64{-1}, ""},
		{"CLIENT LIST ID 1 x", "", nil, msgInvalidClientID},
		{"CLIENT LIST TYPE x", "", nil, "ERR Unknown client type 'x'"},
		{"CLIENT LIST TYPE", "", nil, msgSyntax},
		{"CLIENT LIST ID", "", nil, msgSyntax},
		{"CLIENT LIST TYPE normal ID 1", "", nil, msgSyntax},
	}
	for _, tt := range tests {
		a, err := parseClientList(splitWords(tt.args))
		if tt.err != "" {
			if err == nil || errorText(err) != tt.err {
				t.Errorf("%s: error %v, want %s", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || a.typ != tt.typ || len(a.ids) != len(tt.ids) {
			t.Errorf("%s: %+v %v", tt.args, a, err)
		}
	}
}

func TestClientInfoLine(t *testing.T) {
	env := newIntroEnv(t)
	env.client.Name = "worker"
	env.client.LibName, env.client.LibVer = "go-redis", "9.0"
	env.client.Created = introNow.Add(-5 * time.Second)
	env.client.QueryBufLen, env.client.QueryBufCap = 26, 16384
	env.client.OutputBufCap = 1024
	got := env.do("CLIENT", "INFO")
	want := "id=7 addr=127.0.0.1:50000 laddr=127.0.0.1:6379 fd=9 name=worker age=5 idle=0 flags=N db=0 " +
		"sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=16358 argv-mem=10 multi-mem=0 rbs=1024 rbp=1024 " +
		"obl=0 oll=0 omem=0 tot-mem=17418 events=r cmd=client|info user=default redir=-1 resp=2 " +
		"lib-name=go-redis lib-ver=9.0\n"
	if got != "$"+itoa(int64(len(want)))+"\r\n"+want+"\r\n" {
		t.Errorf("CLIENT INFO:\n got %q\nwant %q", got, want)
	}
	if got := env.doProto(3, "CLIENT", "INFO"); !strings.HasPrefix(got, "=") || !strings.Contains(got, "\r\ntxt:id=7 ") {
		t.Errorf("CLIENT INFO in RESP3 is not verbatim: %q", got)
	}
}

func TestClientListFlagsAndOrder(t *testing.T) {
	env := newIntroEnv(t)
	other := env.addClient(3, "127.0.0.1:40000")
	other.Multi = &MultiState{Queued: [][][]byte{{[]byte("SET"), []byte("k"), []byte("v")}}}
	other.NoEvict = true
	other.LastCmd = "multi"
	sub := env.addClient(5, "127.0.0.1:40001")
	sub.Subscriptions = 2
	got := env.do("CLIENT", "LIST")
	lines := strings.Split(strings.TrimSuffix(got[strings.Index(got, "\r\n")+2:], "\n\r\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "id=3 ") || !strings.HasPrefix(lines[1], "id=5 ") ||
		!strings.HasPrefix(lines[2], "id=7 ") {
		t.Fatalf("CLIENT LIST not by id: %q", got)
	}
	for _, want := range []string{"flags=xe", "multi=1", "multi-mem=5", "cmd=multi", "argv-mem=0", "age=10"} {
		if !strings.Contains(lines[0], " "+want+" ") {
			t.Errorf("line %q lacks %s", lines[0], want)
		}
	}
	if !strings.Contains(lines[1], " flags=P ") || !strings.Contains(lines[1], " sub=2 ") || !strings.Contains(lines[1], " cmd=NULL ") {
		t.Errorf("pubsub client line: %q", lines[1])
	}
	if got := env.do("CLIENT", "LIST", "TYPE", "pubsub"); !strings.Contains(got, "id=5 ") || strings.Contains(got, "id=3 ") {
		t.Errorf("TYPE pubsub: %q", got)
	}
	if got := env.do("CLIENT", "LIST", "TYPE", "normal"); strings.Contains(got, "id=5 ") || !strings.Contains(got, "id=3 ") {
		t.Errorf("TYPE normal: %q", got)
	}
	if got := env.do("CLIENT", "LIST", "ID", "7", "99", "3"); !strings.Contains(got, "\r\nid=7 ") || !strings.Contains(got, "\nid=3 ") ||
		strings.Index(got, "id=7 ") > strings.Index(got, "id=3 ") {
		t.Errorf("ID order: %q", got)
	}
}

func TestClientKill(t *testing.T) {
	env := newIntroEnv(t)
	env.addClient(3, "127.0.0.1:40000")
	env.addClient(4, "127.0.0.1:40001")
	if got := env.do("CLIENT", "KILL", "127.0.0.1:40000"); got != "+OK\r\n" {
		t.Fatalf("old form: %q", got)
	}
	if got := env.do("CLIENT", "KILL", "127.0.0.1:1"); got != "-ERR No such client\r\n" {
		t.Fatalf("old form, no client: %q", got)
	}
	if got := env.do("CLIENT", "KILL", "TYPE", "normal"); got != ":2\r\n" { // 3 (closing) and 4, not self
		t.Fatalf("TYPE normal: %q", got)
	}
	if env.client.Closing {
		t.Fatal("SKIPME yes killed the caller")
	}
	if got := env.do("CLIENT", "KILL", "ID", "7", "SKIPME", "no"); got != ":1\r\n" || !env.client.Closing {
		t.Fatalf("kill self: %q closing=%v", got, env.client.Closing)
	}
}

func TestClientNameAndInfoAttributes(t *testing.T) {
	env := newIntroEnv(t)
	steps := []struct{ args, want string }{
		{"CLIENT GETNAME", "$-1\r\n"},
		{"CLIENT SETNAME w1", "+OK\r\n"},
		{"CLIENT GETNAME", "$2\r\nw1\r\n"},
		{"CLIENT SETINFO lib-name go-redis(x)", "+OK\r\n"},
		{"CLIENT SETINFO LIB-VER 9.7.0", "+OK\r\n"},
		{"CLIENT SETINFO foo x", "-ERR Unrecognized option 'foo'\r\n"},
		{"CLIENT SETINFO LIB-NAME", "-ERR wrong number of arguments for 'client|setinfo' command\r\n"},
		{"CLIENT ID", ":7\r\n"},
		{"CLIENT NO-EVICT on", "+OK\r\n"},
		{"CLIENT NO-EVICT x", "-ERR syntax error\r\n"},
		{"CLIENT REPLY x", "-ERR syntax error\r\n"},
		{"CLIENT PAUSE 10", "-ERR unknown subcommand 'PAUSE'. Try CLIENT HELP.\r\n"},
	}
	for _, s := range steps {
		if got := env.do(strings.Fields(s.args)...); got != s.want {
			t.Errorf("%s = %q, want %q", s.args, got, s.want)
		}
	}
	if got := env.do("CLIENT", "SETINFO", "LIB-VER", "a b"); got != "-ERR LIB-VER cannot contain spaces, newlines or special characters.\r\n" {
		t.Errorf("bad lib-ver: %q", got)
	}
	if env.client.LibName != "go-redis(x)" || env.client.LibVer != "9.7.0" || !env.client.NoEvict {
		t.Errorf("client state: %+v", env.client)
	}
	if got := env.do("CLIENT", "SETNAME", ""); got != "+OK\r\n" || env.client.Name != "" {
		t.Errorf("clearing the name: %q %q", got, env.client.Name)
	}
}

func TestClientReplyModes(t *testing.T) {
	env := newIntroEnv(t)
	if got := env.do("CLIENT", "REPLY", "OFF"); got != "" || env.client.Reply != ReplyOff {
		t.Fatalf("OFF: %q %v", got, env.client.Reply)
	}
	if got := env.do("CLIENT", "REPLY", "SKIP"); got != "" || env.client.Reply != ReplyOff {
		t.Fatalf("SKIP while OFF: %q %v", got, env.client.Reply)
	}
	if got := env.do("CLIENT", "REPLY", "ON"); got != "+OK\r\n" || env.client.Reply != ReplyOn {
		t.Fatalf("ON: %q %v", got, env.client.Reply)
	}
	if got := env.do("CLIENT", "REPLY", "SKIP"); got != "" || env.client.Reply != ReplySkip {
		t.Fatalf("SKIP: %q %v", got, env.client.Reply)
	}
}
