package server_test

import (
	"math/rand/v2"
	"strconv"
)

// Replay generator for XNACK (Redis 8.8) on the consumer-group streams:
// every mode, sometimes RETRYCOUNT and FORCE, so that unowned entries meet
// XREADGROUP (CLAIM), XCLAIM, XAUTOCLAIM, XACK, DELCONSUMER and SETID.
func init() {
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string {
			args := []string{"XNACK", streamKey(r), groupName(r), [...]string{"SILENT", "FAIL", "FATAL"}[r.IntN(3)],
				"IDS", "2", oldStreamID(r), oldStreamID(r)}
			if r.IntN(4) == 0 {
				args = append(args, "RETRYCOUNT", strconv.Itoa(r.IntN(4)))
			}
			if r.IntN(3) == 0 {
				args = append(args, "FORCE")
			}
			return args
		},
	)
}
