package commands

import "testing"

func TestParseWait(t *testing.T) {
	cases := []struct {
		replicas, timeout string
		want              waitArgs
		err               string
	}{
		{"0", "0", waitArgs{}, ""},
		{"3", "250", waitArgs{replicas: 3, timeoutMs: 250}, ""},
		{"-1", "9223372036854775807", waitArgs{replicas: -1, timeoutMs: 9223372036854775807}, ""},
		{"x", "0", waitArgs{}, msgNotInteger},
		{"x", "-1", waitArgs{}, msgNotInteger},
		{"1.5", "0", waitArgs{}, msgNotInteger},
		{"0", "x", waitArgs{}, msgTimeoutNotInt},
		{"0", "1.5", waitArgs{}, msgTimeoutNotInt},
		{"0", "-0", waitArgs{}, msgTimeoutNotInt},
		{"0", "-1", waitArgs{}, msgTimeoutNegative},
	}
	for _, c := range cases {
		got, err := parseWait([][]byte{[]byte(c.replicas), []byte(c.timeout)})
		switch {
		case c.err != "":
			if err == nil || errorText(err) != c.err {
				t.Errorf("%s %s: err = %v, want %q", c.replicas, c.timeout, err, c.err)
			}
		case err != nil:
			t.Errorf("%s %s: unexpected error %v", c.replicas, c.timeout, err)
		case got != c.want:
			t.Errorf("%s %s: got %+v, want %+v", c.replicas, c.timeout, got, c.want)
		}
	}
}
