package server

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spool-dev/spool/commands"
)

// PubSubConfig is the pub/sub options: keyspace notifications and the
// output buffer limits that disconnect clients that fall behind.
type PubSubConfig struct {
	// NotifyKeyspaceEvents is notify-keyspace-events (commands/notify.go).
	NotifyKeyspaceEvents commands.NotifyClass
	// OutputBufferLimits is client-output-buffer-limit by client class:
	// normal, replica (accepted for compatibility: Spool has no replicas)
	// and pubsub.
	OutputBufferLimits [clientClasses]OutputBufferLimit
}

// OutputBufferLimit is one class's client-output-buffer-limit: a client
// whose pending output reaches Hard bytes, or stays at Soft bytes or more
// for longer than SoftSeconds, is disconnected. Zero disables a limit.
type OutputBufferLimit struct {
	Hard, Soft  int64
	SoftSeconds int64
}

// Client classes, in Redis's order (CLIENT_TYPE_NORMAL, _SLAVE, _PUBSUB).
const (
	classNormal = iota
	classReplica
	classPubsub
	clientClasses
)

var classNames = [clientClasses]string{"normal", "slave", "pubsub"}

func defaultPubSubConfig() PubSubConfig {
	return PubSubConfig{OutputBufferLimits: [clientClasses]OutputBufferLimit{
		classNormal:  {},
		classReplica: {Hard: 256 << 20, Soft: 64 << 20, SoftSeconds: 60},
		classPubsub:  {Hard: 32 << 20, Soft: 8 << 20, SoftSeconds: 60},
	}}
}

var (
	errNotifyClass    = errors.New("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
	errLimitArgs      = errors.New("Wrong number of arguments in buffer limit configuration.")
	errLimitClass     = errors.New("Invalid client class specified in buffer limit configuration.")
	errLimitValues    = errors.New("Error in hard, soft or soft_seconds setting in buffer limit configuration.")
	outputLimitOption = option{name: "client-output-buffer-limit", mutable: true,
		set: setOutputBufferLimits, get: getOutputBufferLimits}
)

// setOutputBufferLimits is setConfigClientOutputBufferLimitOption: groups
// of <class> <hard> <soft> <soft seconds>, all checked before any applies.
// CONFIG SET passes them as one string split on single spaces, as Redis
// does; a config file line passes them as words.
func setOutputBufferLimits(c *Config, args []string) error {
	if len(args) == 1 {
		if args[0] == "" {
			return nil
		}
		args = strings.Split(args[0], " ")
	}
	if len(args)%4 != 0 {
		return errLimitArgs
	}
	next := c.OutputBufferLimits
	for i := 0; i < len(args); i += 4 {
		class := -1
		switch strings.ToLower(args[i]) {
		case "normal":
			class = classNormal
		case "slave", "replica":
			class = classReplica
		case "pubsub":
			class = classPubsub
		}
		if class < 0 {
			return errLimitClass
		}
		hard, herr := parseMemory(args[i+1])
		soft, serr := parseMemory(args[i+2])
		seconds, ok := strtoll(args[i+3])
		if herr != nil || serr != nil || !ok || seconds < 0 {
			return errLimitValues
		}
		next[class] = OutputBufferLimit{Hard: hard, Soft: soft, SoftSeconds: seconds}
	}
	c.OutputBufferLimits = next
	return nil
}

func getOutputBufferLimits(c *Config) string {
	parts := make([]string, 0, 4*clientClasses)
	for class, l := range c.OutputBufferLimits {
		parts = append(parts, classNames[class], strconv.FormatInt(l.Hard, 10),
			strconv.FormatInt(l.Soft, 10), strconv.FormatInt(l.SoftSeconds, 10))
	}
	return strings.Join(parts, " ")
}

// strtoll is C's strtoll(s, &end, 10) with *end required to be '\0':
// leading blanks and a sign are allowed, the empty string is 0, an
// overflow saturates, and the result is then stored in an int as Redis
// stores soft_seconds.
func strtoll(s string) (int64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if v > (1<<63)/10 {
			overflow = true
		}
		v = v*10 + uint64(s[i]-'0')
		if v > 1<<63 {
			overflow = true
		}
		i++
	}
	if i == start {
		return 0, s == "" // no digits: end is s itself
	}
	if i != len(s) {
		return 0, false
	}
	var n int64
	switch {
	case overflow && neg:
		n = -1 << 63
	case overflow || (!neg && v == 1<<63):
		n = 1<<63 - 1
	case neg:
		n = -int64(v)
	default:
		n = int64(v)
	}
	return int64(int32(n)), true
}

// The options of this file join the directive table, which stays sorted.
func init() {
	options = append(options,
		option{name: "notify-keyspace-events", mutable: true,
			set: func(c *Config, args []string) error {
				flags, ok := commands.ParseNotifyFlags(args[0])
				if !ok {
					return errNotifyClass
				}
				c.NotifyKeyspaceEvents = flags
				return nil
			},
			get: func(c *Config) string { return commands.FormatNotifyFlags(c.NotifyKeyspaceEvents) }},
		outputLimitOption,
	)
	sort.Slice(options, func(i, j int) bool { return options[i].name < options[j].name })
}

// overOutputLimitLocked is checkClientOutputBufferLimits: whether used
// bytes of pending output break the class's hard limit, or its soft limit
// for longer than the soft seconds. softSince is the client's record of
// when it went over the soft limit. Caller holds s.mu.
func (s *Server) overOutputLimitLocked(softSince *time.Time, used int, class int) bool {
	l := &s.cfg.OutputBufferLimits[class]
	hard := l.Hard > 0 && int64(used) >= l.Hard
	soft := l.Soft > 0 && int64(used) >= l.Soft
	if !soft {
		*softSince = time.Time{}
		return hard
	}
	now := time.Now()
	if softSince.IsZero() {
		*softSince = now // the first time: not yet
		return hard
	}
	return hard || now.Unix()-softSince.Unix() > l.SoftSeconds
}

// checkReplyLimitLocked applies the client's output buffer limit to the
// replies of the batch that just ran (a subscriber's queued messages are
// checked as they are queued): over it, the replies are dropped and the
// connection closes, as Redis closes a client without writing. Caller
// holds s.mu.
func (c *conn) checkReplyLimitLocked() {
	class, used := classNormal, len(c.w.buf)
	if c.client.Subscribed() {
		class = classPubsub
		used += c.sub.usage()
	}
	l := &c.s.cfg.OutputBufferLimits[class]
	if l.Hard == 0 && l.Soft == 0 {
		return
	}
	if !c.s.overOutputLimitLocked(&c.replySoftSince, used, class) {
		return
	}
	c.w.buf = c.w.buf[:0]
	c.pushPrefix = 0
	c.client.Closing = true
	c.s.log.Warn("client scheduled to be closed ASAP for overcoming of output buffer limits",
		"client", c.client.Addr, "id", c.client.ID, "omem", used)
}
