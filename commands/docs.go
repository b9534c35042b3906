package commands

import (
	"strings"
)

// COMMAND DOCS describes a command's arguments as a tree (Redis's
// redisCommandArg): leaves are keys, strings, integers or pure tokens,
// inner nodes are "oneof" (alternatives) and "block" (a sequence), and any
// node may be optional or repeated. redis-cli builds its input hints from
// that tree. Spool keeps one syntax line per command in redis.io notation
// and parses it here:
//
//	key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
//
// Upper-case words and symbols are tokens, lower-case words are arguments;
// a token directly followed by an argument introduces it ("LIMIT count").
// [...] is optional, <...> and {...} group; "x [x ...]" repeats x. A '|'
// with spaces around it separates whole sequences ("EX seconds | PX
// milliseconds"); a '|' between two words binds just those words
// ("MAXLEN|MINID"), taking a token's argument along when it has one
// ("EX seconds|PX milliseconds").

// docArg is one node of the argument tree.
type docArg struct {
	Name, Type, Token                 string
	Optional, Multiple, MultipleToken bool
	KeySpecIndex                      int
	Args                              []*docArg

	ellipsis bool      // a "..." word, while parsing
	repeat   []*docArg // the content of a "[x ...]" group, while parsing
}

const (
	argKey       = "key"
	argString    = "string"
	argInteger   = "integer"
	argPattern   = "pattern"
	argUnixTime  = "unix-time"
	argPureToken = "pure-token"
	argOneOf     = "oneof"
	argBlock     = "block"
)

// parseSyntax parses a syntax line into argument trees. It never fails:
// unbalanced brackets are closed or ignored. hasKeys tells whether the
// command has key specs, so that key-like names become key arguments.
func parseSyntax(syntax string, hasKeys bool) []*docArg {
	p := &syntaxParser{toks: tokenizeSyntax(syntax)}
	args, _ := p.level(0)
	keyIndex := 0
	for _, a := range args {
		assignKeys(a, hasKeys, &keyIndex)
	}
	return args
}

type syntaxToken struct {
	text   string
	kind   byte // 'w' for a word, else the bracket or '|'
	spaced bool // for '|': whitespace on either side
}

func tokenizeSyntax(s string) []syntaxToken {
	var toks []syntaxToken
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			space = true
			i++
		case strings.IndexByte("[]<>{}", c) >= 0:
			toks = append(toks, syntaxToken{text: s[i : i+1], kind: c})
			space = false
			i++
		case c == '|':
			after := i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\t')
			toks = append(toks, syntaxToken{text: "|", kind: '|', spaced: space || after})
			space = false
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\n\r[]<>{}|", s[j]) < 0 {
				j++
			}
			toks = append(toks, syntaxToken{text: s[i:j], kind: 'w'})
			space = false
			i = j
		}
	}
	return toks
}

type syntaxParser struct {
	toks []syntaxToken
	pos  int
}

// item is a parsed atom or a '|' between atoms.
type item struct {
	arg    *docArg
	pipe   bool
	spaced bool
}

func closer(open byte) byte {
	switch open {
	case '[':
		return ']'
	case '<':
		return '>'
	case '{':
		return '}'
	}
	return 0
}

// level parses up to the closing bracket (0 = end of input) and reports
// whether the group ended with "...".
func (p *syntaxParser) level(close byte) ([]*docArg, bool) {
	var items []item
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		p.pos++
		switch t.kind {
		case 'w':
			items = append(items, item{arg: leafArg(t.text)})
		case '|':
			items = append(items, item{pipe: true, spaced: t.spaced})
		case '[', '<', '{':
			inner, repeated := p.level(closer(t.kind))
			if a := group(inner, t.kind == '[', repeated); a != nil {
				items = append(items, item{arg: a})
			}
		default: // a closing bracket
			if t.kind == close {
				return p.finish(items)
			}
			// An unbalanced closer: ignore it.
		}
	}
	return p.finish(items)
}

// finish turns a group's items into argument nodes.
func (p *syntaxParser) finish(items []item) ([]*docArg, bool) {
	repeated := false
	if n := len(items); n > 0 && items[n-1].arg != nil && items[n-1].arg.ellipsis {
		repeated = true
		items = items[:n-1]
	}
	spaced := false
	for _, it := range items {
		if it.pipe && it.spaced {
			spaced = true
		}
	}
	if !spaced {
		return sequence(items), repeated
	}
	var alts []*docArg
	start := 0
	for i := 0; i <= len(items); i++ {
		if i == len(items) || (items[i].pipe && items[i].spaced) {
			if seq := sequence(items[start:i]); len(seq) == 1 {
				alts = append(alts, seq[0])
			} else if len(seq) > 1 {
				alts = append(alts, &docArg{Type: argBlock, Args: seq})
			}
			start = i + 1
		}
	}
	if len(alts) == 1 {
		return alts, repeated
	}
	return []*docArg{{Type: argOneOf, Args: alts}}, repeated
}

// group makes the node of a bracketed group.
func group(inner []*docArg, optional, repeated bool) *docArg {
	if len(inner) == 0 {
		return nil
	}
	if repeated {
		return &docArg{repeat: inner}
	}
	var a *docArg
	if len(inner) == 1 {
		a = inner[0]
		if optional && a.Optional {
			a = &docArg{Type: argBlock, Args: inner}
		}
	} else {
		a = &docArg{Type: argBlock, Args: inner}
	}
	if optional {
		a.Optional = true
	}
	return a
}

func leafArg(word string) *docArg {
	if word == "..." {
		return &docArg{ellipsis: true}
	}
	if isTokenWord(word) {
		return &docArg{Name: tokenName(word), Type: argPureToken, Token: word}
	}
	return &docArg{Name: word, Type: argTypeOf(word)}
}

// isTokenWord: upper-case words, symbols and quoted literals are typed as
// they stand; anything with a lower-case letter is an argument.
func isTokenWord(w string) bool {
	if strings.HasPrefix(w, `"`) {
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] >= 'a' && w[i] <= 'z' {
			return false
		}
	}
	return true
}

var symbolNames = map[string]string{
	"=": "equal", "~": "approximately", "*": "auto_id", "$": "last_id",
	"+": "plus", "-": "minus", ">": "new_id", `""`: "empty_string",
}

func tokenName(token string) string {
	if n, ok := symbolNames[token]; ok {
		return n
	}
	return strings.ToLower(token)
}

var integerArgs = map[string]bool{
	"count": true, "numkeys": true, "seconds": true, "milliseconds": true, "index": true,
	"offset": true, "db": true, "port": true, "limit": true, "numreplicas": true,
	"client-id": true, "protover": true, "ms": true, "min-idle-time": true,
	"maxlen": true, "start": true, "end": true, "stop": true, "entries-read": true,
	"entries_read": true, "retrycount": true, "timeout": true,
}

func argTypeOf(name string) string {
	switch {
	case name == "pattern":
		return argPattern
	case strings.HasPrefix(name, "unix-time"):
		return argUnixTime
	case integerArgs[name]:
		return argInteger
	}
	return argString
}

func isPlainArg(a *docArg) bool {
	return a != nil && a.repeat == nil && !a.ellipsis && a.Type != argPureToken &&
		a.Type != argOneOf && a.Type != argBlock && a.Token == "" && !a.Optional && !a.Multiple
}

func isPlainToken(a *docArg) bool {
	return a != nil && a.Type == argPureToken && !a.Optional && !a.Multiple
}

// sequence builds the nodes of items with no spaced '|': it joins words
// around tight pipes into oneofs, attaches tokens to their arguments and
// folds repetitions.
func sequence(items []item) []*docArg {
	at := func(i int) *docArg {
		if i < len(items) && !items[i].pipe {
			return items[i].arg
		}
		return nil
	}
	isPipe := func(i int) bool { return i < len(items) && items[i].pipe }
	// operand reads one side of a '|': an atom, or a token with its argument.
	operand := func(i int, first bool) (*docArg, int) {
		if isPlainToken(at(i)) && isPlainArg(at(i+1)) && (!first || isPipe(i+2)) {
			return &docArg{Type: argBlock, Args: attachTokens([]*docArg{at(i), at(i + 1)})}, i + 2
		}
		return at(i), i + 1
	}
	var nodes []*docArg
	for i := 0; i < len(items); {
		if items[i].pipe { // a stray '|'
			i++
			continue
		}
		a, next := operand(i, true)
		if !isPipe(next) {
			nodes = append(nodes, at(i))
			i++
			continue
		}
		alts := []*docArg{a}
		i = next
		for isPipe(i) && at(i+1) != nil {
			var b *docArg
			b, i = operand(i+1, false)
			alts = append(alts, b)
		}
		for j, alt := range alts {
			if alt.Type == argBlock && len(alt.Args) == 1 {
				alts[j] = alt.Args[0]
			}
		}
		nodes = append(nodes, &docArg{Type: argOneOf, Args: alts})
	}
	return foldRepeats(attachTokens(nodes))
}

// attachTokens gives a token followed by an argument (or by a oneof) to
// that argument: "LIMIT count" is the argument count with token LIMIT.
func attachTokens(nodes []*docArg) []*docArg {
	out := nodes[:0:0]
	for i := 0; i < len(nodes); i++ {
		a := nodes[i]
		if i+1 < len(nodes) && isPlainToken(a) {
			next := nodes[i+1]
			if isPlainArg(next) || (next.Type == argOneOf && next.Token == "" && !next.Optional && !next.Multiple) {
				next.Token = a.Token
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// foldRepeats turns "x [x ...]" into x marked multiple, and "x ..." too.
func foldRepeats(nodes []*docArg) []*docArg {
	var out []*docArg
	for _, a := range nodes {
		switch {
		case a.ellipsis:
			if len(out) > 0 {
				out[len(out)-1].Multiple = true
			}
		case a.repeat != nil:
			out = foldRepeat(out, a.repeat)
		default:
			out = append(out, a)
		}
	}
	return out
}

func foldRepeat(out, content []*docArg) []*docArg {
	k := len(content)
	if k == 1 && len(out) > 0 {
		prev := out[len(out)-1]
		switch {
		case sameArg(prev, content[0], true):
			prev.Multiple = true
			prev.MultipleToken = prev.Token != ""
			return out
		case content[0].Token == "" && prev.Token != "" && sameArg(prev, content[0], false):
			prev.Multiple = true
			return out
		case prev.Type == argOneOf && content[0].Type == argOneOf && !content[0].Optional &&
			len(prev.Args) > len(content[0].Args):
			// "a|b|c [b|c ...]": the repeated alternatives are one
			// alternative of their own, repeated.
			tail := prev.Args[len(prev.Args)-len(content[0].Args):]
			same := true
			for i := range tail {
				same = same && sameArg(tail[i], content[0].Args[i], true)
			}
			if same {
				inner := &docArg{Type: argOneOf, Args: append([]*docArg(nil), tail...), Multiple: true}
				prev.Args = append(prev.Args[:len(prev.Args)-len(tail)], inner)
				return out
			}
		}
	}
	if k > 1 && len(out) >= k {
		prev := out[len(out)-k:]
		same := true
		for i := range content {
			same = same && sameArg(prev[i], content[i], true)
		}
		if same {
			block := &docArg{Type: argBlock, Args: append([]*docArg(nil), prev...), Multiple: true}
			return append(out[:len(out)-k], block)
		}
	}
	// "[x ...]" with nothing to repeat before it: x, optional and multiple.
	a := content[0]
	if k > 1 {
		a = &docArg{Type: argBlock, Args: content}
	}
	a.Optional, a.Multiple = true, true
	return append(out, a)
}

// sameArg compares two trees; withToken false ignores the first token.
func sameArg(a, b *docArg, withToken bool) bool {
	if a.Name != b.Name && a.Type != argOneOf && a.Type != argBlock {
		return false
	}
	if a.Type != b.Type || a.Optional != b.Optional || a.Multiple != b.Multiple || len(a.Args) != len(b.Args) {
		return false
	}
	if withToken && a.Token != b.Token {
		return false
	}
	for i := range a.Args {
		if !sameArg(a.Args[i], b.Args[i], true) {
			return false
		}
	}
	return true
}

// assignKeys names oneofs and blocks after their parts and types key-like
// arguments as keys, numbering them in order of appearance.
func assignKeys(a *docArg, hasKeys bool, keyIndex *int) {
	for _, c := range a.Args {
		assignKeys(c, hasKeys, keyIndex)
	}
	switch a.Type {
	case argOneOf, argBlock:
		if a.Name == "" {
			names := make([]string, len(a.Args))
			for i, c := range a.Args {
				names[i] = c.Name
			}
			a.Name = strings.Join(names, "_")
		}
	case argString:
		if hasKeys && isKeyName(a.Name) {
			a.Type = argKey
			a.KeySpecIndex = *keyIndex
			*keyIndex++
		}
	}
}

func isKeyName(name string) bool {
	return name == "key" || strings.HasSuffix(name, "key") || name == "destination" || name == "source"
}

// reply writes the argument as COMMAND DOCS does (addReplyCommandArgList).
func (a *docArg) reply(out Reply) {
	n := 2
	if a.Type == argKey {
		n++
	}
	if a.Token != "" {
		n++
	}
	flags := a.flagNames()
	if len(flags) > 0 {
		n++
	}
	if a.Type == argOneOf || a.Type == argBlock {
		n++
	}
	out.Map(n)
	out.BulkString("name")
	out.BulkString(a.Name)
	out.BulkString("type")
	out.BulkString(a.Type)
	if a.Type == argKey {
		out.BulkString("key_spec_index")
		out.Int(int64(a.KeySpecIndex))
	}
	if a.Token != "" {
		out.BulkString("token")
		out.BulkString(a.Token)
	}
	if len(flags) > 0 {
		out.BulkString("flags")
		out.Set(len(flags))
		for _, f := range flags {
			out.SimpleString(f)
		}
	}
	if a.Type == argOneOf || a.Type == argBlock {
		out.BulkString("arguments")
		replyDocArgs(out, a.Args)
	}
}

func (a *docArg) flagNames() []string {
	var flags []string
	if a.Optional {
		flags = append(flags, "optional")
	}
	if a.Multiple {
		flags = append(flags, "multiple")
	}
	if a.MultipleToken {
		flags = append(flags, "multiple_token")
	}
	return flags
}

func replyDocArgs(out Reply, args []*docArg) {
	out.Array(len(args))
	for _, a := range args {
		a.reply(out)
	}
}
