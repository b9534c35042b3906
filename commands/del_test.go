package commands

import (
	"strings"
	"testing"
	"time"
)

// keyspaceEnv is an engine with a settable clock and one client, for running
// keyspace commands and checking their replies, effects and signals.
type keyspaceEnv struct {
	t        *testing.T
	eng      *Engine
	client   *Client
	now      time.Time
	effects  []string
	signaled []string
}

func newKeyspaceEnv(t *testing.T) *keyspaceEnv {
	env := &keyspaceEnv{t: t, now: time.UnixMilli(1_700_000_000_000)}
	env.eng = NewEngine(16, nil, func() time.Time { return env.now })
	env.client = NewClient(1, "test:1", "test:0", env.now, true)
	return env
}

// do runs one command and returns its reply as RESP text.
func (env *keyspaceEnv) do(args ...string) string {
	env.t.Helper()
	out := &respText{proto: env.client.Proto}
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	ctx := env.eng.NewContext(env.client, out, b)
	env.eng.Execute(ctx)
	for _, e := range ctx.Effects() {
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			parts[i] = string(a)
		}
		env.effects = append(env.effects, strings.Join(parts, " "))
	}
	ctx.Signaled(func(db int, key string) {
		env.signaled = append(env.signaled, string(rune('0'+db))+":"+key)
	})
	return out.b.String()
}

// expect runs a command and requires its exact reply.
func (env *keyspaceEnv) expect(want string, args ...string) {
	env.t.Helper()
	if got := env.do(args...); got != want {
		env.t.Errorf("%s: got %q, want %q", strings.Join(args, " "), got, want)
	}
}

// takeEffects returns the effects logged since the last call.
func (env *keyspaceEnv) takeEffects() []string {
	out := env.effects
	env.effects = nil
	return out
}

// takeSignals returns the keys signalled since the last call, as "db:key".
func (env *keyspaceEnv) takeSignals() []string {
	out := env.signaled
	env.signaled = nil
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDelEffects(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "a", "1")
	env.do("SET", "b", "1")
	env.takeEffects()
	env.takeSignals()
	dirty := env.eng.Dirty()

	env.expect(":0\r\n", "DEL", "x", "y")
	if effs := env.takeEffects(); len(effs) != 0 {
		t.Errorf("DEL of missing keys logged %q", effs)
	}
	if sig := env.takeSignals(); len(sig) != 0 {
		t.Errorf("DEL of missing keys signalled %q", sig)
	}

	env.expect(":2\r\n", "UNLINK", "a", "x", "b", "a")
	if effs := env.takeEffects(); !sameStrings(effs, []string{"UNLINK a x b a"}) {
		t.Errorf("effects = %q", effs)
	}
	if sig := env.takeSignals(); !sameStrings(sig, []string{"0:a", "0:b"}) {
		t.Errorf("signals = %q", sig)
	}
	if got := env.eng.Dirty() - dirty; got != 2 {
		t.Errorf("dirty grew by %d, want one per deleted key", got)
	}
}

// A key past its TTL is expired (logged as its own DEL) and not counted.
func TestDelExpiredKey(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "a", "1", "PX", "10")
	env.takeEffects()
	env.now = env.now.Add(20 * time.Millisecond)
	env.expect(":0\r\n", "DEL", "a")
	if effs := env.takeEffects(); !sameStrings(effs, []string{"DEL a"}) {
		t.Errorf("effects = %q, want only the expiry's DEL", effs)
	}
}
