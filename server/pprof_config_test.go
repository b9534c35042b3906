package server

import "testing"

func TestPprofAddrIsLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:6060", "localhost:6060", "[::1]:6060", "127.0.0.2:0"} {
		cfg, err := LoadConfig([]string{"--pprof-addr", addr})
		if err != nil {
			t.Errorf("%s: %v", addr, err)
		} else if cfg.PprofAddr != addr {
			t.Errorf("%s: got %q", addr, cfg.PprofAddr)
		}
	}
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "10.0.0.1:6060", "example.com:80", "127.0.0.1", "x"} {
		if _, err := LoadConfig([]string{"--pprof-addr", addr}); err == nil {
			t.Errorf("%s: accepted", addr)
		}
	}
	if cfg := DefaultConfig(); cfg.PprofAddr != "" {
		t.Errorf("default %q, want off", cfg.PprofAddr)
	}
}
