package server_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Set and sorted-set generators for TestReplayDeterminism. They work on a
// few keys of each type, sometimes on the string keys (wrong types, and
// keys that change type), with members drawn from a small domain so that
// adds collide, integers and words mix (intset and hash-table sets), and
// sorted sets grow past the listpack limits. SPOP and SRANDMEMBER are
// random: their effects must carry what they chose.
func init() {
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string { return append([]string{"SADD", setKey(r)}, members(r, 1+r.IntN(6))...) },
		func(r *rand.Rand) []string { return append([]string{"SREM", setKey(r)}, members(r, 1+r.IntN(4))...) },
		func(r *rand.Rand) []string {
			if r.IntN(2) == 0 {
				return []string{"SPOP", setKey(r)}
			}
			return []string{"SPOP", setKey(r), strconv.Itoa(r.IntN(6))}
		},
		func(r *rand.Rand) []string { return []string{"SRANDMEMBER", setKey(r), strconv.Itoa(r.IntN(7) - 3)} },
		func(r *rand.Rand) []string { return []string{"SMOVE", setKey(r), setKey(r), member(r)} },
		func(r *rand.Rand) []string {
			op := []string{"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"}[r.IntN(3)]
			return []string{op, setKey(r), setKey(r), setKey(r)}
		},
		func(r *rand.Rand) []string { return []string{"SMEMBERS", setKey(r)} },
		func(r *rand.Rand) []string {
			cmd := []string{"ZADD", zsetKey(r)}
			switch r.IntN(6) {
			case 0:
				cmd = append(cmd, "NX")
			case 1:
				cmd = append(cmd, "XX", "CH")
			case 2:
				cmd = append(cmd, "GT")
			case 3:
				cmd = append(cmd, "LT", "CH")
			}
			for n := 1 + r.IntN(8); n > 0; n-- {
				cmd = append(cmd, score(r), zmember(r))
			}
			return cmd
		},
		func(r *rand.Rand) []string { return []string{"ZADD", zsetKey(r), "INCR", score(r), zmember(r)} },
		func(r *rand.Rand) []string { return []string{"ZINCRBY", zsetKey(r), score(r), zmember(r)} },
		func(r *rand.Rand) []string { return []string{"ZREM", zsetKey(r), zmember(r), zmember(r)} },
		func(r *rand.Rand) []string {
			cmd := []string{"ZPOPMIN", "ZPOPMAX"}[r.IntN(2)]
			if r.IntN(2) == 0 {
				return []string{cmd, zsetKey(r)}
			}
			return []string{cmd, zsetKey(r), strconv.Itoa(r.IntN(4))}
		},
		func(r *rand.Rand) []string {
			return []string{"ZMPOP", "2", zsetKey(r), zsetKey(r), []string{"MIN", "MAX"}[r.IntN(2)], "COUNT", strconv.Itoa(1 + r.IntN(3))}
		},
		func(r *rand.Rand) []string {
			// Never blocks for long: an empty key times out in 10ms.
			if r.IntN(2) == 0 {
				return []string{"BZPOPMIN", zsetKey(r), zsetKey(r), "0.01"}
			}
			return []string{"BZMPOP", "0.01", "1", zsetKey(r), "MAX", "COUNT", "2"}
		},
		func(r *rand.Rand) []string {
			lo := r.IntN(20) - 5
			return []string{"ZREMRANGEBYSCORE", zsetKey(r), "(" + strconv.Itoa(lo), strconv.Itoa(lo + r.IntN(4))}
		},
		func(r *rand.Rand) []string {
			return []string{"ZREMRANGEBYRANK", zsetKey(r), strconv.Itoa(r.IntN(5) - 2), strconv.Itoa(r.IntN(5) - 2)}
		},
		func(r *rand.Rand) []string {
			return []string{"ZREMRANGEBYLEX", zsetKey(r), "[" + zmember(r), "(" + zmember(r)}
		},
		func(r *rand.Rand) []string {
			switch r.IntN(3) {
			case 0:
				return []string{"ZRANGESTORE", zsetKey(r), zsetKey(r), "0", strconv.Itoa(r.IntN(200) - 1)}
			case 1:
				return []string{"ZRANGESTORE", zsetKey(r), zsetKey(r), "5", "(-5", "BYSCORE", "REV", "LIMIT", "1", "3"}
			}
			return []string{"ZRANGESTORE", zsetKey(r), zsetKey(r), "-", "+", "BYLEX"}
		},
		func(r *rand.Rand) []string { return []string{"ZRANGE", zsetKey(r), "0", "-1", "WITHSCORES"} },
		func(r *rand.Rand) []string {
			k := setKey(r)
			if r.IntN(2) == 0 {
				k = zsetKey(r)
			}
			return []string{"PEXPIRE", k, strconv.Itoa(1 + r.IntN(4))}
		},
	)
}

func setKey(r *rand.Rand) string {
	if r.IntN(6) == 0 {
		return key(r)
	}
	return "s" + strconv.Itoa(r.IntN(3))
}

func zsetKey(r *rand.Rand) string {
	if r.IntN(6) == 0 {
		return key(r)
	}
	return "z" + strconv.Itoa(r.IntN(3))
}

// member is mostly an integer (intsets), sometimes a word.
func member(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return "w" + strconv.Itoa(r.IntN(20))
	}
	return strconv.Itoa(r.IntN(60) - 10)
}

func members(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = member(r)
	}
	return out
}

// zmember is one of 200 names, sometimes past zset-max-listpack-value.
func zmember(r *rand.Rand) string {
	if r.IntN(50) == 0 {
		return strings.Repeat("L", 65)
	}
	return "m" + strconv.Itoa(r.IntN(200))
}

// score is a small integer, a fraction, -0 or an infinity.
func score(r *rand.Rand) string {
	switch r.IntN(12) {
	case 0:
		return "-0"
	case 1:
		return "inf"
	case 2:
		return "-inf"
	case 3:
		return strconv.FormatFloat(r.Float64()*10-5, 'g', -1, 64)
	}
	return strconv.Itoa(r.IntN(20) - 5)
}
