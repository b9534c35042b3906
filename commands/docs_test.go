package commands

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// renderArgs renders an argument tree the way redis-cli 7.0 does to build
// its hints (cliAddArgument): oneof children joined by '|', block children
// by ' ', optional in brackets, multiple as "x [x ...]".
func renderArgs(args []*docArg) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = renderArg(a)
	}
	return strings.Join(parts, " ")
}

func renderArg(a *docArg) string {
	token := a.Token
	var repeat string
	switch a.Type {
	case argOneOf:
		parts := make([]string, len(a.Args))
		for i, c := range a.Args {
			parts[i] = renderArg(c)
		}
		repeat = strings.Join(parts, "|")
	case argBlock:
		repeat = renderArgs(a.Args)
	case argPureToken:
	default:
		repeat = a.Name
	}
	if token != "" && a.Type != argPureToken {
		token += " "
	}
	var b strings.Builder
	if a.Optional {
		b.WriteString("[")
	}
	b.WriteString(token + repeat)
	if a.Multiple {
		b.WriteString(" [")
		if a.MultipleToken {
			b.WriteString(token)
		}
		b.WriteString(repeat + " ...]")
	}
	if a.Optional {
		b.WriteString("]")
	}
	return b.String()
}

// describe prints the tree for readable failures and exact expectations.
func describe(args []*docArg) string {
	var b strings.Builder
	var walk func(a *docArg)
	walk = func(a *docArg) {
		b.WriteString(a.Type + ":" + a.Name)
		if a.Token != "" {
			b.WriteString("/" + a.Token)
		}
		for _, f := range a.flagNames() {
			b.WriteString("," + f)
		}
		if len(a.Args) > 0 {
			b.WriteString("(")
			for i, c := range a.Args {
				if i > 0 {
					b.WriteString(" ")
				}
				walk(c)
			}
			b.WriteString(")")
		}
	}
	for i, a := range args {
		if i > 0 {
			b.WriteString(" ")
		}
		walk(a)
	}
	return b.String()
}

func TestParseSyntaxTrees(t *testing.T) {
	tests := []struct {
		syntax  string
		hasKeys bool
		want    string
	}{
		{"", false, ""},
		{"key", true, "key:key"},
		{"key", false, "string:key"},
		{"key [key ...]", true, "key:key,multiple"},
		{"[section [section ...]]", false, "string:section,optional,multiple"},
		{"key value [NX|XX] [GET]", true,
			"key:key string:value oneof:nx_xx,optional(pure-token:nx/NX pure-token:xx/XX) pure-token:get/GET,optional"},
		// Spaced and tight pipes between token/argument pairs mean the same.
		{"[EX seconds | PX milliseconds | KEEPTTL]", true,
			"oneof:seconds_milliseconds_keepttl,optional(integer:seconds/EX integer:milliseconds/PX pure-token:keepttl/KEEPTTL)"},
		{"[EX seconds|PX milliseconds|KEEPTTL]", true,
			"oneof:seconds_milliseconds_keepttl,optional(integer:seconds/EX integer:milliseconds/PX pure-token:keepttl/KEEPTTL)"},
		// A tight pipe binds single words: MAXLEN|MINID, =|~, *|id.
		{"key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]", true,
			"key:key pure-token:nomkstream/NOMKSTREAM,optional " +
				"block:maxlen_minid_equal_approximately_threshold_count,optional(oneof:maxlen_minid(pure-token:maxlen/MAXLEN pure-token:minid/MINID) " +
				"oneof:equal_approximately,optional(pure-token:equal/= pure-token:approximately/~) string:threshold integer:count/LIMIT,optional) " +
				"oneof:auto_id_id(pure-token:auto_id/* string:id) block:field_value,multiple(string:field string:value)"},
		// redis.io style with <> groups.
		{"key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]", true,
			"key:key pure-token:nomkstream/NOMKSTREAM,optional " +
				"block:maxlen_minid_equal_approximately_threshold_count,optional(oneof:maxlen_minid(pure-token:maxlen/MAXLEN pure-token:minid/MINID) " +
				"oneof:equal_approximately,optional(pure-token:equal/= pure-token:approximately/~) string:threshold integer:count/LIMIT,optional) " +
				"oneof:auto_id_id(pure-token:auto_id/* string:id) block:field_value,multiple(string:field string:value)"},
		// A token keeps its argument; a repeated argument without the token is
		// multiple, with it multiple_token.
		{"STREAMS key [key ...] id [id ...]", true, "key:key/STREAMS,multiple string:id,multiple"},
		{"[GET pattern [GET pattern ...]]", true, "pattern:pattern/GET,optional,multiple,multiple_token"},
		{"[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]", false,
			"oneof:normal_master_replica_pubsub/TYPE,optional(pure-token:normal/NORMAL pure-token:master/MASTER pure-token:replica/REPLICA pure-token:pubsub/PUBSUB) " +
				"integer:client-id/ID,optional,multiple"},
		{"[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]", false,
			"oneof:module-name_category_pattern/FILTERBY,optional(string:module-name/MODULE string:category/ACLCAT pattern:pattern/PATTERN)"},
		{"[FULL [COUNT count]]", true, "block:full_count,optional(pure-token:full/FULL integer:count/COUNT,optional)"},
		{"source destination", true, "key:source key:destination"},
		// Unbalanced brackets are tolerated.
		{"key [COUNT count", true, "key:key integer:count/COUNT,optional"},
		{"key ] value", true, "key:key string:value"},
	}
	for _, tt := range tests {
		got := describe(parseSyntax(tt.syntax, tt.hasKeys))
		if got != tt.want {
			t.Errorf("parseSyntax(%q)\n got: %s\nwant: %s", tt.syntax, got, tt.want)
		}
	}
}

func TestParseSyntaxKeySpecIndex(t *testing.T) {
	args := parseSyntax("destkey key [key ...]", true)
	if len(args) != 2 || args[0].KeySpecIndex != 0 || args[1].KeySpecIndex != 1 {
		t.Fatalf("key spec indexes: %s", describe(args))
	}
}

// TestParseSyntaxRoundTrip parses every Redis 7.0.15 command's argument
// line as redis-cli renders it and requires the same rendering back, which
// is what redis-cli's hints are made of.
func TestParseSyntaxRoundTrip(t *testing.T) {
	f, err := os.Open("testdata/redis-7.0.15-syntax.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, syntax, _ := strings.Cut(line, "\t")
		if got := renderArgs(parseSyntax(syntax, true)); got != syntax {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, syntax)
		}
		n++
	}
	if n < 300 {
		t.Fatalf("only %d commands in the fixture", n)
	}
}

// TestCommandTableSyntaxes renders every command's syntax line of Spool's
// own table: the rendering must keep every word of the line, so that
// redis-cli's hints show it whole.
func TestCommandTableSyntaxes(t *testing.T) {
	norm := func(s string) string {
		s = strings.NewReplacer(" | ", "|", "<", "", ">", "", "{", "", "}", "").Replace(s)
		return strings.Join(strings.Fields(s), " ")
	}
	for _, c := range newCommandTable().All() {
		for _, cmd := range append([]*Command{c}, c.Subcommands...) {
			got := renderArgs(parseSyntax(cmd.Syntax, len(cmd.keySpecs()) > 0))
			if norm(got) != norm(cmd.Syntax) {
				t.Errorf("%s: syntax %q renders as %q", cmd.Name, cmd.Syntax, got)
			}
		}
	}
}
