package commands

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spool-dev/spool/streams"
)

// Dump renders the whole dataset as deterministic text: every database, every
// key in order with its type, TTL deadline and value. Tests compare dumps to
// prove that replaying effects rebuilds exactly the same state. The caller
// holds the keyspace lock.
func (e *Engine) Dump() string {
	var b strings.Builder
	for _, db := range e.Keys.DBs {
		keys := make([]string, 0, len(db.entries))
		for _, en := range db.entries {
			keys = append(keys, en.key)
		}
		sort.Strings(keys)
		for _, k := range keys {
			en := db.peek(k)
			fmt.Fprintf(&b, "db%d %q expire=%d ", db.ID, k, en.expireAt)
			dumpValue(&b, en.value)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func dumpValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case *stringValue:
		fmt.Fprintf(b, "string %q", v.b)
	case *streams.Stream:
		dumpStream(b, v)
	case *listValue:
		dumpList(b, v)
	case *hashValue:
		dumpHash(b, v)
	case *setObject:
		b.WriteString(dumpSet(v))
	case *zsetObject:
		b.WriteString(dumpZset(v))
	default:
		fmt.Fprintf(b, "%T", v)
	}
}

// dumpStream renders a stream's counters, its node layout as XINFO STREAM
// sees it (radix-tree-keys and radix-tree-nodes) and every live entry.
func dumpStream(b *strings.Builder, s *streams.Stream) {
	info := s.Info()
	head, _ := s.HeadNodeID()
	fmt.Fprintf(b, "stream len=%d last=%v added=%d maxdel=%v first=%v nodes=%d rax=%d head=%v entries=[",
		info.Length, info.LastGeneratedID, info.EntriesAdded, info.MaxDeletedEntryID,
		info.RecordedFirstEntryID, info.RadixTreeKeys, info.RadixTreeNodes, head)
	s.Range(streams.MinID, streams.MaxID, 0, false, func(e streams.Entry) bool {
		fmt.Fprintf(b, " %v", e.ID)
		for _, f := range e.Fields {
			fmt.Fprintf(b, " %q", f)
		}
		b.WriteString(";")
		return true
	})
	b.WriteString(" ]")
	b.WriteString(s.IdmpDump())
	dumpGroups(b, s)
}

// dumpGroups renders a stream's consumer groups: each group's name,
// last-delivered-id and entries-read, its consumers with their seen-time,
// active-time and PEL size, and its whole PEL with owner, delivery time and
// delivery count.
func dumpGroups(b *strings.Builder, s *streams.Stream) {
	if s.GroupCount() == 0 {
		return
	}
	b.WriteString(" groups=[")
	for g := range s.Groups() {
		fmt.Fprintf(b, " %q last=%v read=%d consumers=[", g.Name(), g.LastID(), g.EntriesRead())
		for c := range g.Consumers() {
			fmt.Fprintf(b, " %q seen=%d active=%d pel=%d;", c.Name(), c.SeenTime(), c.ActiveTime(), c.PendingCount())
		}
		b.WriteString(" ] pel=[")
		for p := range g.PEL(streams.MinID) {
			fmt.Fprintf(b, " %v %q %d %d", p.ID, p.Consumer.Name(), p.DeliveryTime, p.DeliveryCount)
			if at := g.RedeliverAt(p.ID); at != 0 {
				fmt.Fprintf(b, " at=%d", at)
			}
			b.WriteString(";")
		}
		b.WriteString(" ]")
		if pol, ok := g.Policy(); ok {
			fmt.Fprintf(b, " policy=%+v", pol)
		}
		if st := g.Stats(); st != (streams.GroupStats{}) {
			fmt.Fprintf(b, " stats=%+v", st)
		}
		b.WriteString(";")
	}
	b.WriteString(" ]")
}
