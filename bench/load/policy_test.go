package load

import (
	"strings"
	"testing"
	"time"

	"github.com/spool-dev/spool/server/servertest"
)

// A consume run with a queue policy sets it on the group before the load
// and measures the same loop; a policy on another scenario is refused.
func TestConsumeWithPolicy(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	o := Options{Addr: addr, Duration: time.Minute, Requests: 2000, Clients: 2, Pipeline: 4, Consumers: 2,
		Count: 10, Policy: "ACKWAIT 30000 MAXDELIVER 5", Keep: true}
	res, err := Run("consume", o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ops < 2000 {
		t.Fatalf("acknowledged %d entries; want the 2000 produced", res.Ops)
	}
	c, err := dial(Defaults("consume", o), time.Now().Add(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, err := do(c, "XQ.POLICY", "GET", "spoolbench:consume", consumeGroup)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); !strings.Contains(got, "30000") || !strings.Contains(got, "maxdeliver") {
		t.Fatalf("XQ.POLICY GET after the run: %s", got)
	}
	if _, err := Run("xadd", Options{Addr: addr, Duration: time.Second, Policy: "ACKWAIT 1"}); err == nil ||
		!strings.Contains(err.Error(), "consume scenario") {
		t.Fatalf("a policy on xadd: %v", err)
	}
	// A bad policy fails at set-up with the server's error.
	if _, err := Run("consume", Options{Addr: addr, Duration: time.Second, Policy: "ACKWAIT -1"}); err == nil ||
		!strings.Contains(err.Error(), "ACKWAIT must be >= 0") {
		t.Fatalf("a bad policy: %v", err)
	}
}
