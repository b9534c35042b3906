package commands

import "testing"

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, str string
		want         bool
	}{
		{"*", "", false}, // KEYS and SCAN special-case a lone "*"
		{"*", "anything", true},
		{"h?llo", "hello", true},
		{"h?llo", "hllo", false},
		{"h*llo", "heeeello", true},
		{"h[ae]llo", "hallo", true},
		{"h[ae]llo", "hillo", false},
		{"h[^e]llo", "hallo", true},
		{"h[^e]llo", "hello", false},
		{"h[a-b]llo", "hbllo", true},
		{"h[b-a]llo", "hbllo", true},
		{"h[a-b]llo", "hcllo", false},
		{`h\*llo`, "h*llo", true},
		{`h\*llo`, "hello", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"[abc", "a", true},
		{"foo*", "foo", true},
		{"foo**", "foo", true},
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		{`[\]]`, "]", true},
		{"*a", "ba", true},
	}
	for _, c := range cases {
		if got := GlobMatch([]byte(c.pattern), []byte(c.str), false); got != c.want {
			t.Errorf("GlobMatch(%q, %q) = %v, want %v", c.pattern, c.str, got, c.want)
		}
	}
}
