package commands

import (
	"testing"
	"time"
)

func TestTimeUsesEngineClock(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.now = time.Unix(1_700_000_123, 4_567_000)
	env.expect("*2\r\n$10\r\n1700000123\r\n$4\r\n4567\r\n", "TIME")
	env.client.Proto = 3
	env.now = time.Unix(5, 0)
	env.expect("*2\r\n$1\r\n5\r\n$1\r\n0\r\n", "TIME")
}
