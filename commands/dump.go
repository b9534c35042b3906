package commands

import (
	"fmt"
	"sort"
	"strings"
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
	default:
		fmt.Fprintf(b, "%T", v)
	}
}
