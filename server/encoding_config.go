package server

import (
	"sort"

	"github.com/spool-dev/spool/commands"
)

// EncodingConfig is the thresholds of the compact encodings OBJECT ENCODING
// reports, under Redis 7.0's names (and the 6.x ziplist names as aliases).
type EncodingConfig struct {
	Encoding commands.EncodingLimits
	// ListMaxListpackSize is list-max-listpack-size: in Redis 7.0 it sizes
	// the nodes of a quicklist, which every list is, so no reply depends
	// on it. Spool keeps and reports it so that redis.conf files and
	// clients that set it work unchanged.
	ListMaxListpackSize int
}

func defaultEncodingConfig() EncodingConfig {
	return EncodingConfig{Encoding: commands.DefaultEncodingLimits(), ListMaxListpackSize: -2}
}

// aliased gives o a second name, as Redis 7.0 keeps the ziplist names of
// the listpack options.
func aliased(o option, alias string) option {
	o.alias = alias
	return o
}

// The options of this file join the directive table, which stays sorted.
// Their types and ranges are Redis 7.0's: the entries limits are integers,
// the value limits memory values (so "1k" is 1000).
func init() {
	options = append(options,
		aliased(intOption("hash-max-listpack-entries", true, 0, maxInt64,
			func(c *Config) *int { return &c.Encoding.HashMaxListpackEntries }), "hash-max-ziplist-entries"),
		aliased(memoryOption("hash-max-listpack-value", true, 0, maxInt64,
			func(c *Config, n int64) { c.Encoding.HashMaxListpackValue = int(n) },
			func(c *Config) int64 { return int64(c.Encoding.HashMaxListpackValue) }), "hash-max-ziplist-value"),
		intOption("set-max-intset-entries", true, 0, maxInt64,
			func(c *Config) *int { return &c.Encoding.SetMaxIntsetEntries }),
		aliased(intOption("zset-max-listpack-entries", true, 0, maxInt64,
			func(c *Config) *int { return &c.Encoding.ZsetMaxListpackEntries }), "zset-max-ziplist-entries"),
		aliased(memoryOption("zset-max-listpack-value", true, 0, maxInt64,
			func(c *Config, n int64) { c.Encoding.ZsetMaxListpackValue = int(n) },
			func(c *Config) int64 { return int64(c.Encoding.ZsetMaxListpackValue) }), "zset-max-ziplist-value"),
		aliased(intOption("list-max-listpack-size", true, -maxInt32-1, maxInt32,
			func(c *Config) *int { return &c.ListMaxListpackSize }), "list-max-ziplist-size"),
	)
	sort.Slice(options, func(i, j int) bool { return options[i].name < options[j].name })
}
