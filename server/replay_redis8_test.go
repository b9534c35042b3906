package server_test

import (
	"math/rand/v2"
	"strconv"
)

// Replay generators for the Redis 8.x stream additions: idempotent XADDs
// (IDMP, IDMPAUTO, with duplicates and trimming) and XCFGSET on their own
// keys (IDMP needs "*", which jumps a stream to the wall clock, so they stay
// off the explicit-ID streams), and XDELEX/XACKDEL with every reference
// policy on the consumer-group streams. Durations stay long, so no iid
// expires within a run; small max sizes exercise eviction.
func init() {
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string {
			return []string{"XADD", idmpKey(r), "IDMP", "p" + strconv.Itoa(r.IntN(3)), "i" + strconv.Itoa(r.IntN(8)),
				"*", "f", val(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XADD", idmpKey(r), "IDMPAUTO", "p" + strconv.Itoa(r.IntN(3)), "*", "f", strconv.Itoa(r.IntN(6))}
		},
		func(r *rand.Rand) []string {
			return []string{"XADD", idmpKey(r), "MAXLEN", "~", strconv.Itoa(r.IntN(10)), "IDMP", "p0",
				"i" + strconv.Itoa(r.IntN(8)), "*", "f", val(r)}
		},
		func(r *rand.Rand) []string {
			switch r.IntN(3) {
			case 0:
				return []string{"XCFGSET", idmpKey(r), "IDMP-MAXSIZE", strconv.Itoa(1 + r.IntN(4))}
			case 1:
				return []string{"XCFGSET", idmpKey(r), "IDMP-DURATION", strconv.Itoa(300 + r.IntN(2))}
			}
			return []string{"XCFGSET", idmpKey(r), "IDMP-DURATION", "600", "IDMP-MAXSIZE", strconv.Itoa(2 + r.IntN(3))}
		},
		func(r *rand.Rand) []string {
			return []string{"XDELEX", streamKey(r), refPolicy(r), "IDS", "2", oldStreamID(r), oldStreamID(r)}
		},
		func(r *rand.Rand) []string {
			return []string{"XACKDEL", streamKey(r), groupName(r), refPolicy(r), "IDS", "2", oldStreamID(r), oldStreamID(r)}
		},
	)
}

func idmpKey(r *rand.Rand) string { return "idmp" + strconv.Itoa(r.IntN(2)) }

func refPolicy(r *rand.Rand) string {
	return [...]string{"KEEPREF", "DELREF", "ACKED"}[r.IntN(3)]
}
