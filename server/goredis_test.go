package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// newClients returns a go-redis client with default options (it negotiates
// RESP3 with HELLO 3) and one pinned to RESP2.
func newClients(t *testing.T, addr string) map[string]*redis.Client {
	t.Helper()
	out := map[string]*redis.Client{
		"resp3": redis.NewClient(&redis.Options{Addr: addr}),
		"resp2": redis.NewClient(&redis.Options{Addr: addr, Protocol: 2}),
	}
	for _, c := range out {
		c := c
		t.Cleanup(func() { c.Close() })
	}
	return out
}

func TestGoRedisHandshake(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for name, c := range newClients(t, addr) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			require.NoError(t, c.Ping(ctx).Err())
			require.Equal(t, "hi", c.Echo(ctx, "hi").Val())
			_, err := c.Do(ctx, "NOSUCHCOMMAND").Result()
			require.EqualError(t, err, "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ")
		})
	}
}

func TestRequirePass(t *testing.T) {
	cfg := servertestConfig()
	cfg.RequirePass = "s3cret"
	_, addr := servertest.Start(t, &cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	raw := servertest.Dial(t, addr)
	require.Equal(t, "-NOAUTH Authentication required.\r\n", raw.Do("ECHO", "x"))
	require.Equal(t, "-WRONGPASS invalid username-password pair or user is disabled.\r\n", raw.Do("AUTH", "nope"))
	require.Equal(t, "+OK\r\n", raw.Do("AUTH", "s3cret"))
	require.Equal(t, "$1\r\nx\r\n", raw.Do("ECHO", "x"))

	bad := redis.NewClient(&redis.Options{Addr: addr, Password: "wrong"})
	defer bad.Close()
	require.Error(t, bad.Ping(ctx).Err())
	good := redis.NewClient(&redis.Options{Addr: addr, Password: "s3cret"})
	defer good.Close()
	require.NoError(t, good.Ping(ctx).Err())
}

func TestHelloSwitchesProtocol(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	reply := c.Do("HELLO", "3")
	require.True(t, len(reply) > 3 && reply[:3] == "%7\r", "HELLO 3 replies with a map: %q", reply)
	require.Contains(t, reply, "$5\r\nproto\r\n:3\r\n")
	require.Equal(t, "+RESET\r\n", c.Do("RESET"))
	reply = c.Do("HELLO")
	require.True(t, reply[:4] == "*14\r", "after RESET the protocol is RESP2 again: %q", reply)
}
