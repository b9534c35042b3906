package commands

import (
	"sort"
	"strings"
	"sync"
)

// Flags describe how the dispatcher may run a command; COMMAND INFO shows
// them with Redis's names.
type Flags uint32

const (
	FlagWrite Flags = 1 << iota
	FlagReadOnly
	FlagDenyOOM
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagFast
	FlagNoAuth
	FlagNoMulti
	FlagAllowBusy
	FlagMayReplicate
	FlagSkipSlowlog
)

var flagNames = []struct {
	flag Flags
	name string
}{
	{FlagWrite, "write"}, {FlagReadOnly, "readonly"}, {FlagDenyOOM, "denyoom"},
	{FlagAdmin, "admin"}, {FlagPubSub, "pubsub"}, {FlagNoScript, "noscript"},
	{FlagBlocking, "blocking"}, {FlagLoading, "loading"}, {FlagStale, "stale"},
	{FlagSkipMonitor, "skip_monitor"}, {FlagSkipSlowlog, "skip_slowlog"}, {FlagFast, "fast"},
	{FlagNoAuth, "no_auth"}, {FlagMayReplicate, "may_replicate"}, {FlagNoMulti, "no_multi"},
	{FlagAllowBusy, "allow_busy"},
}

// Command is one row of the command table: what COMMAND reports about it and
// the handler that runs it.
type Command struct {
	Name  string // lower case; subcommands are "container|sub"
	Arity int    // n: exactly n arguments including the name; -n: at least n
	Flags Flags
	// Key positions as COMMAND INFO reports them: first, last (-1 = last
	// argument, -2 = one before it), step. Zero when the command has no keys.
	FirstKey, LastKey, Step int
	// Categories are the ACL categories without '@' ("keyspace read fast").
	Categories string
	// Documentation for COMMAND DOCS: group ("string", "generic", ...), the
	// version that introduced it, one-line summary, complexity and the syntax
	// of the arguments after the name in redis.io's notation.
	Group, Since, Summary, Complexity, Syntax string
	Run                                       func(*Context)
	Subcommands                               []*Command
	// Help is the text of the container's HELP subcommand, one line each.
	Help []string

	parent *Command
}

// Table is the command table: every command Spool serves, by lower-case name.
type Table struct {
	byName map[string]*Command
}

// Lookup finds a command by name, case-insensitively.
func (t *Table) Lookup(name []byte) *Command {
	if c, ok := t.byName[string(name)]; ok {
		return c
	}
	return t.byName[strings.ToLower(string(name))]
}

// All returns the commands sorted by name.
func (t *Table) All() []*Command {
	out := make([]*Command, 0, len(t.byName))
	for _, c := range t.byName {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Len is the number of top-level commands.
func (t *Table) Len() int { return len(t.byName) }

func newTable(cmds ...*Command) *Table {
	t := &Table{byName: make(map[string]*Command, len(cmds))}
	// The Command values are package-level: the first table links each
	// subcommand to its container and gives it its full name, later ones
	// find that done and only read. The lock keeps two engines created at
	// once (parallel tests) from racing on the first link.
	subcommandLinks.Lock()
	defer subcommandLinks.Unlock()
	for _, c := range cmds {
		if _, dup := t.byName[c.Name]; dup {
			panic("commands: duplicate command " + c.Name)
		}
		for _, s := range c.Subcommands {
			if s.parent != c {
				s.parent = c
			}
			if !strings.HasPrefix(s.Name, c.Name+"|") {
				s.Name = c.Name + "|" + s.Name
			}
		}
		t.byName[c.Name] = c
	}
	return t
}

// subcommandLinks guards newTable's one-time linking of subcommands.
var subcommandLinks sync.Mutex

// subcommand finds the subcommand of a container by its name argument.
func (c *Command) subcommand(name []byte) *Command {
	want := c.Name + "|" + strings.ToLower(string(name))
	for _, s := range c.Subcommands {
		if s.Name == want {
			return s
		}
	}
	return nil
}

// ShortName is the part of a subcommand's name after the container.
func (c *Command) ShortName() string {
	if i := strings.IndexByte(c.Name, '|'); i >= 0 {
		return c.Name[i+1:]
	}
	return c.Name
}

func (c *Command) has(f Flags) bool { return c.Flags&f != 0 }

// arityOK reports whether n arguments (name included) fit the arity.
func arityOK(arity, n int) bool {
	if arity >= 0 {
		return n == arity
	}
	return n >= -arity
}
