package server

import "testing"

// TestEncodingOptionsLoad checks that the listpack options and their
// ziplist aliases load from redis.conf lines into the engine's limits, the
// last line winning, and that CONFIG REWRITE's table lists each option once.
func TestEncodingOptionsLoad(t *testing.T) {
	cfg, err := LoadConfig([]string{"--hash-max-ziplist-entries", "3", "--hash-max-listpack-value", "1k",
		"--zset-max-listpack-entries", "5", "--zset-max-ziplist-entries", "7", "--set-max-intset-entries", "9",
		"--list-max-ziplist-size", "-5"})
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Encoding
	if got.HashMaxListpackEntries != 3 || got.HashMaxListpackValue != 1000 || got.ZsetMaxListpackEntries != 7 ||
		got.SetMaxIntsetEntries != 9 || got.ZsetMaxListpackValue != 64 || cfg.ListMaxListpackSize != -5 {
		t.Fatalf("loaded %+v, list-max-listpack-size %d", got, cfg.ListMaxListpackSize)
	}
	if _, err := LoadConfig([]string{"--zset-max-ziplist-value", "-1"}); err == nil {
		t.Fatal("a negative zset-max-ziplist-value loaded")
	}
	names := map[string]bool{}
	for _, o := range options {
		if names[o.name] || (o.alias != "" && findOption(o.alias) != findOption(o.name)) {
			t.Errorf("option %q is listed twice or its alias %q finds another", o.name, o.alias)
		}
		names[o.name] = true
	}
}
