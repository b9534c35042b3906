package commands

import "testing"

func TestParseXInfoStream(t *testing.T) {
	cases := []struct {
		line string
		want xinfoStreamArgs
		err  string
	}{
		{line: "XINFO STREAM s", want: xinfoStreamArgs{count: 10}},
		{line: "XINFO STREAM s FULL", want: xinfoStreamArgs{full: true, count: 10}},
		{line: "XINFO STREAM s full count 3", want: xinfoStreamArgs{full: true, count: 3}},
		{line: "XINFO STREAM s FULL COUNT 0", want: xinfoStreamArgs{full: true, count: 0}},
		{line: "XINFO STREAM s FULL COUNT -1", want: xinfoStreamArgs{full: true, count: 10}},
		{line: "XINFO STREAM s FULL COUNT x", err: msgNotInteger},
		{line: "XINFO STREAM s FULL COUNT", err: "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."},
		{line: "XINFO Stream s COUNT 1", err: "ERR unknown subcommand or wrong number of arguments for 'Stream'. Try XINFO HELP."},
		{line: "XINFO STREAM s FULL COUNT 1 COUNT 2", err: "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."},
		{line: "XINFO STREAM s FULL X 1", err: "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."},
	}
	for _, tc := range cases {
		p, err := parseXInfoStream(streamTestArgs(tc.line))
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
