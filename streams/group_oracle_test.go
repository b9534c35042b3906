package streams

import (
	"bufio"
	"fmt"
	"math/rand"
	"net"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// TestGroupOracle replays random consumer-group scripts (XADD, XDEL, XTRIM,
// XREADGROUP ">" and history, NOACK, XACK, XCLAIM with JUSTID / FORCE /
// RETRYCOUNT / LASTID, XAUTOCLAIM, XGROUP SETID / DELCONSUMER) against a
// real redis-server and against Group, and compares every reply and, after
// every step, XPENDING (summary and extended, without idle times) and
// XINFO GROUPS' last-delivered-id and pending. In rounds without XDEL and
// XTRIM it also compares entries-read and lag, where 7.0.15 and 7.2 agree
// (see lagScenarios for where they do not).
//
// Idle times differ between the two clocks, so claims use a min-idle of 0
// or one no entry reaches. Things 7.0.15 does differently from 7.2 are not
// compared: which consumers exist (7.2 creates one on every X[AUTO]CLAIM)
// and consumer times. It runs only when SPOOL_ORACLE_ADDR names a
// disposable redis-server (it uses the key "spool:groups"):
//
//	SPOOL_ORACLE_ADDR=127.0.0.1:7407 SPOOL_ORACLE_SEED=3 go test ./streams -run GroupOracle -v
func TestGroupOracle(t *testing.T) {
	addr := os.Getenv("SPOOL_ORACLE_ADDR")
	if addr == "" {
		t.Skip("set SPOOL_ORACLE_ADDR to a disposable redis-server")
	}
	seed, _ := strconv.ParseInt(os.Getenv("SPOOL_ORACLE_SEED"), 10, 64)
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d", seed)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	o := &oracle{t: t, r: bufio.NewReader(conn), w: bufio.NewWriter(conn)}
	for round := 0; round < 20; round++ {
		groupOracleRound(o, rand.New(rand.NewSource(seed+int64(round))), round%2 == 0, 400)
		if t.Failed() {
			t.Fatalf("round %d failed (seed %d)", round, seed+int64(round))
		}
	}
}

const groupOracleKey = "spool:groups"

func groupOracleRound(o *oracle, r *rand.Rand, deletions bool, ops int) {
	t := o.t
	key := groupOracleKey
	o.do("DEL", key)
	s := New()
	groups := []string{"g1", "g2"}
	for _, g := range groups {
		o.do("XGROUP", "CREATE", key, g, "0", "MKSTREAM")
		mustCreateGroup(t, s, g, MinID, -1)
	}
	consumers := []string{"alice", "bob", "carol"}
	var ids []ID
	nextMs := uint64(1)
	now := int64(1_000_000)
	randomID := func() ID {
		if len(ids) == 0 || r.Intn(10) == 0 {
			return ID{nextMs + uint64(r.Intn(3)), 0}
		}
		return ids[r.Intn(len(ids))]
	}
	entries := func(ds []Delivery, justID bool) []any {
		out := []any{}
		for _, d := range ds {
			if justID {
				out = append(out, d.ID.String())
			} else if d.Fields == nil {
				out = append(out, []any{d.ID.String(), nil})
			} else {
				out = append(out, oracleEntry(d.Entry))
			}
		}
		return out
	}
	same := func(step string, redis, ours any) {
		if !reflect.DeepEqual(redis, ours) {
			t.Errorf("%s: redis %v, ours %v", step, redis, ours)
		}
	}
	for op := 0; op < ops && !t.Failed(); op++ {
		now++
		gname := groups[r.Intn(len(groups))]
		g := s.Group(gname)
		cname := consumers[r.Intn(len(consumers))]
		var step string
		switch k := r.Intn(100); {
		case k < 25:
			id := ID{nextMs, 0}
			nextMs += 1 + uint64(r.Intn(2))
			ids = append(ids, id)
			step = "XADD " + id.String()
			o.do("XADD", key, id.String(), "f", id.String())
			mustAdd(t, s, id, DefaultNodeLimits, "f", id.String())
		case k < 30 && deletions:
			id := randomID()
			step = "XDEL " + id.String()
			same(step, o.do("XDEL", key, id.String()), map[bool]int64{true: 1, false: 0}[s.Delete(id)])
		case k < 32 && deletions:
			n := r.Intn(int(s.Len()) + 1)
			step = fmt.Sprintf("XTRIM MAXLEN %d", n)
			same(step, o.do("XTRIM", key, "MAXLEN", "=", strconv.Itoa(n)), s.Trim(TrimSpec{MaxLen: uint64(n)}, DefaultNodeLimits))
		case k < 50:
			count := r.Intn(5)
			args := []string{"XREADGROUP", "GROUP", gname, cname, "COUNT", strconv.Itoa(count)}
			noack := r.Intn(4) == 0
			if noack {
				args = append(args, "NOACK")
			}
			step = fmt.Sprint(args)
			reply := o.do(append(args, "STREAMS", key, ">")...)
			c, _ := g.CreateConsumer(cname, now)
			ours := entries(g.ReadNew(c, count, noack, now), false)
			same(step, oracleStreamEntries(reply), ours)
		case k < 58:
			count := r.Intn(4)
			from := randomID()
			step = fmt.Sprintf("XREADGROUP %s %s COUNT %d history %v", gname, cname, count, from)
			reply := o.do("XREADGROUP", "GROUP", gname, cname, "COUNT", strconv.Itoa(count), "STREAMS", key, from.String())
			c, _ := g.CreateConsumer(cname, now)
			start, _ := from.Next()
			same(step, oracleStreamEntries(reply), entries(g.ReadHistory(c, start, count, now), false))
		case k < 70:
			args := []string{"XACK", key, gname}
			var acked []ID
			for n := 1 + r.Intn(4); n > 0; n-- {
				id := randomID()
				acked = append(acked, id)
				args = append(args, id.String())
			}
			step = fmt.Sprint(args)
			same(step, o.do(args...), int64(g.Ack(acked...)))
		case k < 82:
			minIdle := []int64{0, 3_600_000}[r.Intn(2)]
			args := []string{"XCLAIM", key, gname, cname, strconv.FormatInt(minIdle, 10)}
			var claimIDs []ID
			for n := 1 + r.Intn(4); n > 0; n-- {
				id := randomID()
				claimIDs = append(claimIDs, id)
				args = append(args, id.String())
			}
			var opts ClaimOptions
			if r.Intn(3) == 0 {
				opts.Force = true
				args = append(args, "FORCE")
			}
			if r.Intn(2) == 0 {
				opts.JustID = true
				args = append(args, "JUSTID")
			}
			if r.Intn(3) == 0 {
				opts.RetryCountGiven, opts.RetryCount = true, int64(r.Intn(5))
				args = append(args, "RETRYCOUNT", strconv.FormatInt(opts.RetryCount, 10))
			}
			if r.Intn(4) == 0 {
				opts.LastID = randomID()
				args = append(args, "LASTID", opts.LastID.String())
			}
			step = fmt.Sprint(args)
			reply := o.do(args...)
			c, _ := g.CreateConsumer(cname, now)
			res := g.Claim(c, minIdle, claimIDs, opts, now)
			same(step, reply, entries(res.Claimed, opts.JustID))
		case k < 90:
			minIdle := []int64{0, 3_600_000}[r.Intn(4)/3]
			start := randomID()
			count := 1 + r.Intn(4)
			justID := r.Intn(2) == 0
			args := []string{"XAUTOCLAIM", key, gname, cname, strconv.FormatInt(minIdle, 10), start.String(), "COUNT", strconv.Itoa(count)}
			if justID {
				args = append(args, "JUSTID")
			}
			step = fmt.Sprint(args)
			reply := o.do(args...)
			c, _ := g.CreateConsumer(cname, now)
			res := g.AutoClaim(c, minIdle, start, count, justID, now)
			deleted := []any{}
			for _, p := range res.Deleted {
				deleted = append(deleted, p.ID.String())
			}
			same(step, reply, []any{res.Next.String(), entries(res.Claimed, justID), deleted})
		case k < 94:
			step = "XGROUP DELCONSUMER " + gname + " " + cname
			n, _ := g.DeleteConsumer(cname)
			same(step, o.do("XGROUP", "DELCONSUMER", key, gname, cname), int64(n))
		default:
			id := randomID()
			args := []string{"XGROUP", "SETID", key, gname, id.String()}
			read := int64(-1)
			if r.Intn(2) == 0 {
				read = int64(r.Intn(len(ids) + 1))
				args = append(args, "ENTRIESREAD", strconv.FormatInt(read, 10))
			}
			step = fmt.Sprint(args)
			o.do(args...)
			g.SetID(id, read)
		}
		for _, name := range groups {
			compareGroupWithOracle(o, s.Group(name), step, !deletions)
		}
	}
}

// oracleStreamEntries returns the entries of a one-stream XREADGROUP reply
// (a null reply is no entries).
func oracleStreamEntries(reply any) any {
	streams, ok := reply.([]any)
	if !ok || len(streams) == 0 {
		return []any{}
	}
	return streams[0].([]any)[1]
}

func compareGroupWithOracle(o *oracle, g *Group, step string, withLag bool) {
	t := o.t
	key := groupOracleKey
	// XPENDING summary.
	sum := g.PendingSummary()
	want := []any{int64(sum.Count), nil, nil, nil}
	if sum.Count > 0 {
		cs := []any{}
		for _, c := range sum.Consumers {
			cs = append(cs, []any{c.Consumer.Name(), strconv.Itoa(c.Count)})
		}
		want = []any{int64(sum.Count), sum.First.String(), sum.Last.String(), cs}
	}
	if got := o.do("XPENDING", key, g.Name()); !reflect.DeepEqual(got, want) {
		t.Errorf("after %s: XPENDING %s: redis %v, ours %v", step, g.Name(), got, want)
	}
	// XPENDING extended, without idle times.
	got := o.do("XPENDING", key, g.Name(), "-", "+", "100000").([]any)
	for i, e := range got {
		e := e.([]any)
		got[i] = []any{e[0], e[1], e[3]}
	}
	ours := []any{}
	for _, p := range g.PendingRange(MinID, MaxID, 100000, nil, 0, 0) {
		ours = append(ours, []any{p.ID.String(), p.Consumer.Name(), p.DeliveryCount})
	}
	if !reflect.DeepEqual(got, ours) {
		t.Errorf("after %s: XPENDING %s - +: redis %v, ours %v", step, g.Name(), got, ours)
	}
	// XINFO GROUPS.
	for _, gi := range o.do("XINFO", "GROUPS", key).([]any) {
		kv := gi.([]any)
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		if m["name"] != g.Name() {
			continue
		}
		if m["last-delivered-id"] != g.LastID().String() || m["pending"] != int64(g.PendingCount()) {
			t.Errorf("after %s: XINFO GROUPS %s: redis %v, ours last %v pending %d", step, g.Name(), m, g.LastID(), g.PendingCount())
		}
		if withLag {
			er, lag := oracleGroupLag([]any{gi}, g.Name())
			oer, olag := lagStrings(g)
			if er != oer || lag != olag {
				t.Errorf("after %s: %s entries-read/lag: redis %s %s, ours %s %s", step, g.Name(), er, lag, oer, olag)
			}
		}
	}
}
