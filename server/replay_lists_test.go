package server_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// List and hash generators for TestReplayDeterminism (replay_test.go). They
// work on a few list and hash keys, sometimes on the string keys (wrong
// types, and keys that get renamed, expired and deleted by the generic
// generators). Blocking pops use a short timeout: the test's single client
// has no one to push for it, so they either serve at once or time out.
func init() {
	side := func(r *rand.Rand) string { return []string{"LEFT", "RIGHT"}[r.IntN(2)] }
	n := func(r *rand.Rand, max int) string { return strconv.Itoa(r.IntN(max)) }
	replayGenerators = append(replayGenerators,
		func(r *rand.Rand) []string { return []string{"LPUSH", listKey(r), val(r), val(r)} },
		func(r *rand.Rand) []string { return []string{"RPUSH", listKey(r), val(r)} },
		func(r *rand.Rand) []string { return []string{"RPUSH", listKey(r), val(r), val(r), val(r)} },
		func(r *rand.Rand) []string { return []string{"LPUSHX", listKey(r), val(r)} },
		func(r *rand.Rand) []string { return []string{"RPUSHX", listKey(r), val(r)} },
		func(r *rand.Rand) []string { return []string{"LPOP", listKey(r)} },
		func(r *rand.Rand) []string { return []string{"RPOP", listKey(r), n(r, 4)} },
		func(r *rand.Rand) []string {
			return []string{"LINSERT", listKey(r), []string{"BEFORE", "AFTER"}[r.IntN(2)], val(r), val(r)}
		},
		func(r *rand.Rand) []string { return []string{"LSET", listKey(r), strconv.Itoa(r.IntN(6) - 3), val(r)} },
		func(r *rand.Rand) []string { return []string{"LREM", listKey(r), strconv.Itoa(r.IntN(5) - 2), val(r)} },
		func(r *rand.Rand) []string {
			return []string{"LTRIM", listKey(r), strconv.Itoa(r.IntN(6) - 2), strconv.Itoa(r.IntN(8) - 3)}
		},
		func(r *rand.Rand) []string { return []string{"LMOVE", listKey(r), listKey(r), side(r), side(r)} },
		func(r *rand.Rand) []string { return []string{"RPOPLPUSH", listKey(r), listKey(r)} },
		func(r *rand.Rand) []string {
			return []string{"LMPOP", "2", listKey(r), listKey(r), side(r), "COUNT", strconv.Itoa(1 + r.IntN(3))}
		},
		func(r *rand.Rand) []string { return []string{"BLPOP", listKey(r), listKey(r), "0.01"} },
		func(r *rand.Rand) []string { return []string{"BRPOP", listKey(r), "0.01"} },
		func(r *rand.Rand) []string {
			return []string{"BLMOVE", listKey(r), listKey(r), side(r), side(r), "0.01"}
		},
		func(r *rand.Rand) []string { return []string{"BRPOPLPUSH", listKey(r), listKey(r), "0.01"} },
		func(r *rand.Rand) []string {
			return []string{"BLMPOP", "0.01", "1", listKey(r), side(r), "COUNT", strconv.Itoa(1 + r.IntN(3))}
		},
		func(r *rand.Rand) []string { return []string{"LRANGE", listKey(r), "0", "-1"} },

		func(r *rand.Rand) []string { return []string{"HSET", hashKey(r), field(r), val(r)} },
		func(r *rand.Rand) []string {
			return []string{"HSET", hashKey(r), field(r), val(r), field(r), val(r)}
		},
		func(r *rand.Rand) []string {
			// A long value converts the hash to a hashtable.
			return []string{"HSET", hashKey(r), field(r), strings.Repeat(val(r), 20)}
		},
		func(r *rand.Rand) []string { return []string{"HMSET", hashKey(r), field(r), val(r)} },
		func(r *rand.Rand) []string { return []string{"HSETNX", hashKey(r), field(r), val(r)} },
		func(r *rand.Rand) []string { return []string{"HDEL", hashKey(r), field(r), field(r)} },
		func(r *rand.Rand) []string {
			return []string{"HINCRBY", hashKey(r), field(r), strconv.Itoa(r.IntN(20) - 10)}
		},
		func(r *rand.Rand) []string { return []string{"HINCRBYFLOAT", hashKey(r), field(r), "0.1"} },
		func(r *rand.Rand) []string { return []string{"HGETALL", hashKey(r)} },
	)
}

func listKey(r *rand.Rand) string {
	if r.IntN(6) == 0 {
		return key(r)
	}
	return "L" + strconv.Itoa(r.IntN(3))
}

func hashKey(r *rand.Rand) string {
	if r.IntN(6) == 0 {
		return key(r)
	}
	return "H" + strconv.Itoa(r.IntN(3))
}

func field(r *rand.Rand) string { return "f" + strconv.Itoa(r.IntN(8)) }
