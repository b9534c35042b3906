package load

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spool-dev/spool/bench/resp"
	"github.com/spool-dev/spool/server/servertest"
)

// Each scenario for about a second against an in-process Spool. A scenario
// whose commands Spool does not serve yet must fail at once with the
// server's error reply (never hang): the test checks that and skips.
func TestScenariosSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("smoke test runs the server under load")
	}
	_, addr := servertest.Start(t, nil)
	for _, scenario := range Scenarios {
		t.Run(scenario, func(t *testing.T) {
			o := Options{Addr: addr, Duration: time.Second, Clients: 4, Pipeline: 4, Consumers: 2, Subscribers: 3}
			began := time.Now()
			res, err := Run(scenario, o)
			took := time.Since(began)
			var re *resp.ReplyError
			if errors.As(err, &re) && strings.Contains(re.Msg, "unknown command") {
				if took > 5*time.Second {
					t.Fatalf("took %v to report %v", took, err)
				}
				t.Skipf("Spool does not serve this scenario's commands yet: %v", err)
			}
			if err != nil {
				t.Fatalf("%s: %v", scenario, err)
			}
			if took > 15*time.Second {
				t.Errorf("a 1s run took %v", took)
			}
			if res.Ops == 0 || res.Throughput() <= 0 || res.Latency.Count() == 0 {
				t.Fatalf("nothing measured: %s", res)
			}
			if p50, p99 := res.Latency.Percentile(50), res.Latency.Percentile(99); p50 <= 0 || p99 < p50 {
				t.Fatalf("percentiles p50 %d p99 %d", p50, p99)
			}
			t.Log(res.String())
		})
	}
}

// The count bound stops a run long before its duration.
func TestRequestsBoundTheRun(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	began := time.Now()
	res, err := Run("xadd", Options{Addr: addr, Duration: time.Minute, Requests: 1000, Clients: 3, Pipeline: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ops != 1000 {
		t.Fatalf("ops %d, want 1000", res.Ops)
	}
	if time.Since(began) > 20*time.Second {
		t.Fatalf("took %v", time.Since(began))
	}
	// The keys were cleaned up.
	c := servertest.Dial(t, addr)
	if got := c.Do("EXISTS", "spoolbench:xadd"); got != ":0\r\n" {
		t.Fatalf("EXISTS after the run: %q", got)
	}
}

// A rate caps the operations sent: at most rate x duration (a busy
// machine may send fewer, never more).
func TestRateLimitsThroughput(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	res, err := Run("xadd", Options{Addr: addr, Duration: time.Second, Rate: 2000, Clients: 4, Pipeline: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ops > 2000+4*2 || res.Ops < 100 {
		t.Fatalf("%d operations in 1s at a 2000/s target", res.Ops)
	}
}

func TestUnknownScenarioAndNoAddress(t *testing.T) {
	if _, err := Run("nope", Options{Addr: "127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), "unknown scenario") {
		t.Fatalf("got %v", err)
	}
	if _, err := Run("xadd", Options{}); err == nil {
		t.Fatal("no error without an address")
	}
}

func TestParseMix(t *testing.T) {
	cum, err := parseMix("xadd=3, xlen=1,publish=0")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{3, 3, 4, 4, 4, 4}; !equalInts(cum, want) {
		t.Fatalf("got %v, want %v", cum, want)
	}
	for _, bad := range []string{"xadd", "xadd=x", "xadd=-1", "nope=1", "xack=1", "xadd=0"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := parseMix(DefaultMix); err != nil {
		t.Fatal(err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBudget(t *testing.T) {
	b := &budget{limit: 10}
	if got := []int{b.take(4), b.take(4), b.take(4), b.take(4)}; !equalInts(got, []int{4, 4, 2, 0}) {
		t.Fatalf("got %v", got)
	}
	u := &budget{}
	if u.take(16) != 16 {
		t.Fatal("unbounded budget refused")
	}
}

func TestStamps(t *testing.T) {
	b := appendStamp(nil, 1234567)
	b = append(b, ":payload"...)
	if n, ok := parseStamp(b); !ok || n != 1234567 {
		t.Fatalf("got %d %v", n, ok)
	}
	if _, ok := parseStamp([]byte("x1")); ok {
		t.Fatal("parsed a stamp from x1")
	}
}

func TestForEachEntry(t *testing.T) {
	in := "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$2\r\nts\r\n$2\r\n42\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
	v, err := resp.NewReader(strings.NewReader(in)).Read()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var stamps []int64
	err = forEachEntry("XREADGROUP", v, func(id []byte, fields []resp.Value) error {
		ids = append(ids, string(id))
		if s, ok := stampOf(fields); ok {
			stamps = append(stamps, s)
		}
		return nil
	})
	if err != nil || strings.Join(ids, ",") != "1-1,1-2" || len(stamps) != 1 || stamps[0] != 42 {
		t.Fatalf("ids %v stamps %v err %v", ids, stamps, err)
	}
	bad, _ := resp.NewReader(strings.NewReader(":1\r\n")).Read()
	if err := forEachEntry("XREADGROUP", bad, nil); err == nil {
		t.Fatal("accepted an integer")
	}
}

func TestHistogramPercentilesReportedInResult(t *testing.T) {
	if got := FormatNs(1500); got != "1.5µs" {
		t.Fatalf("FormatNs(1500) = %q", got)
	}
	if got := FormatNs(2_500_000); got != "2.50ms" {
		t.Fatalf("FormatNs(2.5ms) = %q", got)
	}
}

// The scenarios against a real redis-server, to check the load generator
// itself (every scenario must work there). Opt-in: SPOOLBENCH_REDIS=1.
func TestScenariosAgainstRedis(t *testing.T) {
	if os.Getenv("SPOOLBENCH_REDIS") != "1" {
		t.Skip("set SPOOLBENCH_REDIS=1 to run the scenarios against redis-server")
	}
	addr := servertest.StartRedis(t)
	for _, scenario := range Scenarios {
		t.Run(scenario, func(t *testing.T) {
			res, err := Run(scenario, Options{Addr: addr, Duration: time.Second, Clients: 4, Pipeline: 4, Consumers: 2, Subscribers: 3})
			if err != nil {
				t.Fatal(err)
			}
			if res.Ops == 0 || res.Latency.Count() == 0 {
				t.Fatalf("nothing measured: %s", res)
			}
			t.Log(res.String())
		})
	}
}

// A server that accepts and never answers cannot hang a scenario: set-up
// gives up at its timeout with a timeout error.
func TestSilentServerDoesNotHang(t *testing.T) {
	defer func(d time.Duration) { setupTimeout = d }(setupTimeout)
	setupTimeout = 300 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go io.Copy(io.Discard, nc)
		}
	}()
	for _, scenario := range Scenarios {
		began := time.Now()
		_, err := Run(scenario, Options{Addr: ln.Addr().String(), Duration: time.Second, Clients: 1, Consumers: 1, Subscribers: 1})
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("%s: got %v, want a timeout", scenario, err)
		}
		if took := time.Since(began); took > setupTimeout+2*time.Second {
			t.Errorf("%s: took %v", scenario, took)
		}
	}
}
