package commands

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
)

// ACL users, as Redis 7.0's acl.c models them: a user has flags, password
// hashes and a list of selectors (the root selector first, then the ones
// given in parentheses); a selector has the commands it allows (a bit per
// command and subcommand), the first arguments it allows for otherwise
// denied commands, and its key and channel patterns. A command runs when any
// selector of the user allows it.

// Key pattern permissions (%R~, %W~, ~).
const (
	keyRead  = 1 << iota // ACL_READ_PERMISSION
	keyWrite             // ACL_WRITE_PERMISSION
	keyAll   = keyRead | keyWrite
)

type keyPattern struct {
	flags   int
	pattern string
}

// String is the pattern as a rule: ~p, %R~p or %W~p.
func (p keyPattern) String() string {
	switch p.flags {
	case keyAll:
		return "~" + p.pattern
	case keyRead:
		return "%R~" + p.pattern
	default:
		return "%W~" + p.pattern
	}
}

// aclSelector is one set of permissions of a user.
type aclSelector struct {
	root        bool
	allKeys     bool // allkeys / ~*
	allChannels bool // allchannels / &*
	allCommands bool // +@all with nothing removed since
	// allowed has a bit per command id; its last bit is the reserved one
	// that only +@all sets, which says the user may run commands added
	// later (ACLSelectorCanExecuteFutureCommands).
	allowed   []uint64
	firstArgs map[int][]string // by command id: allowed first arguments (+select|0)
	keys      []keyPattern
	channels  []string
}

// aclUser is one ACL user.
type aclUser struct {
	name      string
	enabled   bool // on / off
	nopass    bool
	sanitize  string   // "", "sanitize-payload" or "skip-sanitize-payload"
	passwords []string // SHA-256 hex digests, in the order added
	selectors []*aclSelector
}

// Errors of a rule, with ACLSetUserStringError's texts.
var (
	errACLSyntax          = errors.New("Syntax error")
	errACLUnknownName     = errors.New("Unknown command or category name in ACL")
	errACLKeyAfterAll     = errors.New("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns")
	errACLChannelAfterAll = errors.New("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels")
	errACLNoSuchPassword  = errors.New("The password you are trying to remove from the user does not exist")
	errACLBadHash         = errors.New("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters")
	errACLDuplicateUser   = errors.New("Duplicate user found. A user can only be defined once in config files")
	errACLFirstArgOfSub   = errors.New("Allowing first-arg of a subcommand is not supported")
)

// aclCommands numbers every command and subcommand of the table for the
// selectors' bitmaps, and walks them in a fixed order (by name, each
// container followed by its subcommands) where Redis walks its dict.
type aclCommands struct {
	table *Table
	ids   map[*Command]int
	top   []*Command // top-level commands by name
	order []*Command // every command by id: containers before their subcommands
	n     int        // number of ids; bit n is the future-commands bit
}

func newACLCommands(t *Table) *aclCommands {
	ac := &aclCommands{table: t, ids: map[*Command]int{}}
	for _, c := range t.All() {
		ac.top = append(ac.top, c)
		ac.order = append(ac.order, c)
		ac.order = append(ac.order, sortedSubcommands(c)...)
	}
	for id, c := range ac.order {
		ac.ids[c] = id
	}
	ac.n = len(ac.order)
	return ac
}

func sortedSubcommands(c *Command) []*Command {
	subs := append([]*Command(nil), c.Subcommands...)
	sort.Slice(subs, func(i, j int) bool { return subs[i].Name < subs[j].Name })
	return subs
}

// walk calls fn for every command, each container before its subcommands.
func (ac *aclCommands) walk(fn func(c *Command)) {
	for _, c := range ac.order {
		fn(c)
	}
}

// lookup is ACLLookupCommand: "get" or "config|get", case-insensitively.
func (ac *aclCommands) lookup(name string) *Command {
	return ac.table.lookupFullName(strings.ToLower(name))
}

func (ac *aclCommands) newSelector(root, allChannels bool) *aclSelector {
	return &aclSelector{root: root, allChannels: allChannels, allowed: make([]uint64, ac.n/64+1)}
}

func (s *aclSelector) bit(id int) bool { return s.allowed[id/64]&(1<<(id%64)) != 0 }

// setBit is ACLSetSelectorCommandBit: clearing any bit ends allcommands.
func (s *aclSelector) setBit(id int, on bool) {
	if on {
		s.allowed[id/64] |= 1 << (id % 64)
		return
	}
	s.allowed[id/64] &^= 1 << (id % 64)
	s.allCommands = false
}

// changePerm is ACLChangeSelectorPerm: a container's rule applies to its
// subcommands too.
func (s *aclSelector) changePerm(ac *aclCommands, c *Command, on bool) {
	id := ac.ids[c]
	s.setBit(id, on)
	delete(s.firstArgs, id)
	for _, sub := range c.Subcommands {
		s.setBit(ac.ids[sub], on)
	}
}

// setCategory is ACLSetSelectorCommandBitsForCategory for a category bit.
func (s *aclSelector) setCategory(ac *aclCommands, cat uint64, on bool) {
	for _, c := range ac.top {
		if c.aclCategories()&cat != 0 {
			s.changePerm(ac, c, on)
		}
		for _, sub := range c.Subcommands {
			if sub.aclCategories()&cat != 0 {
				s.changePerm(ac, sub, on)
			}
		}
	}
}

func (s *aclSelector) setAll(on bool) {
	var fill uint64
	if on {
		fill = ^uint64(0)
	}
	for i := range s.allowed {
		s.allowed[i] = fill
	}
	s.allCommands = on
	s.firstArgs = nil
}

func (s *aclSelector) clone() *aclSelector {
	d := *s
	d.allowed = append([]uint64(nil), s.allowed...)
	d.keys = append([]keyPattern(nil), s.keys...)
	d.channels = append([]string(nil), s.channels...)
	if s.firstArgs != nil {
		d.firstArgs = make(map[int][]string, len(s.firstArgs))
		for id, args := range s.firstArgs {
			d.firstArgs[id] = append([]string(nil), args...)
		}
	}
	return &d
}

// hasSpaces is ACLStringHasSpaces: usernames and patterns may not contain
// white space or NUL.
func hasSpaces(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\v', '\f', '\r', 0:
			return true
		}
	}
	return false
}

// apply is ACLSetSelector: one rule about commands, keys or channels.
func (s *aclSelector) apply(ac *aclCommands, op string) error {
	switch {
	case strings.EqualFold(op, "allkeys") || op == "~*":
		s.allKeys, s.keys = true, nil
	case strings.EqualFold(op, "resetkeys"):
		s.allKeys, s.keys = false, nil
	case strings.EqualFold(op, "allchannels") || op == "&*":
		s.allChannels, s.channels = true, nil
	case strings.EqualFold(op, "resetchannels"):
		s.allChannels, s.channels = false, nil
	case strings.EqualFold(op, "allcommands") || strings.EqualFold(op, "+@all"):
		s.setAll(true)
	case strings.EqualFold(op, "nocommands") || strings.EqualFold(op, "-@all"):
		s.setAll(false)
	case op[0] == '~' || op[0] == '%':
		return s.addKeyPattern(op)
	case op[0] == '&':
		if s.allChannels {
			return errACLChannelAfterAll
		}
		pat := op[1:]
		if hasSpaces(pat) {
			return errACLSyntax
		}
		for _, c := range s.channels {
			if c == pat {
				return nil
			}
		}
		s.channels = append(s.channels, pat)
	case len(op) > 1 && op[1] == '@' && (op[0] == '+' || op[0] == '-'):
		cat := aclCategoryBit(op[2:])
		if cat == 0 {
			return errACLUnknownName
		}
		s.setCategory(ac, cat, op[0] == '+')
	case op[0] == '+':
		return s.allowCommand(ac, op[1:])
	case op[0] == '-':
		c := ac.lookup(op[1:])
		if c == nil {
			return errACLUnknownName
		}
		s.changePerm(ac, c, false)
	default:
		return errACLSyntax
	}
	return nil
}

// addKeyPattern handles ~pattern and %R~ / %W~ / %RW~pattern.
func (s *aclSelector) addKeyPattern(op string) error {
	if s.allKeys {
		return errACLKeyAfterAll
	}
	flags, offset := keyAll, 1
	if op[0] == '%' {
		flags = 0
		for ; offset < len(op); offset++ {
			c := op[offset]
			switch {
			case (c == 'R' || c == 'r') && flags&keyRead == 0:
				flags |= keyRead
				continue
			case (c == 'W' || c == 'w') && flags&keyWrite == 0:
				flags |= keyWrite
				continue
			case c == '~':
				offset++
			default:
				return errACLSyntax
			}
			break
		}
		if flags == 0 {
			return errACLSyntax
		}
	}
	pat := op[min(offset, len(op)):]
	if hasSpaces(pat) {
		return errACLSyntax
	}
	for i := range s.keys {
		if s.keys[i].pattern == pat {
			s.keys[i].flags |= flags
			return nil
		}
	}
	s.keys = append(s.keys, keyPattern{flags: flags, pattern: pat})
	return nil
}

// allowCommand is +command, +container|sub and +command|first-arg.
func (s *aclSelector) allowCommand(ac *aclCommands, name string) error {
	i := strings.LastIndexByte(name, '|')
	if i < 0 {
		c := ac.lookup(name)
		if c == nil {
			return errACLUnknownName
		}
		s.changePerm(ac, c, true)
		return nil
	}
	c := ac.lookup(name[:i])
	switch {
	case c == nil:
		return errACLUnknownName
	case c.parent != nil:
		return errACLFirstArgOfSub
	case i == len(name)-1:
		return errACLSyntax
	}
	if len(c.Subcommands) > 0 {
		sub := ac.lookup(name)
		if sub == nil {
			return errACLUnknownName
		}
		s.changePerm(ac, sub, true)
		return nil
	}
	// Allowing one first argument of an otherwise denied command (Redis
	// logs that this is deprecated; it still honours it).
	id, arg := ac.ids[c], name[i+1:]
	for _, a := range s.firstArgs[id] {
		if strings.EqualFold(a, arg) {
			return nil
		}
	}
	if s.firstArgs == nil {
		s.firstArgs = map[int][]string{}
	}
	s.firstArgs[id] = append(s.firstArgs[id], arg)
	return nil
}

// hashPassword is ACLHashPassword: the lower-case hex SHA-256.
func hashPassword(pass []byte) string {
	sum := sha256.Sum256(pass)
	return hex.EncodeToString(sum[:])
}

// validHash is ACLCheckPasswordHash.
func validHash(h string) bool {
	if len(h) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if (h[i] < 'a' || h[i] > 'f') && (h[i] < '0' || h[i] > '9') {
			return false
		}
	}
	return true
}

func (u *aclUser) root() *aclSelector { return u.selectors[0] }

func (u *aclUser) clone() *aclUser {
	d := *u
	d.passwords = append([]string(nil), u.passwords...)
	d.selectors = make([]*aclSelector, len(u.selectors))
	for i, s := range u.selectors {
		d.selectors[i] = s.clone()
	}
	return &d
}

// apply is ACLSetUser: one rule about the user, or about its root selector.
func (u *aclUser) apply(a *aclState, op string) error {
	if op == "" {
		return nil
	}
	switch {
	case strings.EqualFold(op, "on"):
		u.enabled = true
	case strings.EqualFold(op, "off"):
		u.enabled = false
	case strings.EqualFold(op, "skip-sanitize-payload"), strings.EqualFold(op, "sanitize-payload"):
		u.sanitize = strings.ToLower(op)
	case strings.EqualFold(op, "nopass"):
		u.nopass, u.passwords = true, nil
	case strings.EqualFold(op, "resetpass"):
		u.nopass, u.passwords = false, nil
	case op[0] == '>' || op[0] == '#':
		h := op[1:]
		if op[0] == '>' {
			h = hashPassword([]byte(op[1:]))
		} else if !validHash(h) {
			return errACLBadHash
		}
		u.nopass = false
		for _, p := range u.passwords {
			if p == h {
				return nil
			}
		}
		u.passwords = append(u.passwords, h)
	case op[0] == '<' || op[0] == '!':
		h := op[1:]
		if op[0] == '<' {
			h = hashPassword([]byte(op[1:]))
		} else if !validHash(h) {
			return errACLBadHash
		}
		for i, p := range u.passwords {
			if p == h {
				u.passwords = append(u.passwords[:i:i], u.passwords[i+1:]...)
				return nil
			}
		}
		return errACLNoSuchPassword
	case op[0] == '(' && op[len(op)-1] == ')':
		s := a.cmds.newSelector(false, a.pubsubDefaultAll)
		for _, rule := range strings.Fields(op[1 : len(op)-1]) {
			if err := s.apply(a.cmds, rule); err != nil {
				return err
			}
		}
		u.selectors = append(u.selectors, s)
	case strings.EqualFold(op, "clearselectors"):
		u.selectors = u.selectors[:1]
	case strings.EqualFold(op, "reset"):
		u.nopass, u.passwords = false, nil
		r := u.root()
		r.allKeys, r.keys = false, nil
		r.allChannels, r.channels = a.pubsubDefaultAll, nil
		u.enabled = false
		u.sanitize = "sanitize-payload"
		u.selectors = u.selectors[:1]
		r.setAll(false)
	default:
		return u.root().apply(a.cmds, op)
	}
	return nil
}

// checkPassword reports whether pass is one of the user's passwords, in
// time independent of where the hashes differ.
func (u *aclUser) checkPassword(pass []byte) bool {
	if u.nopass {
		return true
	}
	h := []byte(hashPassword(pass))
	ok := 0
	for _, p := range u.passwords {
		ok |= subtle.ConstantTimeCompare(h, []byte(p))
	}
	return ok == 1
}

// mergeSelectorArgs is ACLMergeSelectorArguments: a selector may be spread
// over several arguments, "(+get" "~a*)". It returns the index of an
// unclosed selector's first argument when the parentheses do not match.
func mergeSelectorArgs(args []string) ([]string, int) {
	var out []string
	open := -1
	var sel string
	for j, op := range args {
		// A new opening parenthesis restarts the selector, as in Redis.
		if strings.HasPrefix(op, "(") && !strings.HasSuffix(op, ")") {
			sel, open = op, j
			continue
		}
		if open >= 0 {
			sel += " " + op
			if strings.HasSuffix(op, ")") {
				out = append(out, sel)
				open = -1
			}
			continue
		}
		out = append(out, op)
	}
	if open >= 0 {
		return nil, open
	}
	return out, -1
}
