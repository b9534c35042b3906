package server_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// Replay generators for Spool's queue semantics (XQ.): policies with tiny
// waits so that redeliveries, dead-letter moves and MAXPENDING happen among
// the group operations of the other generators, plus delays, leases and
// redrives. Replaying the captured effects must rebuild the same groups,
// counters, delays and DLQ streams.
func init() {
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string {
			if r.IntN(5) == 0 {
				return []string{"XQ.POLICY", "DEL", streamKey(r), groupName(r)}
			}
			args := []string{"XQ.POLICY", "SET", streamKey(r), groupName(r), "ACKWAIT", strconv.Itoa(r.IntN(3))}
			if r.IntN(2) == 0 {
				args = append(args, "MAXDELIVER", strconv.Itoa(r.IntN(4)))
			}
			if r.IntN(3) == 0 {
				args = append(args, "MAXPENDING", strconv.Itoa(r.IntN(4)))
			}
			if r.IntN(4) == 0 {
				args = append(args, "BACKOFF", strconv.Itoa(r.IntN(2))+","+strconv.Itoa(r.IntN(3)))
			}
			return args
		},
		func(r *rand.Rand) []string {
			return []string{"XQ.NACK", streamKey(r), groupName(r), "DELAY", strconv.Itoa(r.IntN(3)),
				"IDS", "2", oldStreamID(r), oldStreamID(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XQ.TOUCH", streamKey(r), groupName(r), "IDS", "1", oldStreamID(r)}
		},
		func(r *rand.Rand) []string {
			args := []string{"XQ.REDRIVE", streamKey(r) + ":dlq", "COUNT", strconv.Itoa(1 + r.IntN(2))}
			if r.IntN(3) == 0 {
				args = append(args, "TO", streamKey(r))
			}
			return args
		},
	)
}

// TestReplayQueueDeterminism focuses the replay check on consumer groups
// under queue policies: only stream, group and XQ. commands, with short
// pauses so that ACKWAIT and delays elapse, redeliveries happen and entries
// reach MAXDELIVER. It requires that dead-letter moves and redeliveries did
// happen, so that it cannot pass by exercising nothing.
func TestReplayQueueDeterminism(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			cfg := server.DefaultConfig()
			cfg.StreamNodeMaxEntries = 4
			srv, addr := servertest.Start(t, &cfg)
			var mu sync.Mutex
			var effects []commands.Effect
			srv.SetEffectSink(func(effs []commands.Effect) {
				mu.Lock()
				effects = append(effects, effs...)
				mu.Unlock()
			})
			c := servertest.Dial(t, addr)
			r := rand.New(rand.NewPCG(seed, 7))
			keys := []string{"q0", "q1"}
			for _, k := range keys {
				for i := 0; i < 5; i++ {
					c.Do("XADD", k, "*", "n", strconv.Itoa(i))
				}
				c.Do("XGROUP", "CREATE", k, "g", "0")
				c.Do("XQ.POLICY", "SET", k, "g", "ACKWAIT", "2", "MAXDELIVER", "3", "MAXPENDING", "4")
			}
			pendingID := func(k string) string {
				reply := c.Do("XPENDING", k, "g", "-", "+", "1")
				if parts := strings.Split(reply, "\r\n"); len(parts) > 3 && strings.HasPrefix(parts[1], "*4") {
					return parts[3]
				}
				return "0-1"
			}
			consumer := func() string { return "c" + strconv.Itoa(r.IntN(3)) }
			for i := 0; i < 600; i++ {
				k := keys[r.IntN(len(keys))]
				switch r.IntN(12) {
				case 0, 1:
					c.Do("XADD", k, "*", "n", strconv.Itoa(i))
				case 2, 3, 4:
					c.Do("XREADGROUP", "GROUP", "g", consumer(), "COUNT", strconv.Itoa(1+r.IntN(3)), "STREAMS", k, ">")
				case 5:
					c.Do("XREADGROUP", "GROUP", "g", consumer(), "COUNT", "2", "CLAIM", "1", "STREAMS", k, ">")
				case 6:
					c.Do("XACK", k, "g", pendingID(k))
				case 7:
					c.Do("XCLAIM", k, "g", consumer(), "0", pendingID(k))
				case 8:
					c.Do("XQ.NACK", k, "g", "DELAY", strconv.Itoa(r.IntN(3)), "IDS", "1", pendingID(k))
				case 9:
					c.Do("XQ.TOUCH", k, "g", "IDS", "1", pendingID(k))
				case 10:
					if r.IntN(4) == 0 {
						c.Do("XQ.REDRIVE", k+":dlq", "COUNT", "2")
					} else {
						c.Do("XNACK", k, "g", [...]string{"SILENT", "FAIL", "FATAL"}[r.IntN(3)], "IDS", "1", pendingID(k))
					}
				case 11:
					time.Sleep(time.Duration(1+r.IntN(3)) * time.Millisecond)
				}
			}

			want, got, captured := replayCaptured(t, cfg, srv, &mu, &effects)
			moves := 0
			for _, eff := range captured {
				if strings.EqualFold(string(eff.Args[0]), "XQ.DEADLETTER") {
					moves++
				}
			}
			if moves == 0 || !strings.Contains(want, "Redelivered:") || strings.Contains(want, "Redelivered:0 ") {
				t.Fatalf("the run exercised too little: %d dead-letter moves\n%s", moves, want)
			}
			if got != want {
				t.Fatalf("replayed dataset differs\nlive:\n%s\nreplayed:\n%s", want, got)
			}
		})
	}
}
