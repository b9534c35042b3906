package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/wal"
)

// Config is the server's configuration: redis.conf options by their Redis
// names. Load builds it from a config file and command-line flags.
type Config struct {
	Port        int
	Bind        []string
	Dir         string
	Databases   int
	AppendFsync string
	RequirePass string
	MaxClients  int
	Timeout     int // seconds a client may stay idle; 0 = forever
	// PubSubConfig is keyspace notifications and output buffer limits
	// (pubsub_config.go).
	PubSubConfig
	LogLevel               string
	LogFile                string
	ProtoMaxBulkLen        int64
	ClientQueryBufferLimit int64
	StreamNodeMaxEntries   int
	StreamNodeMaxBytes     int
	// SnapshotLogSize is the smallest log size (bytes) past which a snapshot is
	// taken automatically, so that the log and start-up stay short.
	SnapshotLogSize      int64
	SlowlogLogSlowerThan int64 // microseconds; -1 disables the slow log
	SlowlogMaxLen        int64
	EnableDebugCommand   string // no, yes or local
	// PprofAddr is a loopback host:port where net/http/pprof is served for
	// profiling (docs/PERFORMANCE.md); empty (the default) serves nothing.
	PprofAddr string
	// MaxMemory is maxmemory in bytes (0 = no limit); MaxMemoryPolicy can
	// only be noeviction: Spool refuses writes rather than evict keys.
	MaxMemory       int64
	MaxMemoryPolicy string
	// SecurityConfig is protected mode, ACL and TLS (security_config.go).
	SecurityConfig
	// EncodingConfig is the compact encodings' thresholds
	// (encoding_config.go).
	EncodingConfig
	// MetricsPort is the port of the Prometheus endpoint (/metrics,
	// metrics.go), on the first bind address; 0 (the default) serves
	// nothing.
	MetricsPort int
	// LogFormat is the log's format: text (the default) or json.
	LogFormat string

	// WALHook observes and can fail the log's disk operations: tests inject
	// disk faults with it. It has no option name and is nil in production.
	WALHook wal.Hook

	// ConfigFile is the absolute path of the file the config came from, if
	// any; CONFIG REWRITE writes there.
	ConfigFile string
}

// DefaultConfig is Redis's defaults, except that data lives in ./data.
func DefaultConfig() Config {
	return Config{
		Port:                   6379,
		Bind:                   []string{"127.0.0.1"},
		Dir:                    "./data",
		Databases:              16,
		AppendFsync:            "everysec",
		MaxClients:             10000,
		MaxMemoryPolicy:        "noeviction",
		SecurityConfig:         defaultSecurityConfig(),
		PubSubConfig:           defaultPubSubConfig(),
		EncodingConfig:         defaultEncodingConfig(),
		LogLevel:               "notice",
		ProtoMaxBulkLen:        512 << 20,
		ClientQueryBufferLimit: 1 << 30,
		StreamNodeMaxEntries:   100,
		StreamNodeMaxBytes:     4096,
		SnapshotLogSize:        8 << 20,
		SlowlogLogSlowerThan:   10000,
		SlowlogMaxLen:          128,
		EnableDebugCommand:     "no",
		LogFormat:              "text",
	}
}

func (c *Config) validate() error {
	if c.Databases < 1 {
		return errors.New("config: databases must be at least 1")
	}
	if err := c.SecurityConfig.validate(); err != nil {
		return err
	}
	return nil
}

// option is one configuration directive: how to parse it into a Config and
// how CONFIG GET prints it. alias is a second name it answers to (Redis
// 7.0's hash-max-ziplist-entries for hash-max-listpack-entries).
type option struct {
	name    string
	alias   string
	mutable bool
	set     func(c *Config, args []string) error
	get     func(c *Config) string
}

var (
	errNotInteger = errors.New("argument couldn't be parsed into an integer")
	errNotMemory  = errors.New("argument must be a memory value")
)

func intOption(name string, mutable bool, lo, hi int64, field func(*Config) *int) option {
	return int64Option(name, mutable, lo, hi,
		func(c *Config, n int64) { *field(c) = int(n) },
		func(c *Config) int64 { return int64(*field(c)) })
}

func int64Option(name string, mutable bool, lo, hi int64, set func(*Config, int64), get func(*Config) int64) option {
	return option{name: name, mutable: mutable,
		set: func(c *Config, args []string) error {
			n, ok := string2ll(args[0])
			if !ok {
				return errNotInteger
			}
			if n < lo || n > hi {
				return fmt.Errorf("argument must be between %d and %d inclusive", lo, hi)
			}
			set(c, n)
			return nil
		},
		get: func(c *Config) string { return strconv.FormatInt(get(c), 10) },
	}
}

// string2ll is Redis's strict integer parser: an optional minus sign and
// digits, no leading zeros, no plus sign, no spaces.
func string2ll(s string) (int64, bool) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || (digits[0] == '0' && len(digits) > 1) || (digits == "0" && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func memoryOption(name string, mutable bool, lo, hi int64, set func(*Config, int64), get func(*Config) int64) option {
	return option{name: name, mutable: mutable,
		set: func(c *Config, args []string) error {
			n, err := parseMemory(args[0])
			if err != nil {
				return err
			}
			if n < lo || n > hi {
				return fmt.Errorf("argument must be between %d and %d inclusive", lo, hi)
			}
			set(c, n)
			return nil
		},
		get: func(c *Config) string { return strconv.FormatInt(get(c), 10) },
	}
}

// enumOption accepts one of values, case-insensitively; its error lists
// them. unlisted values are accepted too but not named in the error, so
// that the text stays Redis 7.0's while Spool takes a later Redis's value.
func enumOption(name string, mutable bool, values []string, field func(*Config) *string, unlisted ...string) option {
	return option{name: name, mutable: mutable,
		set: func(c *Config, args []string) error {
			v := strings.ToLower(args[0])
			for _, ok := range append(values, unlisted...) {
				if v == ok {
					*field(c) = v
					return nil
				}
			}
			return fmt.Errorf("argument(s) must be one of the following: %s", strings.Join(values, ", "))
		},
		get: func(c *Config) string { return *field(c) },
	}
}

func stringOption(name string, mutable bool, field func(*Config) *string) option {
	return option{name: name, mutable: mutable,
		set: func(c *Config, args []string) error { *field(c) = args[0]; return nil },
		get: func(c *Config) string { return *field(c) },
	}
}

const (
	maxInt32  = 1<<31 - 1
	maxUint32 = 1<<32 - 1
	maxInt64  = 1<<63 - 1
)

// options is the directive table, sorted by name for CONFIG GET.
var options = func() []option {
	opts := []option{
		intOption("port", false, 0, 65535, func(c *Config) *int { return &c.Port }),
		{name: "bind", mutable: false,
			set: func(c *Config, args []string) error { c.Bind = append([]string(nil), args...); return nil },
			get: func(c *Config) string { return strings.Join(c.Bind, " ") }},
		{name: "dir", mutable: false,
			set: func(c *Config, args []string) error { c.Dir = args[0]; return nil },
			get: func(c *Config) string {
				if abs, err := filepath.Abs(c.Dir); err == nil {
					return abs
				}
				return c.Dir
			}},
		intOption("databases", false, 1, maxInt32, func(c *Config) *int { return &c.Databases }),
		// Enum values are listed in Redis's order: its error text names them so.
		enumOption("appendfsync", true, []string{"everysec", "always", "no"}, func(c *Config) *string { return &c.AppendFsync }),
		stringOption("requirepass", true, func(c *Config) *string { return &c.RequirePass }),
		intOption("maxclients", true, 1, maxUint32, func(c *Config) *int { return &c.MaxClients }),
		intOption("timeout", true, 0, maxInt32, func(c *Config) *int { return &c.Timeout }),
		// "nothing" is Redis 7.2's; Redis 7.0's error text does not name it.
		enumOption("loglevel", true, []string{"debug", "verbose", "notice", "warning"}, func(c *Config) *string { return &c.LogLevel }, "nothing"),
		stringOption("logfile", false, func(c *Config) *string { return &c.LogFile }),
		memoryOption("proto-max-bulk-len", true, 1024*1024, maxInt64,
			func(c *Config, n int64) { c.ProtoMaxBulkLen = n }, func(c *Config) int64 { return c.ProtoMaxBulkLen }),
		memoryOption("client-query-buffer-limit", true, 1024*1024, maxInt64,
			func(c *Config, n int64) { c.ClientQueryBufferLimit = n }, func(c *Config) int64 { return c.ClientQueryBufferLimit }),
		intOption("stream-node-max-entries", true, 0, maxInt64, func(c *Config) *int { return &c.StreamNodeMaxEntries }),
		memoryOption("snapshot-log-size", true, 0, maxInt64,
			func(c *Config, n int64) { c.SnapshotLogSize = n }, func(c *Config) int64 { return c.SnapshotLogSize }),
		memoryOption("stream-node-max-bytes", true, 0, maxInt64,
			func(c *Config, n int64) { c.StreamNodeMaxBytes = int(n) }, func(c *Config) int64 { return int64(c.StreamNodeMaxBytes) }),
		int64Option("slowlog-log-slower-than", true, -1, maxInt64,
			func(c *Config, n int64) { c.SlowlogLogSlowerThan = n }, func(c *Config) int64 { return c.SlowlogLogSlowerThan }),
		int64Option("slowlog-max-len", true, 0, maxInt64,
			func(c *Config, n int64) { c.SlowlogMaxLen = n }, func(c *Config) int64 { return c.SlowlogMaxLen }),
		// DEBUG is refused unless the config file enables it, as in Redis 7.
		enumOption("enable-debug-command", false, []string{"no", "yes", "local"}, func(c *Config) *string { return &c.EnableDebugCommand }),
		{name: "pprof-addr", mutable: false,
			set: func(c *Config, args []string) error {
				if err := checkLoopbackAddr(args[0]); err != nil {
					return err
				}
				c.PprofAddr = args[0]
				return nil
			},
			get: func(c *Config) string { return c.PprofAddr }},
		intOption("metrics-port", false, 0, 65535, func(c *Config) *int { return &c.MetricsPort }),
		enumOption("log-format", false, []string{"text", "json"}, func(c *Config) *string { return &c.LogFormat }),
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].name < opts[j].name })
	return opts
}()

// checkLoopbackAddr accepts "" or a host:port whose host is a loopback
// address or "localhost": profiles expose the process's internals, so they
// are never served beyond the machine.
func checkLoopbackAddr(addr string) error {
	if addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return errors.New("argument must be a loopback host:port, such as 127.0.0.1:6060")
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("argument must be a loopback host:port, such as 127.0.0.1:6060")
	}
	return nil
}

func findOption(name string) *option {
	name = strings.ToLower(name)
	for i := range options {
		if options[i].name == name || (options[i].alias != "" && options[i].alias == name) {
			return &options[i]
		}
	}
	return nil
}

// parseMemory is Redis's memtoull: a non-negative integer with an optional
// unit (k, kb, m, mb, g, gb; b), case-insensitive.
func parseMemory(s string) (int64, error) {
	ls := strings.ToLower(s)
	mul := int64(1)
	units := []struct {
		suffix string
		mul    int64
	}{{"gb", 1 << 30}, {"mb", 1 << 20}, {"kb", 1 << 10}, {"g", 1e9}, {"m", 1e6}, {"k", 1e3}, {"b", 1}}
	for _, u := range units {
		if strings.HasSuffix(ls, u.suffix) {
			ls, mul = ls[:len(ls)-len(u.suffix)], u.mul
			break
		}
	}
	if ls == "" || ls[0] == '-' || ls[0] == '+' {
		return 0, errNotMemory
	}
	n, err := strconv.ParseUint(ls, 10, 64)
	if err != nil || n > uint64(maxInt64)/uint64(mul) {
		return 0, errNotMemory
	}
	return int64(n) * mul, nil
}

// ConfigError is a start-up configuration error in Redis's style.
type ConfigError struct {
	Line   int // 0 for a command-line option
	Text   string
	Reason string
}

func (e *ConfigError) Error() string {
	where := "Reading the configuration file"
	if e.Line > 0 {
		where = fmt.Sprintf("Reading the configuration file, at line %d", e.Line)
	}
	return fmt.Sprintf("\n*** FATAL CONFIG FILE ERROR (Spool, Redis %s) ***\n%s\n>>> '%s'\n%s", commands.Version, where, e.Text, e.Reason)
}

// LoadConfig builds the configuration from redis-server style arguments:
// an optional config file path, then "--name value ..." options that win
// over the file.
func LoadConfig(args []string) (Config, error) {
	cfg := DefaultConfig()
	var text strings.Builder
	if len(args) > 0 && !strings.HasPrefix(args[0], "--") {
		path := args[0]
		args = args[1:]
		var data []byte
		var err error
		if path == "-" {
			data, err = io.ReadAll(os.Stdin)
		} else {
			data, err = os.ReadFile(path)
			if abs, aerr := filepath.Abs(path); aerr == nil {
				cfg.ConfigFile = abs
			}
		}
		if err != nil {
			return cfg, fmt.Errorf("fatal error, can't open config file '%s': %w", path, err)
		}
		text.Write(data)
		text.WriteByte('\n')
	}
	// Command-line options become config lines, as redis-server does: each
	// "--name" starts a new line and the words after it are its arguments.
	for i, a := range args {
		if strings.HasPrefix(a, "--") && len(a) > 2 {
			if i > 0 {
				text.WriteByte('\n')
			}
			text.WriteString(a[2:])
		} else {
			text.WriteByte(' ')
			text.WriteString(quoteConfigArg(a))
		}
	}
	err := applyConfigText(&cfg, text.String())
	return cfg, err
}

func quoteConfigArg(a string) string {
	if a == "" || strings.ContainsAny(a, " \t\"'\\") {
		return strconv.Quote(a)
	}
	return a
}

// applyConfigText applies redis.conf-format lines to cfg.
func applyConfigText(cfg *Config, text string) error {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := strings.TrimSpace(sc.Text())
		if raw == "" || raw[0] == '#' {
			continue
		}
		words, ok := splitArgs([]byte(raw))
		if !ok {
			return &ConfigError{Line: line, Text: raw, Reason: "Unbalanced quotes in configuration line"}
		}
		if len(words) == 0 {
			continue
		}
		name := strings.ToLower(string(words[0]))
		opt := findOption(name)
		vals := make([]string, len(words)-1)
		for i, w := range words[1:] {
			vals[i] = string(w)
		}
		if opt == nil || len(vals) == 0 || (len(vals) > 1 && name != "bind" && name != outputLimitOption.name) {
			return &ConfigError{Line: line, Text: raw, Reason: "Bad directive or wrong number of arguments"}
		}
		if err := opt.set(cfg, vals); err != nil {
			return &ConfigError{Line: line, Text: raw, Reason: err.Error()}
		}
	}
	return cfg.validate()
}

// ConfigGet returns the options matching any of the patterns, as Redis's
// CONFIG GET does: a pattern without glob characters is a case-insensitive
// lookup that answers under the name as given; a glob matches
// case-insensitively against every option name and alias. Like Redis 7.0,
// each name is reported once, and an option's name and its alias are two
// names.
func (s *Server) ConfigGet(patterns []string) [][2]string {
	var out [][2]string
	seen := map[string]bool{}
	for _, p := range patterns {
		if !strings.ContainsAny(p, "[*?") {
			if opt := findOption(p); opt != nil && !seen[strings.ToLower(p)] {
				seen[strings.ToLower(p)] = true
				out = append(out, [2]string{p, opt.get(&s.cfg)})
			}
			continue
		}
		for _, o := range options {
			for _, name := range []string{o.name, o.alias} {
				if name != "" && !seen[name] && commands.GlobMatch([]byte(p), []byte(name), true) {
					seen[name] = true
					out = append(out, [2]string{name, o.get(&s.cfg)})
				}
			}
		}
	}
	return out
}

// ConfigSet applies name/value pairs all or nothing, with CONFIG SET's
// checks in Redis's order: first every name (unknown, then immutable or
// repeated, reporting the first problem), then every value. As in Redis
// 7.0, a repeat is the same name typed twice (an option and its alias may
// both be set, the last winning), and a bad value is reported under the
// name typed, lower-cased.
func (s *Server) ConfigSet(pairs [][2]string) error {
	opts := make([]*option, len(pairs))
	var nameErr error
	for i, p := range pairs {
		opt := findOption(p[0])
		if opt == nil {
			if nameErr == nil {
				return fmt.Errorf("ERR Unknown option or number of arguments for CONFIG SET - '%s'", p[0])
			}
			continue
		}
		if nameErr != nil {
			continue
		}
		if !opt.mutable {
			nameErr = fmt.Errorf("ERR CONFIG SET failed (possibly related to argument '%s') - can't set immutable config", p[0])
			continue
		}
		for _, prev := range pairs[:i] {
			if strings.EqualFold(prev[0], p[0]) {
				nameErr = fmt.Errorf("ERR CONFIG SET failed (possibly related to argument '%s') - duplicate parameter", p[0])
				break
			}
		}
		opts[i] = opt
	}
	if nameErr != nil {
		return nameErr
	}
	next := s.cfg
	for i, p := range pairs {
		if err := opts[i].set(&next, []string{p[1]}); err != nil {
			return fmt.Errorf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", strings.ToLower(p[0]), err.Error())
		}
	}
	s.cfg = next
	s.applySettingsLocked()
	return nil
}

// ConfigRewrite writes the running configuration to the config file.
func (s *Server) ConfigRewrite() error {
	if s.cfg.ConfigFile == "" {
		return errors.New("ERR The server is running without a config file")
	}
	var b strings.Builder
	b.WriteString("# Written by Spool's CONFIG REWRITE\n")
	for _, o := range options {
		v := o.get(&s.cfg)
		if o.name == "bind" {
			b.WriteString("bind " + v + "\n")
			continue
		}
		b.WriteString(o.name + " " + quoteConfigArg(v) + "\n")
	}
	tmp := s.cfg.ConfigFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("ERR Rewriting config file: %s", err.Error())
	}
	if err := os.Rename(tmp, s.cfg.ConfigFile); err != nil {
		return fmt.Errorf("ERR Rewriting config file: %s", err.Error())
	}
	return nil
}

// SlogLevel maps Redis's loglevel names to slog levels.
func SlogLevel(level string) slog.Level {
	switch level {
	case "debug":
		return slog.LevelDebug
	case "verbose":
		return slog.LevelDebug + 2
	case "warning":
		return slog.LevelWarn
	default:
		return slog.LevelInfo
	}
}
