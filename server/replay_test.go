package server_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// replayGenerators produce random commands over a small key space so that
// commands collide, overwrite, expire and change type.
var replayGenerators = []func(r *rand.Rand) []string{
	func(r *rand.Rand) []string { return []string{"SET", key(r), val(r)} },
	func(r *rand.Rand) []string { return []string{"SET", key(r), val(r), "EX", "100"} },
	func(r *rand.Rand) []string { return []string{"SET", key(r), val(r), "PX", strconv.Itoa(1 + r.IntN(5))} },
	func(r *rand.Rand) []string { return []string{"SET", key(r), val(r), "KEEPTTL", "GET"} },
	func(r *rand.Rand) []string { return []string{"SET", key(r), val(r), "NX"} },
	func(r *rand.Rand) []string { return []string{"SETEX", key(r), "50", val(r)} },
	func(r *rand.Rand) []string { return []string{"INCR", key(r)} },
	func(r *rand.Rand) []string { return []string{"INCRBY", key(r), strconv.Itoa(r.IntN(100) - 50)} },
	func(r *rand.Rand) []string { return []string{"INCRBYFLOAT", key(r), "1.5"} },
	func(r *rand.Rand) []string { return []string{"APPEND", key(r), val(r)} },
	func(r *rand.Rand) []string { return []string{"SETRANGE", key(r), strconv.Itoa(r.IntN(10)), val(r)} },
	func(r *rand.Rand) []string { return []string{"GETDEL", key(r)} },
	func(r *rand.Rand) []string { return []string{"GETEX", key(r), "PX", "3"} },
	func(r *rand.Rand) []string { return []string{"GETEX", key(r), "PERSIST"} },
	func(r *rand.Rand) []string { return []string{"GETSET", key(r), val(r)} },
	func(r *rand.Rand) []string { return []string{"MSET", key(r), val(r), key(r), val(r)} },
	func(r *rand.Rand) []string { return []string{"MSETNX", key(r), val(r), key(r), val(r)} },
	func(r *rand.Rand) []string { return []string{"DEL", key(r), key(r)} },
	func(r *rand.Rand) []string { return []string{"EXPIRE", key(r), strconv.Itoa(r.IntN(3) - 1)} },
	func(r *rand.Rand) []string { return []string{"PEXPIRE", key(r), strconv.Itoa(1 + r.IntN(4)), "NX"} },
	func(r *rand.Rand) []string { return []string{"PERSIST", key(r)} },
	func(r *rand.Rand) []string { return []string{"RENAME", key(r), key(r)} },
	func(r *rand.Rand) []string { return []string{"RENAMENX", key(r), key(r)} },
	func(r *rand.Rand) []string { return []string{"GET", key(r)} },
	func(r *rand.Rand) []string { return []string{"SELECT", strconv.Itoa(r.IntN(3))} },
	func(r *rand.Rand) []string {
		return []string{"SWAPDB", strconv.Itoa(r.IntN(3)), strconv.Itoa(r.IntN(3))}
	},
	func(r *rand.Rand) []string {
		if r.IntN(20) == 0 {
			return []string{"FLUSHDB"}
		}
		return []string{"EXISTS", key(r)}
	},
}

// Stream generators work on a few stream keys, sometimes on the string
// keys above (wrong types, and streams that get renamed, expired, deleted).
// Explicit IDs follow streamClock so that most adds succeed; "*" is rare
// because it jumps the stream to the wall clock.
func init() {
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string { return []string{"XADD", streamKey(r), nextStreamID(r), "f", val(r)} },
		func(r *rand.Rand) []string {
			return []string{"XADD", streamKey(r), nextStreamID(r), "f", val(r), "g", val(r)}
		},
		func(r *rand.Rand) []string { return []string{"XADD", streamKey(r), streamMs(r) + "-*", val(r), "v"} },
		func(r *rand.Rand) []string {
			if r.IntN(4) == 0 {
				return []string{"XADD", streamKey(r), "*", "f", val(r)}
			}
			return []string{"XADD", streamKey(r), "NOMKSTREAM", nextStreamID(r), "f", val(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XADD", streamKey(r), "MAXLEN", "~", strconv.Itoa(r.IntN(30)), nextStreamID(r), "f", val(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XADD", streamKey(r), "MAXLEN", "=", strconv.Itoa(r.IntN(30)), nextStreamID(r), "f", val(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XADD", streamKey(r), "MINID", "~", oldStreamID(r), "LIMIT", strconv.Itoa(r.IntN(12)),
				nextStreamID(r), "f", val(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XADD", streamKey(r), "MINID", oldStreamID(r), nextStreamID(r), "f", val(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XDEL", streamKey(r), oldStreamID(r), oldStreamID(r), oldStreamID(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XTRIM", streamKey(r), "MAXLEN", "~", strconv.Itoa(r.IntN(30))}
		},
		func(r *rand.Rand) []string {
			return []string{"XTRIM", streamKey(r), "MAXLEN", strconv.Itoa(r.IntN(30))}
		},
		func(r *rand.Rand) []string {
			return []string{"XTRIM", streamKey(r), "MAXLEN", "~", strconv.Itoa(r.IntN(20)), "LIMIT", strconv.Itoa(r.IntN(10))}
		},
		func(r *rand.Rand) []string { return []string{"XTRIM", streamKey(r), "MINID", oldStreamID(r)} },
		func(r *rand.Rand) []string { return []string{"XTRIM", streamKey(r), "MINID", "~", oldStreamID(r)} },
		func(r *rand.Rand) []string {
			switch r.IntN(3) {
			case 0:
				return []string{"XSETID", streamKey(r), nextStreamID(r)}
			case 1:
				return []string{"XSETID", streamKey(r), nextStreamID(r), "ENTRIESADDED", strconv.Itoa(r.IntN(100))}
			}
			return []string{"XSETID", streamKey(r), nextStreamID(r), "MAXDELETEDID", oldStreamID(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XREAD", "COUNT", "3", "STREAMS", streamKey(r), oldStreamID(r)}
		},
		func(r *rand.Rand) []string { return []string{"XRANGE", streamKey(r), "-", "+", "COUNT", "5"} },
	)
}

// Consumer-group generators: a few groups and consumers on the stream keys,
// so that groups are created, read, claimed, acknowledged, moved back and
// destroyed, and consumers come and go. XREADGROUP never blocks here.
func init() {
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string {
			args := []string{"XGROUP", "CREATE", streamKey(r), groupName(r), groupStartID(r)}
			if r.IntN(2) == 0 {
				args = append(args, "MKSTREAM")
			}
			if r.IntN(4) == 0 {
				args = append(args, "ENTRIESREAD", strconv.Itoa(r.IntN(12)-1))
			}
			return args
		},
		func(r *rand.Rand) []string {
			args := []string{"XGROUP", "SETID", streamKey(r), groupName(r), groupStartID(r)}
			if r.IntN(3) == 0 {
				args = append(args, "ENTRIESREAD", strconv.Itoa(r.IntN(12)-1))
			}
			return args
		},
		func(r *rand.Rand) []string {
			if r.IntN(4) == 0 {
				return []string{"XGROUP", "DESTROY", streamKey(r), groupName(r)}
			}
			return []string{"XGROUP", "CREATECONSUMER", streamKey(r), groupName(r), consumerName(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XGROUP", "DELCONSUMER", streamKey(r), groupName(r), consumerName(r)}
		},
		func(r *rand.Rand) []string {
			args := []string{"XREADGROUP", "GROUP", groupName(r), consumerName(r)}
			if r.IntN(2) == 0 {
				args = append(args, "COUNT", strconv.Itoa(r.IntN(4)))
			}
			if r.IntN(5) == 0 {
				args = append(args, "NOACK")
			}
			return append(args, "STREAMS", streamKey(r), ">")
		},
		func(r *rand.Rand) []string {
			args := []string{"XREADGROUP", "GROUP", groupName(r), consumerName(r), "COUNT", strconv.Itoa(r.IntN(4)), "STREAMS"}
			if r.IntN(3) == 0 {
				k1, k2 := streamKey(r), streamKey(r)
				return append(args, k1, k2, ">", "0")
			}
			return append(args, streamKey(r), []string{"0", oldStreamID(r)}[r.IntN(2)])
		},
		func(r *rand.Rand) []string {
			return []string{"XACK", streamKey(r), groupName(r), oldStreamID(r), oldStreamID(r), oldStreamID(r)}
		},
		func(r *rand.Rand) []string {
			args := []string{"XCLAIM", streamKey(r), groupName(r), consumerName(r), strconv.Itoa(r.IntN(3) * 5),
				oldStreamID(r), oldStreamID(r)}
			for _, opt := range [][]string{{"FORCE"}, {"JUSTID"}, {"RETRYCOUNT", strconv.Itoa(r.IntN(5) - 1)},
				{"IDLE", strconv.Itoa(r.IntN(20))}, {"LASTID", nextStreamID(r)}} {
				if r.IntN(4) == 0 {
					args = append(args, opt...)
				}
			}
			return args
		},
		func(r *rand.Rand) []string {
			args := []string{"XAUTOCLAIM", streamKey(r), groupName(r), consumerName(r), strconv.Itoa(r.IntN(3) * 5),
				[]string{"0", oldStreamID(r)}[r.IntN(2)], "COUNT", strconv.Itoa(1 + r.IntN(4))}
			if r.IntN(2) == 0 {
				args = append(args, "JUSTID")
			}
			return args
		},
		func(r *rand.Rand) []string { return []string{"XPENDING", streamKey(r), groupName(r), "-", "+", "10"} },
		// XREADGROUP ... CLAIM (Redis 8.4): claims idle entries, drops
		// deleted ones, then reads new entries.
		func(r *rand.Rand) []string {
			args := []string{"XREADGROUP", "GROUP", groupName(r), consumerName(r), "CLAIM", strconv.Itoa(r.IntN(3) * 5)}
			if r.IntN(2) == 0 {
				args = append(args, "COUNT", strconv.Itoa(r.IntN(4)))
			}
			if r.IntN(5) == 0 {
				args = append(args, "NOACK")
			}
			if r.IntN(4) == 0 {
				return append(args, "STREAMS", streamKey(r), streamKey(r), ">", "0")
			}
			return append(args, "STREAMS", streamKey(r), ">")
		},
	)
}

func groupName(r *rand.Rand) string    { return "g" + strconv.Itoa(r.IntN(2)) }
func consumerName(r *rand.Rand) string { return "c" + strconv.Itoa(r.IntN(3)) }

// groupStartID is an ID for XGROUP CREATE and SETID: "$", 0 or a recent ID.
func groupStartID(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return "$"
	case 1:
		return "0"
	}
	return oldStreamID(r)
}

var streamClock uint64

func streamKey(r *rand.Rand) string {
	if r.IntN(5) == 0 {
		return key(r)
	}
	return "x" + strconv.Itoa(r.IntN(3))
}

// streamMs moves the stream clock on and returns it.
func streamMs(r *rand.Rand) string {
	streamClock += uint64(r.IntN(3))
	return strconv.FormatUint(streamClock, 10)
}

func nextStreamID(r *rand.Rand) string {
	return streamMs(r) + "-" + strconv.Itoa(r.IntN(3))
}

// oldStreamID is an ID at or somewhat before the stream clock.
func oldStreamID(r *rand.Rand) string {
	ms := streamClock - min(streamClock, uint64(r.IntN(40)))
	return strconv.FormatUint(ms, 10) + "-" + strconv.Itoa(r.IntN(3))
}

func key(r *rand.Rand) string { return "k" + strconv.Itoa(r.IntN(12)) }
func val(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return strconv.Itoa(r.IntN(1000))
	}
	return strings.Repeat(string(rune('a'+r.IntN(26))), 1+r.IntN(5))
}

// TestReplayDeterminism drives random commands, captures the effects the
// server publishes, replays them into a fresh engine and requires the two
// datasets to be identical.
func TestReplayDeterminism(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			// Small stream nodes, so that streams split, trim by node and
			// keep empty nodes within a short run; replay uses the same.
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
			r := rand.New(rand.NewPCG(seed, 99))
			for i := 0; i < 1500; i++ {
				gen := replayGenerators[r.IntN(len(replayGenerators))]
				reply := c.Do(gen(r)...)
				if strings.HasPrefix(reply, "-ERR unknown command") {
					t.Fatalf("generator uses a command Spool lacks: %s", reply)
				}
			}

			want, got, _ := replayCaptured(t, cfg, srv, &mu, &effects)
			if got != want {
				t.Fatalf("replayed dataset differs\nlive:\n%s\nreplayed:\n%s", want, got)
			}
		})
	}
}

// replayCaptured dumps srv and takes the effects captured so far under one
// hold of its lock (so that no active expiry slips in between), replays
// them into a fresh server configured as cfg (with a data dir of its own),
// and returns the live dump, the replayed dump and the effects.
func replayCaptured(t *testing.T, cfg server.Config, srv *server.Server, mu *sync.Mutex, effects *[]commands.Effect) (want, got string, captured []commands.Effect) {
	t.Helper()
	cfg.Dir = t.TempDir()
	fresh, err := server.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := fresh.WaitLoaded(); err != nil {
		t.Fatal(err)
	}
	client := commands.NewClient(0, "replay", "replay", fresh.Engine().Clock(), true)
	srv.Lock()
	want = srv.Engine().Dump()
	mu.Lock()
	captured = append([]commands.Effect(nil), *effects...)
	mu.Unlock()
	srv.Unlock()
	for i, eff := range captured {
		if err := fresh.Engine().Replay(client, eff); err != nil {
			t.Fatalf("effect %d %q: %v", i, eff.Args, err)
		}
	}
	return want, fresh.Engine().Dump(), captured
}

// XADD and XTRIM with a reference policy (Redis 8.2), on streams that have
// groups: DELREF and ACKED ignore "~", and a LIMIT that stops the trim is
// rewritten in the effect as an exact MINID with the same policy.
func init() {
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string {
			args := []string{"XADD", streamKey(r), refPolicy(r)}
			switch r.IntN(3) {
			case 0:
				args = append(args, "MAXLEN", "~", strconv.Itoa(r.IntN(20)), "LIMIT", strconv.Itoa(r.IntN(8)))
			case 1:
				args = append(args, "MINID", oldStreamID(r))
			default:
				args = append(args, "MAXLEN", "=", strconv.Itoa(r.IntN(20)))
			}
			return append(args, nextStreamID(r), "f", val(r))
		},
		func(r *rand.Rand) []string {
			args := []string{"XTRIM", streamKey(r)}
			switch r.IntN(4) {
			case 0:
				args = append(args, "MAXLEN", "~", strconv.Itoa(r.IntN(20)), "LIMIT", strconv.Itoa(r.IntN(8)))
			case 1:
				args = append(args, "MINID", "~", oldStreamID(r), "LIMIT", strconv.Itoa(r.IntN(8)))
			case 2:
				args = append(args, "MINID", oldStreamID(r))
			default:
				args = append(args, "MAXLEN", strconv.Itoa(r.IntN(20)))
			}
			return append(args, refPolicy(r))
		},
	)
}
