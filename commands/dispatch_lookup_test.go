package commands

import (
	"strings"
	"testing"
)

// lookupCommand must find exactly what Table.Lookup finds.
func TestLookupCommandMatchesTable(t *testing.T) {
	table := newCommandTable()
	names := []string{"xadd", "XADD", "XAdd", "xAdD", "get", "GET", "client", "CLIENT",
		"xq.policy", "XQ.POLICY", "Xq.Nack", "nosuch", "NOSUCH", "", "x",
		"\u212aeys", "KEY\u017f", "xadd\x00", "XADD ", strings.Repeat("A", 32), strings.Repeat("a", 40)}
	for _, c := range table.All() {
		names = append(names, c.Name, strings.ToUpper(c.Name))
	}
	for name := range table.byName {
		if name != strings.ToLower(name) {
			t.Errorf("table name %q is not lower case: lookupCommand would miss it", name)
		}
	}
	for _, name := range names {
		if got, want := lookupCommand(table, []byte(name)), table.Lookup([]byte(name)); got != want {
			t.Errorf("lookupCommand(%q) = %v, Table.Lookup = %v", name, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { lookupCommand(table, []byte("XADD")) }); n != 0 {
		t.Errorf("lookupCommand(XADD) allocates %v times", n)
	}
}

func BenchmarkLookupCommand(b *testing.B) {
	table := newCommandTable()
	for _, name := range []string{"XADD", "xadd", "XREADGROUP"} {
		arg := []byte(name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if lookupCommand(table, arg) == nil {
					b.Fatal("not found")
				}
			}
		})
		b.Run(name+"/Table.Lookup", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if table.Lookup(arg) == nil {
					b.Fatal("not found")
				}
			}
		})
	}
}
