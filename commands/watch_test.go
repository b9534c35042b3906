package commands

import (
	"testing"
	"time"
)

// execAfterWatch watches key for client 0 after setup, runs between, then
// answers what MULTI PING EXEC gives.
func execAfterWatch(env *txEnv, key string, between func()) string {
	env.t.Helper()
	env.expect(0, okReply, "WATCH", key)
	between()
	env.expect(0, okReply, "MULTI")
	env.expect(0, queued, "PING")
	return env.do(0, "EXEC")
}

func TestWatchTouches(t *testing.T) {
	cases := []struct {
		name    string
		setup   [][]string // by client 1, before WATCH
		between [][]string // by client 1, after WATCH
		want    string
	}{
		{"untouched", [][]string{{"SET", "k", "1"}}, nil, pongArr1},
		{"set", nil, [][]string{{"SET", "k", "1"}}, nullArr},
		{"read", [][]string{{"SET", "k", "1"}}, [][]string{{"GET", "k"}, {"EXISTS", "k"}}, pongArr1},
		{"del missing", nil, [][]string{{"DEL", "k"}}, pongArr1},
		{"del", [][]string{{"SET", "k", "1"}}, [][]string{{"DEL", "k"}}, nullArr},
		{"other db", nil, [][]string{{"SELECT", "1"}, {"SET", "k", "1"}}, pongArr1},
		{"flushdb other db", [][]string{{"SET", "k", "1"}}, [][]string{{"SELECT", "1"}, {"FLUSHDB"}}, pongArr1},
		{"flushall", [][]string{{"SET", "k", "1"}}, [][]string{{"FLUSHALL"}}, nullArr},
		{"flushall missing", nil, [][]string{{"FLUSHALL"}}, pongArr1},
		{"rename from", [][]string{{"SET", "k", "1"}}, [][]string{{"RENAME", "k", "z"}}, nullArr},
		{"rename to", [][]string{{"SET", "z", "1"}}, [][]string{{"RENAME", "z", "k"}}, nullArr},
		{"xadd", [][]string{{"XADD", "k", "1-0", "f", "v"}}, [][]string{{"XADD", "k", "2-0", "f", "v"}}, nullArr},
		{"xsetid", [][]string{{"XADD", "k", "1-0", "f", "v"}}, [][]string{{"XSETID", "k", "5-0"}}, pongArr1},
		{"swapdb present", [][]string{{"SET", "k", "1"}}, [][]string{{"SWAPDB", "0", "1"}}, nullArr},
		{"swapdb incoming", [][]string{{"SELECT", "1"}, {"SET", "k", "1"}}, [][]string{{"SWAPDB", "1", "0"}}, nullArr},
		{"swapdb absent", nil, [][]string{{"SWAPDB", "0", "1"}}, pongArr1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTxEnv(t)
			for _, cmd := range tc.setup {
				env.do(1, cmd...)
			}
			env.do(1, "SELECT", "0")
			got := execAfterWatch(env, "k", func() {
				for _, cmd := range tc.between {
					env.do(1, cmd...)
				}
			})
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if len(env.eng.watched) != 0 {
				t.Fatalf("EXEC left %d watched keys", len(env.eng.watched))
			}
		})
	}
}

// Redis 7.0's rules for keys that expire, checked with the clock rather
// than by sleeping: a key that expires after WATCH fails EXEC whether or not
// it was deleted yet; a key already expired when watched does not, unless
// it gets a new value.
func TestWatchExpiry(t *testing.T) {
	cases := []struct {
		name    string
		expired bool // the key expires before WATCH (else after)
		between func(env *txEnv)
		want    string
	}{
		{"expires after watch", false, func(*txEnv) {}, nullArr},
		{"expires after watch, lazily deleted", false, func(env *txEnv) { env.do(1, "GET", "k") }, nullArr},
		{"expires after watch, actively deleted", false, func(env *txEnv) { env.eng.ActiveExpireCycle(time.Second) }, nullArr},
		{"expired when watched", true, func(*txEnv) {}, pongArr1},
		{"expired when watched, lazily deleted", true, func(env *txEnv) { env.do(1, "GET", "k") }, pongArr1},
		{"expired when watched, actively deleted", true, func(env *txEnv) { env.eng.ActiveExpireCycle(time.Second) }, pongArr1},
		{"expired when watched, flushed", true, func(env *txEnv) { env.do(1, "FLUSHALL") }, pongArr1},
		{"expired when watched, set again", true, func(env *txEnv) { env.do(1, "SET", "k", "new") }, nullArr},
		{"expired when watched, deleted then set", true, func(env *txEnv) {
			env.do(1, "GET", "k")
			env.do(1, "SET", "k", "new")
		}, nullArr},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTxEnv(t)
			env.do(1, "SET", "k", "v", "PX", "100")
			if tc.expired {
				env.now = env.now.Add(time.Second)
			}
			got := execAfterWatch(env, "k", func() {
				if !tc.expired {
					env.now = env.now.Add(time.Second)
				}
				tc.between(env)
			})
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// SWAPDB with expired keys follows Redis 7.0's touchAllWatchedKeysInDb
// (checked against redis-server 7.0.15 with active expiry off).
func TestWatchSwapdbExpired(t *testing.T) {
	type db struct{ live, expired bool }
	cases := []struct {
		name       string
		db0, db1   db // the watched key in db 0 (watched) and db 1
		doubleSwap bool
		want       string
	}{
		{"absent <- expired", db{}, db{expired: true}, false, pongArr1},
		{"expired <- expired", db{expired: true}, db{expired: true}, false, pongArr1},
		{"expired <- live", db{expired: true}, db{live: true}, false, nullArr},
		{"expired <- absent", db{expired: true}, db{}, false, pongArr1},
		{"live <- absent", db{live: true}, db{}, false, nullArr},
		{"absent <- live", db{}, db{live: true}, false, nullArr},
		{"absent <- absent", db{}, db{}, false, pongArr1},
		{"live <- expired", db{live: true}, db{expired: true}, false, nullArr},
		{"absent <- expired, and back", db{}, db{expired: true}, true, pongArr1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTxEnv(t)
			put := func(dbIndex string, d db) {
				env.do(1, "SELECT", dbIndex)
				if d.live {
					env.do(1, "SET", "k", "v")
				}
				if d.expired {
					env.do(1, "SET", "k", "v", "PX", "100")
				}
			}
			put("0", tc.db0)
			put("1", tc.db1)
			env.now = env.now.Add(time.Second)
			got := execAfterWatch(env, "k", func() {
				env.do(1, "SWAPDB", "0", "1")
				if tc.doubleSwap {
					env.do(1, "SWAPDB", "0", "1")
				}
			})
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWatchRegistryIsReleased(t *testing.T) {
	env := newTxEnv(t)
	release := map[string]func(){
		"UNWATCH": func() { env.expect(0, okReply, "UNWATCH") },
		"EXEC":    func() { env.do(0, "MULTI"); env.do(0, "EXEC") },
		"DISCARD": func() { env.do(0, "MULTI"); env.expect(0, okReply, "DISCARD") },
		"RESET":   func() { env.expect(0, "+RESET\r\n", "RESET") },
		"failed EXEC": func() {
			env.do(1, "SET", "a", "1")
			env.do(0, "MULTI")
			env.expect(0, nullArr, "EXEC")
		},
		"disconnect": func() { env.eng.FreeClient(env.client(0)) },
	}
	env.eng.Host = resetHost{}
	for name, fn := range release {
		env.do(0, "WATCH", "a", "b", "a")
		env.do(2, "WATCH", "b")
		if n := len(env.client(0).watch.keys); n != 2 {
			t.Fatalf("%s: client watches %d keys, want 2", name, n)
		}
		fn()
		if len(env.client(0).watch.keys) != 0 || env.client(0).watch.dirty || env.client(0).Multi != nil {
			t.Fatalf("%s: client state not released", name)
		}
		if len(env.eng.watched) != 1 || len(env.eng.watched[watchKey{0, "b"}]) != 1 {
			t.Fatalf("%s: registry %v, want only client 2 on b", name, env.eng.watched)
		}
		env.do(2, "UNWATCH")
		if len(env.eng.watched) != 0 {
			t.Fatalf("%s: registry not empty", name)
		}
	}
}

func TestUnwatchClearsDirty(t *testing.T) {
	env := newTxEnv(t)
	env.do(0, "WATCH", "k")
	env.do(1, "SET", "k", "1")
	if !env.client(0).watch.dirty {
		t.Fatal("not dirty")
	}
	env.expect(0, okReply, "UNWATCH")
	env.do(0, "MULTI")
	env.expect(0, "*0\r\n", "EXEC")
}

func TestWatchInsideMultiIsRefused(t *testing.T) {
	env := newTxEnv(t)
	env.do(0, "MULTI")
	env.expect(0, "-ERR WATCH inside MULTI is not allowed\r\n", "WATCH", "k")
	env.expect(0, queued, "SET", "k", "1")
	env.expect(0, "*1\r\n+OK\r\n", "EXEC")
	if len(env.eng.watched) != 0 {
		t.Fatal("WATCH inside MULTI registered a key")
	}
}

func TestExecRESP3Null(t *testing.T) {
	env := newTxEnv(t)
	env.client(0).Proto = 3
	got := execAfterWatch(env, "k", func() { env.do(1, "SET", "k", "1") })
	if got != "_\r\n" {
		t.Fatalf("got %q", got)
	}
}

// resetHost answers RequirePass for RESET; nothing else is called.
type resetHost struct{ Host }

func (resetHost) RequirePass() string { return "" }
