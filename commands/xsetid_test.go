package commands

import (
	"testing"

	"github.com/spool-dev/spool/streams"
)

func TestParseXSetID(t *testing.T) {
	cases := []struct {
		line string
		want xsetidArgs
		err  string
	}{
		{line: "XSETID s 5", want: xsetidArgs{lastID: streams.ID{Ms: 5}, entriesAdded: -1}},
		{line: "XSETID s 5-1 ENTRIESADDED 0", want: xsetidArgs{lastID: streams.ID{Ms: 5, Seq: 1}}},
		{line: "XSETID s 5 entriesadded 3 ENTRIESADDED 9 maxdeletedid 4-2",
			want: xsetidArgs{lastID: streams.ID{Ms: 5}, entriesAdded: 9, maxDeleted: streams.ID{Ms: 4, Seq: 2}}},
		{line: "XSETID s 5 MAXDELETEDID 5", want: xsetidArgs{lastID: streams.ID{Ms: 5}, entriesAdded: -1, maxDeleted: streams.ID{Ms: 5}}},
		{line: "XSETID s abc", err: msgStreamInvalidID},
		{line: "XSETID s -", err: msgStreamInvalidID},
		{line: "XSETID s 1-*", err: msgStreamInvalidID},
		{line: "XSETID s 5 ENTRIESADDED", err: msgSyntax},
		{line: "XSETID s 5 ENTRIESADDED -1", err: msgStreamEntriesNegative},
		{line: "XSETID s 5 ENTRIESADDED x", err: msgNotInteger},
		{line: "XSETID s 5 MAXDELETEDID 6", err: msgStreamSetIDMaxDeleted},
		{line: "XSETID s 5 MAXDELETEDID x", err: msgStreamInvalidID},
		{line: "XSETID s 5 MAXDELETEDID 1 MAXDELETEDID 6", err: msgStreamSetIDMaxDeleted},
		{line: "XSETID s 5 FOO 1", err: msgSyntax},
	}
	for _, tc := range cases {
		p, err := parseXSetID(streamTestArgs(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || p != tc.want {
			t.Errorf("%q: got %+v, %v; want %+v", tc.line, p, err, tc.want)
		}
	}
}
