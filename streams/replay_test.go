package streams

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestReplayEffects runs random group operations on a primary stream and
// turns each into the effects the commands layer logs, in Redis's forms:
//
//   - a delivery or claim: XCLAIM key group consumer 0 id TIME t
//     RETRYCOUNT n FORCE JUSTID LASTID last (Claim);
//   - a move of last-delivered-id: XGROUP SETID key group last ENTRIESREAD
//     n (SetID);
//   - a PEL entry dropped because its entry was deleted: XACK (Ack);
//   - XGROUP CREATECONSUMER when a consumer was created, and the group and
//     stream commands as they are.
//
// Applying the effects to a replica at the same times must give the same
// PEL (owners, delivery times and counts), last-delivered-id and
// entries-read after every step. Consumer times are not all carried by
// those forms (Redis does not propagate seen-time on a NOACK or empty read),
// and Redis does not propagate a history read's bump of delivery time and
// count at all: the log carries it as the XCLAIM form too, which keeps the
// PEL exact but sets active-time. With withTimes the log carries
// Consumer.SetTimes after each operation and SetPending for history reads
// instead, and then the whole group state must match, consumer times
// included.
func TestReplayEffects(t *testing.T) {
	for _, withTimes := range []bool{false, true} {
		for seed := int64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprintf("times=%v/seed=%d", withTimes, seed), func(t *testing.T) {
				replayRound(t, rand.New(rand.NewSource(seed)), withTimes, 1200)
			})
		}
	}
}

func replayRound(t *testing.T, r *rand.Rand, withTimes bool, ops int) {
	primary, replica := New(), New()
	var log []func()
	both := func(f func(s *Stream)) {
		f(primary)
		log = append(log, func() { f(replica) })
	}
	names := []string{"a", "b", "c", "d"}
	groups := []string{"g1", "g2"}
	for _, name := range groups {
		both(func(s *Stream) { mustCreateGroup(t, s, name, MinID, -1) })
	}
	var ids []ID // every ID added
	nextMs := uint64(1)
	now := int64(1_000_000)

	rg := func(g *Group) *Group { return replica.Group(g.Name()) }
	rc := func(c *Consumer) *Consumer { return replica.Group(c.group.name).Consumer(c.name) }
	// consumer looks a consumer up on the primary, creating it (and logging
	// XGROUP CREATECONSUMER) if needed.
	consumer := func(g *Group, nowMs int64) *Consumer {
		c, created := g.CreateConsumer(names[r.Intn(len(names))], nowMs)
		if created {
			name, group := c.name, g.name
			log = append(log, func() { replica.Group(group).CreateConsumer(name, nowMs) })
		}
		return c
	}
	// xclaim logs the XCLAIM form of the deliveries to c.
	xclaim := func(g *Group, c *Consumer, ds []Delivery, nowMs int64) {
		last := g.LastID()
		for _, d := range ds {
			opts := ClaimOptions{TimeGiven: true, Time: d.DeliveryTime, RetryCountGiven: true,
				RetryCount: d.DeliveryCount, Force: true, JustID: true, LastID: last}
			id := d.ID
			log = append(log, func() { rg(g).Claim(rc(c), 0, []ID{id}, opts, nowMs) })
		}
	}
	setID := func(g *Group) {
		last, read := g.LastID(), g.EntriesRead()
		log = append(log, func() { rg(g).SetID(last, read) })
	}
	ack := func(g *Group, ps []PendingEntry) {
		for _, p := range ps {
			id := p.ID
			log = append(log, func() { rg(g).Ack(id) })
		}
	}
	touch := func(c *Consumer) {
		if withTimes {
			seen, active := c.SeenTime(), c.ActiveTime()
			log = append(log, func() { rc(c).SetTimes(seen, active) })
		}
	}
	randomID := func() ID {
		if len(ids) == 0 || r.Intn(10) == 0 {
			return ID{nextMs + uint64(r.Intn(3)), 0}
		}
		return ids[r.Intn(len(ids))]
	}

	for op := 0; op < ops; op++ {
		now += int64(r.Intn(50))
		nowMs := now
		g := primary.Group(groups[r.Intn(len(groups))])
		var step string
		switch k := r.Intn(100); {
		case k < 25:
			id := ID{nextMs, 0}
			nextMs += 1 + uint64(r.Intn(2))
			ids = append(ids, id)
			step = "XADD " + id.String()
			both(func(s *Stream) { mustAdd(t, s, id, DefaultNodeLimits, "f", id.String()) })
		case k < 30:
			id := randomID()
			step = "XDEL " + id.String()
			both(func(s *Stream) { s.Delete(id) })
		case k < 32:
			n := uint64(r.Intn(int(primary.Len()) + 1))
			step = fmt.Sprintf("XTRIM MAXLEN %d", n)
			both(func(s *Stream) { s.Trim(TrimSpec{MaxLen: n}, DefaultNodeLimits) })
		case k < 50:
			c := consumer(g, nowMs)
			noack := r.Intn(4) == 0
			count := r.Intn(5)
			step = fmt.Sprintf("READNEW %s %s count=%d noack=%v", g.name, c.name, count, noack)
			ds := g.ReadNew(c, count, noack, nowMs)
			if !noack {
				xclaim(g, c, ds, nowMs)
			}
			if len(ds) > 0 {
				setID(g)
			}
			touch(c)
		case k < 58:
			c := consumer(g, nowMs)
			start := randomID()
			step = fmt.Sprintf("HISTORY %s %s from %v", g.name, c.name, start)
			ds := g.ReadHistory(c, start, r.Intn(4), nowMs)
			var bumped []Delivery
			for _, d := range ds {
				if d.Fields != nil {
					bumped = append(bumped, d)
				}
			}
			if withTimes {
				// Exact, consumer times included.
				for _, d := range bumped {
					id, dt, dc := d.ID, d.DeliveryTime, d.DeliveryCount
					log = append(log, func() { rg(g).SetPending(rc(c), id, dt, dc) })
				}
			} else {
				// Redis does not propagate these bumps at all; the XCLAIM
				// form keeps the PEL exact (but would set active-time).
				xclaim(g, c, bumped, nowMs)
			}
			touch(c)
		case k < 70:
			var acked []ID
			for n := 1 + r.Intn(4); n > 0; n-- {
				acked = append(acked, randomID())
			}
			step = fmt.Sprintf("ACK %s %v", g.name, acked)
			g.Ack(acked...)
			log = append(log, func() { rg(g).Ack(acked...) })
		case k < 82:
			c := consumer(g, nowMs)
			var claimIDs []ID
			for n := 1 + r.Intn(4); n > 0; n-- {
				claimIDs = append(claimIDs, randomID())
			}
			opts := ClaimOptions{Force: r.Intn(3) == 0, JustID: r.Intn(2) == 0}
			if r.Intn(3) == 0 {
				opts.RetryCountGiven, opts.RetryCount = true, int64(r.Intn(5))-1
			}
			if r.Intn(3) == 0 {
				opts.TimeGiven, opts.Time = true, nowMs-int64(r.Intn(200))+50
			}
			if r.Intn(4) == 0 {
				opts.LastID = randomID()
			}
			minIdle := int64(r.Intn(3) * 40)
			step = fmt.Sprintf("CLAIM %s %s %v %+v", g.name, c.name, claimIDs, opts)
			res := g.Claim(c, minIdle, claimIDs, opts, nowMs)
			xclaim(g, c, res.Claimed, nowMs)
			ack(g, res.Deleted)
			if res.LastIDMoved && len(res.Claimed) == 0 {
				setID(g) // otherwise XCLAIM LASTID carries it
			}
			touch(c)
		case k < 90:
			c := consumer(g, nowMs)
			start := randomID()
			count := 1 + r.Intn(4)
			step = fmt.Sprintf("AUTOCLAIM %s %s %v count=%d", g.name, c.name, start, count)
			res := g.AutoClaim(c, int64(r.Intn(3)*40), start, count, r.Intn(2) == 0, nowMs)
			xclaim(g, c, res.Claimed, nowMs)
			ack(g, res.Deleted)
			touch(c)
		case k < 93:
			name := names[r.Intn(len(names))]
			step = "DELCONSUMER " + name
			g.DeleteConsumer(name)
			log = append(log, func() { rg(g).DeleteConsumer(name) })
		case k < 96:
			id, read := randomID(), int64(r.Intn(len(ids)+2))-1
			step = fmt.Sprintf("SETID %s %v %d", g.name, id, read)
			g.SetID(id, read)
			setID(g)
		default:
			c := consumer(g, nowMs)
			step = "CREATECONSUMER " + c.name
		}
		for _, f := range log {
			f()
		}
		log = log[:0]
		for _, name := range groups {
			pg, rgp := primary.Group(name), replica.Group(name)
			checkGroup(t, pg)
			checkGroup(t, rgp)
			want, got := dumpGroup(pg), dumpGroup(rgp)
			if !withTimes {
				want, got = withoutTimes(want), withoutTimes(got)
			}
			if want != got {
				t.Fatalf("op %d (%s): group %s differs\nprimary:\n%s\nreplica:\n%s", op, step, name, want, got)
			}
		}
	}
}

// withoutTimes drops the consumer times from a dumpGroup.
func withoutTimes(dump string) string {
	lines := strings.Split(dump, "\n")
	for i, l := range lines {
		if j := strings.Index(l, " seen="); j >= 0 {
			lines[i] = l[:j] + l[strings.Index(l, " ["):]
		}
	}
	return strings.Join(lines, "\n")
}
