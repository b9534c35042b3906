package server

import (
	"errors"
	"sort"
	"strings"
)

// SecurityConfig is who may connect and what they may do: protected mode,
// the ACL file and log, and TLS.
type SecurityConfig struct {
	// ProtectedMode refuses clients from other hosts while the default user
	// has no password (protected.go).
	ProtectedMode bool
	// ACLFile is the file ACL LOAD and ACL SAVE use and that is loaded at
	// start-up ("" = none).
	ACLFile          string
	ACLLogMaxLen     int64
	ACLPubsubDefault string // allchannels or resetchannels
	// TLSPort serves TLS (0 = off); the certificate and key are PEM files.
	// TLSCACertFile holds the CAs that client certificates must chain to.
	TLSPort        int
	TLSCertFile    string
	TLSKeyFile     string
	TLSCACertFile  string
	TLSAuthClients string // yes (a client certificate is required), no, optional
}

func defaultSecurityConfig() SecurityConfig {
	return SecurityConfig{
		ProtectedMode:    true,
		ACLLogMaxLen:     128,
		ACLPubsubDefault: "resetchannels",
		TLSAuthClients:   "yes",
	}
}

// validate checks what Redis checks when it sets TLS up at start-up.
func (c *SecurityConfig) validate() error {
	if c.TLSPort == 0 {
		return nil
	}
	if c.TLSCertFile == "" || c.TLSKeyFile == "" {
		return errors.New("config: tls-port needs tls-cert-file and tls-key-file")
	}
	if c.TLSAuthClients != "no" && c.TLSCACertFile == "" {
		return errors.New("config: Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!")
	}
	return nil
}

// errOnlyNoEviction refuses the eviction policies Spool does not have.
var errOnlyNoEviction = errors.New("Spool only supports maxmemory-policy noeviction: it never evicts keys, writes get -OOM past maxmemory instead")

func boolOption(name string, mutable bool, field func(*Config) *bool) option {
	return option{name: name, mutable: mutable,
		set: func(c *Config, args []string) error {
			switch strings.ToLower(args[0]) {
			case "yes":
				*field(c) = true
			case "no":
				*field(c) = false
			default:
				return errors.New("argument must be 'yes' or 'no'")
			}
			return nil
		},
		get: func(c *Config) string {
			if *field(c) {
				return "yes"
			}
			return "no"
		},
	}
}

// maxmemoryPolicyOption accepts Redis's policies by name but only
// noeviction, with Redis's error for a name it does not know.
func maxmemoryPolicyOption() option {
	policies := []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
		"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}
	known := enumOption("maxmemory-policy", true, policies, func(c *Config) *string { return &c.MaxMemoryPolicy })
	return option{name: known.name, mutable: true, get: known.get,
		set: func(c *Config, args []string) error {
			probe := *c
			if err := known.set(&probe, args); err != nil {
				return err
			}
			if probe.MaxMemoryPolicy != "noeviction" {
				return errOnlyNoEviction
			}
			c.MaxMemoryPolicy = probe.MaxMemoryPolicy
			return nil
		},
	}
}

// The options of this file join the directive table, which stays sorted.
func init() {
	options = append(options,
		boolOption("protected-mode", true, func(c *Config) *bool { return &c.ProtectedMode }),
		stringOption("aclfile", false, func(c *Config) *string { return &c.ACLFile }),
		int64Option("acllog-max-len", true, 0, maxInt64,
			func(c *Config, n int64) { c.ACLLogMaxLen = n }, func(c *Config) int64 { return c.ACLLogMaxLen }),
		enumOption("acl-pubsub-default", true, []string{"allchannels", "resetchannels"},
			func(c *Config) *string { return &c.ACLPubsubDefault }),
		memoryOption("maxmemory", true, 0, maxInt64,
			func(c *Config, n int64) { c.MaxMemory = n }, func(c *Config) int64 { return c.MaxMemory }),
		maxmemoryPolicyOption(),
		intOption("tls-port", false, 0, 65535, func(c *Config) *int { return &c.TLSPort }),
		stringOption("tls-cert-file", false, func(c *Config) *string { return &c.TLSCertFile }),
		stringOption("tls-key-file", false, func(c *Config) *string { return &c.TLSKeyFile }),
		stringOption("tls-ca-cert-file", false, func(c *Config) *string { return &c.TLSCACertFile }),
		enumOption("tls-auth-clients", false, []string{"no", "yes", "optional"},
			func(c *Config) *string { return &c.TLSAuthClients }),
	)
	sort.Slice(options, func(i, j int) bool { return options[i].name < options[j].name })
}
