package commands

import (
	"errors"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseMemoryUsage(t *testing.T) {
	cases := []struct {
		args    string
		samples int
		err     error
	}{
		{"", memoryUsageDefaultSamples, nil},
		{"SAMPLES 10", 10, nil},
		{"samples 0", math.MaxInt, nil},
		{"SAMPLES 3 samples 7", 7, nil}, // the last one wins
		{"SAMPLES 99999999999", math.MaxInt, nil},
		{"SAMPLES", 0, ErrSyntax},
		{"SAMPLES -1", 0, ErrSyntax},
		{"SAMPLES x", 0, ErrNotInt},
		{"SAMPLES 1.5", 0, ErrNotInt},
		{"SAMPLES 99999999999999999999", 0, ErrNotInt},
		{"COUNT 5", 0, ErrSyntax},
		{"SAMPLES 5 extra", 0, ErrSyntax},
	}
	for _, c := range cases {
		args := [][]byte{[]byte("memory"), []byte("usage"), []byte("k")}
		for _, w := range strings.Fields(c.args) {
			args = append(args, []byte(w))
		}
		samples, err := parseMemoryUsage(args)
		if !errors.Is(err, c.err) || (err == nil && samples != c.samples) {
			t.Errorf("%q: got %d, %v; want %d, %v", c.args, samples, err, c.samples, c.err)
		}
	}
}

func TestMemoryUsageReplies(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.expect("$-1\r\n", "MEMORY", "USAGE", "nokey")
	env.expect("-ERR syntax error\r\n", "MEMORY", "USAGE", "nokey", "SAMPLES")
	env.client.Proto = 3
	env.expect("_\r\n", "MEMORY", "USAGE", "nokey")
	env.client.Proto = 2

	// A key past its TTL still has a size, as in Redis: MEMORY USAGE
	// neither expires it nor counts a keyspace miss.
	env.do("SET", "k", "v", "PX", "10")
	env.now = env.now.Add(time.Second)
	if got := env.do("MEMORY", "USAGE", "k"); !strings.HasPrefix(got, ":") {
		t.Fatalf("expired key: %q", got)
	}
	if env.eng.Keys.DBs[0].Len() != 1 || env.eng.stats.keyspaceMisses != 0 {
		t.Fatal("MEMORY USAGE expired the key or counted a miss")
	}
	// A TTL costs a slot in the volatile slice.
	env.do("SET", "p", "v")
	if withTTL, without := usageOf(t, env, "k"), usageOf(t, env, "p"); withTTL != without+ptrSize {
		t.Errorf("TTL: %d, without %d", withTTL, without)
	}
	// Longer keys and values cost more, by Go's size classes.
	env.do("SET", "long", strings.Repeat("x", 100))
	if usageOf(t, env, "long") <= usageOf(t, env, "p") {
		t.Error("a longer string does not cost more")
	}
}

func usageOf(t *testing.T, env *keyspaceEnv, key string, extra ...string) int {
	t.Helper()
	got := env.do(append([]string{"MEMORY", "USAGE", key}, extra...)...)
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(got, ":"), "\r\n"))
	if err != nil {
		t.Fatalf("MEMORY USAGE %s: %q", key, got)
	}
	return n
}

// The estimate must follow what the Go heap really holds for each type:
// the heap growth that building a value causes, measured after a full
// collection, within 20%.
func TestMemoryUsageMatchesHeapGrowth(t *testing.T) {
	if testing.Short() {
		t.Skip("builds large values")
	}
	const n = 50000
	fills := map[string]func(env *keyspaceEnv, i int){
		"string": func(env *keyspaceEnv, i int) {
			if i == 0 {
				env.do("SET", "k", strings.Repeat("v", 4<<20))
			}
		},
		"stream f v": func(env *keyspaceEnv, i int) { env.do("XADD", "k", "*", "f", "v") },
		"stream 3 fields": func(env *keyspaceEnv, i int) {
			v := strings.Repeat("x", 31)
			env.do("XADD", "k", "*", "f1", v, "f2", v, "f3", v)
		},
		"stream with PEL": func(env *keyspaceEnv, i int) {
			env.do("XADD", "k", "*", "f", "v")
			if i == 0 {
				env.do("XGROUP", "CREATE", "k", "g", "0")
			}
			if i%100 == 99 {
				env.do("XREADGROUP", "GROUP", "g", "c"+strconv.Itoa(i%7), "COUNT", "100", "STREAMS", "k", ">")
			}
		},
		"list": func(env *keyspaceEnv, i int) { env.do("RPUSH", "k", "element-"+strconv.Itoa(i)) },
		"hash": func(env *keyspaceEnv, i int) { env.do("HSET", "k", "field-"+strconv.Itoa(i), "value") },
		"set":  func(env *keyspaceEnv, i int) { env.do("SADD", "k", "member-"+strconv.Itoa(i)) },
		"zset": func(env *keyspaceEnv, i int) { env.do("ZADD", "k", strconv.Itoa(i), "member-"+strconv.Itoa(i)) },
	}
	for name, fill := range fills {
		t.Run(name, func(t *testing.T) {
			env := newKeyspaceEnv(t)
			env.do("SET", "warm", "up") // the DB's map and slices exist
			before := liveHeap()
			for i := 0; i < n; i++ {
				fill(env, i)
				// The test harness's own records of the command.
				env.effects, env.signaled = env.effects[:0], env.signaled[:0]
			}
			env.effects, env.signaled = nil, nil
			grown := liveHeap() - before
			estimate := usageOf(t, env, "k", "SAMPLES", "0")
			sampledEstimate := usageOf(t, env, "k")
			t.Logf("heap growth %d, estimate %d (default samples %d)", grown, estimate, sampledEstimate)
			if ratio := float64(estimate) / float64(grown); ratio < 0.8 || ratio > 1.2 {
				t.Errorf("estimate %d is %.2f times the heap growth %d", estimate, ratio, grown)
			}
			if ratio := float64(sampledEstimate) / float64(estimate); ratio < 0.7 || ratio > 1.3 {
				t.Errorf("sampled estimate %d is %.2f times the full one %d", sampledEstimate, ratio, estimate)
			}
		})
	}
}

func liveHeap() int {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int(ms.HeapAlloc)
}

func TestGoSizer(t *testing.T) {
	var z goSizer
	for n, want := range map[int]int{0: 0, 1: 8, 8: 8, 9: 16, 100: 112, 1000: 1024, 32768: 32768, 32769: 40960} {
		if got := z.Alloc(n); got != want {
			t.Errorf("Alloc(%d) = %d, want %d", n, got, want)
		}
	}
	// A map grows by doubling: more entries never cost less.
	prev := 0
	for n := 0; n <= 5000; n += 7 {
		got := z.Map(n, 24)
		if got < prev || got < n*24 {
			t.Fatalf("Map(%d, 24) = %d after %d", n, got, prev)
		}
		prev = got
	}
}

func TestMemoryDoctorReport(t *testing.T) {
	var ms runtime.MemStats
	if r := memoryDoctorReport(memoryOverhead{total: 1 << 20}, &ms); !strings.Contains(r, "very little memory") {
		t.Errorf("small heap: %q", r)
	}
	healthy := memoryOverhead{total: 100 << 20, peak: 110 << 20, rss: 110 << 20, allocated: 100 << 20,
		active: 101 << 20, resident: 105 << 20, clients: 2, clientsNormal: 1 << 10}
	healthy.allocatorFrag, healthy.allocatorFragBytes = fragRatio(healthy.active, healthy.allocated)
	healthy.allocatorRSS, healthy.allocatorRSSBytes = fragRatio(healthy.resident, healthy.active)
	healthy.rssExtra, healthy.rssExtraBytes = fragRatio(healthy.rss, healthy.resident)
	healthy.totalFrag, healthy.totalFragBytes = fragRatio(healthy.rss, healthy.total)
	if r := memoryDoctorReport(healthy, &ms); !strings.Contains(r, "can't find any memory issue") {
		t.Errorf("healthy: %q", r)
	}
	sick := healthy
	sick.peak = 400 << 20
	sick.rss = 400 << 20
	sick.rssExtra, sick.rssExtraBytes = fragRatio(sick.rss, sick.resident)
	sick.totalFrag, sick.totalFragBytes = fragRatio(sick.rss, sick.total)
	sick.clientsNormal = 10 << 20
	ms.GCCPUFraction = 0.3
	r := memoryDoctorReport(sick, &ms)
	for _, want := range []string{"Peak memory", "High total RSS", "High non-heap memory", "Big client buffers",
		"Busy garbage collector", "I want to help you."} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q:\n%s", want, r)
		}
	}
}

func TestMallocStatsReport(t *testing.T) {
	r := mallocStatsReport()
	for _, want := range []string{"___ Begin Go runtime memory statistics ___", runtime.Version(),
		"/memory/classes/heap/objects:bytes", "HeapAlloc:", "--- End Go runtime memory statistics ---"} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Count(r, "\n") < 20 {
		t.Errorf("short report:\n%s", r)
	}
}

// PURGE waits for the collection outside the keyspace lock: the handler
// only asks to block, and the reply comes from Retry.
func TestMemoryPurgeBlocks(t *testing.T) {
	env := newKeyspaceEnv(t)
	out := &respText{proto: 2}
	ctx := env.eng.NewContext(env.client, out, [][]byte{[]byte("MEMORY"), []byte("PURGE")})
	env.eng.Execute(ctx)
	req := ctx.BlockRequest()
	if req == nil || req.Done == nil || out.b.Len() != 0 {
		t.Fatalf("no block request (reply %q)", out.b.String())
	}
	<-req.Done
	retry := env.eng.NewContext(env.client, out, nil)
	if !req.Retry(retry) || out.b.String() != "+OK\r\n" {
		t.Fatalf("retry: %q", out.b.String())
	}
}
