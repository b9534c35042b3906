package commands

import (
	"testing"

	"github.com/spool-dev/spool/streams"
)

func TestParseXGroupOptions(t *testing.T) {
	cases := []struct {
		line        string
		mkstream    bool
		entriesRead int64
		err         string
	}{
		{line: "XGROUP CREATE k g $", entriesRead: -1},
		{line: "XGROUP CREATE k g 0 MKSTREAM", mkstream: true, entriesRead: -1},
		{line: "XGROUP create k g 0 mkstream ENTRIESREAD 5 entriesread 7", mkstream: true, entriesRead: 7},
		{line: "XGROUP CREATE k g 0 ENTRIESREAD -1", entriesRead: -1},
		{line: "XGROUP CREATE k g 0 ENTRIESREAD 0", entriesRead: 0},
		{line: "XGROUP CREATE k g 0 ENTRIESREAD -2", err: msgEntriesReadRange},
		{line: "XGROUP CREATE k g 0 ENTRIESREAD x", err: msgNotInteger},
		{line: "XGROUP CREATE k g 0 ENTRIESREAD", err: "ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."},
		{line: "XGROUP CREATE k g 0 FOO", err: "ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."},
		{line: "XGROUP SETID k g 0 ENTRIESREAD 3", entriesRead: 3},
		{line: "XGROUP SETID k g 0 MKSTREAM", err: "ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP."},
		{line: "XGROUP DESTROY k g", entriesRead: -1},
		{line: "XGROUP CREATECONSUMER k g c", entriesRead: -1},
	}
	for _, tc := range cases {
		p, err := parseXGroupOptions(streamTestArgs(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || p.mkstream != tc.mkstream || p.entriesRead != tc.entriesRead {
			t.Errorf("%q: got %+v, %v", tc.line, p, err)
		}
	}
}

func TestResolveGroupID(t *testing.T) {
	s := streams.New()
	if err := s.Add(streams.ID{Ms: 5, Seq: 1}, [][]byte{[]byte("f"), []byte("v")}, streams.DefaultNodeLimits); err != nil {
		t.Fatal(err)
	}
	strict := func(b []byte) (streams.ID, error) { return streams.ParseID(b, 0) }
	loose := func(b []byte) (streams.ID, error) { return streams.ParseRangeID(b, true) }
	cases := []struct {
		s     *streams.Stream
		arg   string
		parse func([]byte) (streams.ID, error)
		want  streams.ID
		err   bool
	}{
		{s, "$", strict, streams.ID{Ms: 5, Seq: 1}, false},
		{nil, "$", strict, streams.MinID, false},
		{s, "7", strict, streams.ID{Ms: 7}, false},
		{s, "-", strict, streams.ID{}, true},
		{s, "-", loose, streams.MinID, false},
		{s, "+", loose, streams.MaxID, false},
		{s, "x", loose, streams.ID{}, true},
	}
	for _, tc := range cases {
		got, err := resolveGroupID(tc.s, []byte(tc.arg), tc.parse)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("%q: got %v, %v", tc.arg, got, err)
		}
	}
}
