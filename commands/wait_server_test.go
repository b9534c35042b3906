package commands_test

import (
	"testing"
	"time"

	"github.com/spool-dev/spool/server/servertest"
)

// WAIT for replicas Spool does not have blocks the client, and only it,
// until the timeout, then answers 0.
func TestWaitBlocksUntilTimeout(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	waiter := servertest.Dial(t, addr)
	other := servertest.Dial(t, addr)

	if got := waiter.Do("WAIT", "0", "0"); got != ":0\r\n" {
		t.Fatalf("WAIT 0 0 = %q", got)
	}
	start := time.Now()
	waiter.WriteRaw(servertest.Encode("WAIT", "1", "300"))
	if got := other.Do("SET", "k", "v"); got != "+OK\r\n" {
		t.Fatalf("another client while WAIT blocks: %q", got)
	}
	if got := waiter.Read(); got != ":0\r\n" {
		t.Fatalf("WAIT 1 300 = %q", got)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("WAIT returned after %v, before its timeout", d)
	}

	// Timeout 0 waits forever: no reply comes.
	waiter.WriteRaw(servertest.Encode("WAIT", "1", "0"))
	if reply, err := waiter.ReadErr(300 * time.Millisecond); err == nil {
		t.Fatalf("WAIT 1 0 answered %q", reply)
	}
}
