package server_test

import (
	"sort"
	"strconv"
	"strings"
)

// sortReply is the @sort directive's canonical form of a reply: in every
// aggregate (array, set, map, push) whose elements are all scalars, the
// elements are sorted in runs of unit (1: each element; 2: member/score
// pairs as ZSCAN returns them), so that replies in an unspecified order (a
// hash table's) compare equal when they hold the same things. unit 0 leaves
// the reply alone; a reply that does not parse is returned as it is.
func sortReply(raw string, unit int) string {
	if unit <= 0 {
		return raw
	}
	n, rest, ok := parseRESPNode(raw)
	if !ok || rest != "" {
		return raw
	}
	var b strings.Builder
	n.write(&b, unit)
	return b.String()
}

// respNode is one parsed reply: its header line (type byte and length or
// value, with CRLF), the payload of a bulk-like reply, and the elements of
// an aggregate.
type respNode struct {
	head     string
	payload  string
	children []respNode
}

func parseRESPNode(s string) (respNode, string, bool) {
	i := strings.Index(s, "\r\n")
	if i < 1 {
		return respNode{}, s, false
	}
	n := respNode{head: s[:i+2]}
	rest := s[i+2:]
	count, err := strconv.Atoi(s[1:i])
	switch s[0] {
	case '$', '=', '!':
		if err != nil {
			return n, s, false
		}
		if count < 0 {
			return n, rest, true
		}
		if len(rest) < count+2 {
			return n, s, false
		}
		n.payload, rest = rest[:count+2], rest[count+2:]
	case '*', '~', '%', '>', '|':
		if err != nil {
			return n, s, false
		}
		if s[0] == '%' || s[0] == '|' {
			count *= 2
		}
		for j := 0; j < count; j++ {
			var c respNode
			var ok bool
			if c, rest, ok = parseRESPNode(rest); !ok {
				return n, s, false
			}
			n.children = append(n.children, c)
		}
	}
	return n, rest, true
}

func (n respNode) write(b *strings.Builder, unit int) {
	b.WriteString(n.head)
	b.WriteString(n.payload)
	scalars := len(n.children) > 0 && len(n.children)%unit == 0
	for _, c := range n.children {
		scalars = scalars && c.children == nil && !strings.ContainsAny(c.head[:1], "*~%>|")
	}
	if !scalars {
		for _, c := range n.children {
			c.write(b, unit)
		}
		return
	}
	runs := make([]string, 0, len(n.children)/unit)
	for j := 0; j < len(n.children); j += unit {
		var run strings.Builder
		for _, c := range n.children[j : j+unit] {
			c.write(&run, unit)
		}
		runs = append(runs, run.String())
	}
	sort.Strings(runs)
	for _, r := range runs {
		b.WriteString(r)
	}
}
