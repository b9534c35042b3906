package commands

import (
	"strings"
	"testing"
	"time"
)

func TestParseInfoSections(t *testing.T) {
	defaults := "server clients memory persistence stats replication cpu modules errorstats cluster keyspace"
	all := "server clients memory persistence stats replication cpu modules commandstats errorstats latencystats cluster keyspace"
	tests := []struct{ args, want string }{
		{"", defaults},
		{"default", defaults},
		{"ALL", all},
		{"everything", all},
		{"Server CPU", "server cpu"},
		{"commandstats nosuch", "commandstats"},
		{"latencystats", "latencystats"},
		{"nosuch", ""},
		{"cluster default", defaults},
	}
	for _, tt := range tests {
		want := parseInfoSections(splitWords(tt.args))
		var got []string
		for _, s := range infoSections {
			if want[s.name] {
				got = append(got, s.name)
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("INFO %s: sections %v, want %s", tt.args, got, tt.want)
		}
	}
}

func TestBytesToHuman(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "0B"}, {1023, "1023B"}, {1024, "1.00K"}, {1113832, "1.06M"}, {25276510208, "23.54G"},
		{1 << 40, "1.00T"}, {1 << 50, "1.00P"}, {1 << 61, "2305843009213693952B"},
	}
	for _, tt := range tests {
		if got := bytesToHuman(tt.n); got != tt.want {
			t.Errorf("bytesToHuman(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

func TestOpsSampler(t *testing.T) {
	var s opsSampler
	t0 := time.Unix(1000, 0)
	if got := s.perSecond(t0, 0); got != 0 {
		t.Fatalf("no samples: %d", got)
	}
	// 100 commands per 100ms for a second: 1000/s.
	for i := 0; i <= 10; i++ {
		s.sample(t0.Add(time.Duration(i)*100*time.Millisecond), int64(i*100))
		s.sample(t0.Add(time.Duration(i)*100*time.Millisecond+time.Millisecond), int64(i*100)) // too close: ignored
	}
	if got := s.perSecond(t0.Add(time.Second), 1000); got != 1000 {
		t.Errorf("steady rate: %d", got)
	}
	// Idle for a minute: the rate decays to almost nothing.
	if got := s.perSecond(t0.Add(61*time.Second), 1000); got != 0 {
		t.Errorf("idle rate: %d", got)
	}
	// A reset counter never gives a negative rate.
	if got := s.perSecond(t0.Add(2*time.Second), 0); got != 0 {
		t.Errorf("after reset: %d", got)
	}
}

func TestInfoText(t *testing.T) {
	env := newIntroEnv(t)
	env.do("ECHO", "x")
	env.do("NOSUCHCOMMAND")
	env.do("CLIENT", "SETNAME", "a b")
	db := env.engine.Keys.DBs[3]
	db.add("k1", &stringValue{b: []byte("v")}, 0)
	e := db.add("k2", &stringValue{b: []byte("v")}, 0)
	db.setExpire(e, introNow.UnixMilli()+5000)

	got := env.do("INFO")
	body := got[strings.Index(got, "\r\n")+2:]
	for _, want := range []string{
		"# Server\r\nredis_version:" + Version + "\r\nspool_version:9.9.9\r\nredis_git_sha1:00000000\r\n",
		"\r\nredis_build_id:" + buildID + "\r\nredis_mode:standalone\r\n", "\r\nlru_clock:",
		"\r\narch_bits:64\r\n", "\r\nrun_id:" + strings.Repeat("a", 40) + "\r\n", "\r\ntcp_port:6379\r\n",
		"\r\nuptime_in_seconds:90\r\n", "\r\nuptime_in_days:0\r\n",
		"\r\n\r\n# Clients\r\nconnected_clients:1\r\n", "\r\nmaxclients:10000\r\n",
		"\r\n# Memory\r\nused_memory:2048\r\nused_memory_human:2.00K\r\n", "\r\nmaxmemory_policy:noeviction\r\n",
		"\r\n# Persistence\r\nloading:0\r\n",
		"\r\n# Stats\r\n", "\r\ntotal_commands_processed:2\r\n", "\r\ntotal_error_replies:2\r\n",
		"\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n",
		"\r\n# CPU\r\nused_cpu_sys:", "\r\n# Modules\r\n\r\n# Errorstats\r\nerrorstat_ERR:count=2\r\n",
		"\r\n# Cluster\r\ncluster_enabled:0\r\n",
		"\r\n# Keyspace\r\ndb3:keys=2,expires=1,avg_ttl=5000\r\n\r\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("INFO lacks %q", want)
		}
	}
	if strings.Contains(body, "# Commandstats") {
		t.Error("INFO without arguments shows commandstats")
	}
	got = env.do("INFO", "commandstats")
	if !strings.Contains(got, "# Commandstats\r\ncmdstat_client|setname:calls=1,usec=") ||
		!strings.Contains(got, ",rejected_calls=0,failed_calls=1\r\n") ||
		!strings.Contains(got, "\r\ncmdstat_echo:calls=1,") || !strings.Contains(got, "\r\ncmdstat_info:calls=1,") {
		t.Errorf("INFO commandstats: %q", got)
	}
	if got := env.do("INFO", "nosuch"); got != "$0\r\n\r\n" {
		t.Errorf("INFO nosuch: %q", got)
	}
	if got := env.doProto(3, "INFO", "cluster"); got != "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n" {
		t.Errorf("RESP3 INFO: %q", got)
	}
}

func TestInfoSafeName(t *testing.T) {
	if got := infoSafeName("a:b#c\nd\re"); got != "a_b_c_d_e" {
		t.Errorf("infoSafeName = %q", got)
	}
}

func TestLatencyPercentile(t *testing.T) {
	var st commandStat
	if got := latencyPercentile(&st, 50); got != 0 {
		t.Fatalf("empty histogram: %v", got)
	}
	// 98 fast calls (≤1.024µs), one at ≤2.048µs, one slower than the last
	// bucket.
	st.latency[0] = 98
	st.latency[1] = 1
	st.latency[LatencyBuckets] = 1
	for _, tt := range []struct{ p, want float64 }{
		{50, 1.024}, {98, 1.024}, {99, 2.048}, {99.9, float64(LatencyBound(LatencyBuckets)) / 1000},
	} {
		if got := latencyPercentile(&st, tt.p); got != tt.want {
			t.Errorf("p%v = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestMonitorLine(t *testing.T) {
	now := time.Unix(1700000000, 1234000)
	args := [][]byte{[]byte("SET"), []byte("k\"\\"), []byte("\n\r\t\a\b\x00\x7f é~ ")}
	got := monitorLine(now, 3, "127.0.0.1:5000", args, []bool{false, false, true})
	if want := `1700000000.001234 [3 127.0.0.1:5000] "SET" "k\"\\" "(redacted)"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = monitorLine(now, 0, "a:1", args, nil)
	if want := `1700000000.001234 [0 a:1] "SET" "k\"\\" "\n\r\t\a\b\x00\x7f \xc3\xa9~ "`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
