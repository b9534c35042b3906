package commands

import (
	"strings"

	"github.com/spool-dev/spool/streams"
)

// INFO's "queues" section: Spool's queue counters (XQ.STATS) summed over
// every consumer group of every stream. It is not a Redis section, so like
// a module's it is printed only when asked for by name or with
// "everything", never by INFO, INFO default or INFO all, which keep
// Redis's exact section list. Computing it walks the keyspace.
const infoQueuesSection = "queues"

func infoQueues(ctx *Context, b *strings.Builder) {
	var groups, policies, pending int64
	var total streams.GroupStats
	for _, db := range ctx.Keys.DBs {
		for _, e := range db.entries {
			s, ok := e.value.(*streams.Stream)
			if !ok {
				continue
			}
			for g := range s.Groups() {
				groups++
				if _, ok := g.Policy(); ok {
					policies++
				}
				pending += int64(g.PendingCount())
				st := g.Stats()
				total.Delivered += st.Delivered
				total.Redelivered += st.Redelivered
				total.Acked += st.Acked
				total.DeadLettered += st.DeadLettered
			}
		}
	}
	infoLine(b, "xq_groups", groups)
	infoLine(b, "xq_groups_with_policy", policies)
	infoLine(b, "xq_pending", pending)
	infoLine(b, "xq_delivered", total.Delivered)
	infoLine(b, "xq_redelivered", total.Redelivered)
	infoLine(b, "xq_acked", total.Acked)
	infoLine(b, "xq_dead_lettered", total.DeadLettered)
}
