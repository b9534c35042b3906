//go:build unix

package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// TestLoadManyConnections puts 1,000 concurrent connections on one Spool,
// each running a few pipelines of XADD, XACK, XREADGROUP and PING, and
// about a third of them leaving abruptly: closing before reading the
// replies, in the middle of reading them, with half a command written,
// with a reset instead of a FIN, or while blocked in XREADGROUP BLOCK.
// Afterwards:
//
//   - every XADD whose reply a client received is in its stream, with the
//     value that client sent (an acknowledged entry is never lost);
//   - INFO's connected_clients is back to what it was before the load;
//   - the server's goroutines are back to what they were (the server runs
//     in this process, so the count covers its connection goroutines and
//     their blocked-socket watchers).
func TestLoadManyConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: skipped with -short")
	}
	const clients = 1000
	// Each connection costs two descriptors here: the client's and the
	// server's end.
	raiseFDLimit(t, 2*clients+256)

	cfg := server.DefaultConfig()
	cfg.MaxClients = max(cfg.MaxClients, clients+16)
	_, addr := servertest.Start(t, &cfg)
	ctrl := servertest.Dial(t, addr)
	for _, key := range loadKeys {
		if got := ctrl.Do("XGROUP", "CREATE", key, "g", "$", "MKSTREAM"); got != "+OK\r\n" {
			t.Fatalf("XGROUP CREATE %s: %q", key, got)
		}
	}
	if got := ctrl.Do("XGROUP", "CREATE", loadIdleKey, "g", "$", "MKSTREAM"); got != "+OK\r\n" {
		t.Fatalf("XGROUP CREATE %s: %q", loadIdleKey, got)
	}
	// Warm up every path the load takes (the log's committer, a blocked
	// read's socket watcher), so that whatever the server starts lazily is
	// running before the baseline is taken.
	warm := servertest.Dial(t, addr)
	warm.Do("XADD", loadKeys[0], "*", "f", "warmup")
	warm.Do("XREADGROUP", "GROUP", "g", "warm", "COUNT", "1", "STREAMS", loadKeys[0], ">")
	warm.Do("XREADGROUP", "GROUP", "g", "warm", "BLOCK", "1", "STREAMS", loadIdleKey, ">")
	warm.NetConn().Close()
	baseClients := 1 // ctrl
	waitFor(t, 10*time.Second, "connected_clients back to 1 after the warm-up", func() (bool, string) {
		n := connectedClients(ctrl)
		return n == baseClients, fmt.Sprintf("connected_clients:%d", n)
	})
	baseGoroutines := runtime.NumGoroutine()

	start := time.Now()
	results := make([]loadResult, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runLoadClient(addr, i)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	var acked []loadAdd
	fates := map[loadFate]int{}
	for i, r := range results {
		if r.err != nil {
			t.Errorf("client %d (%s): %v", i, r.fate, r.err)
		}
		acked = append(acked, r.acked...)
		fates[r.fate]++
	}
	t.Logf("%d clients in %v: %d acknowledged XADDs; fates %v", clients, elapsed.Round(time.Millisecond), len(acked), fates)
	if t.Failed() {
		t.FailNow()
	}

	// No acknowledged entry is lost.
	inStream := map[string]map[string]string{} // key -> id -> value
	for _, key := range loadKeys {
		inStream[key] = xrangeAll(t, ctrl, key)
	}
	for _, a := range acked {
		got, ok := inStream[a.key][a.id]
		if !ok {
			t.Errorf("acknowledged XADD %s %s (%s) is not in the stream", a.key, a.id, a.value)
		} else if got != a.value {
			t.Errorf("entry %s %s holds %q, the client sent %q", a.key, a.id, got, a.value)
		}
	}

	// Every connection is gone, and so are its goroutines.
	waitFor(t, 15*time.Second, "connected_clients back to the baseline", func() (bool, string) {
		n := connectedClients(ctrl)
		return n == baseClients, fmt.Sprintf("connected_clients:%d, baseline %d", n, baseClients)
	})
	waitFor(t, 15*time.Second, "goroutines back to the baseline", func() (bool, string) {
		n := runtime.NumGoroutine()
		if n <= baseGoroutines {
			return true, ""
		}
		var dump bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&dump, 1)
		return false, fmt.Sprintf("%d goroutines, baseline %d:\n%s", n, baseGoroutines, dump.String())
	})
}

// loadKeys are the streams the load writes; loadIdleKey is never written,
// so XREADGROUP BLOCK on it stays blocked until the client leaves.
var (
	loadKeys    = []string{"load:0", "load:1", "load:2", "load:3"}
	loadIdleKey = "load:idle"
)

// loadFate is how a load client ends.
type loadFate string

const (
	fateClean       loadFate = "clean"        // QUIT after its rounds
	fateNoRead      loadFate = "close-unread" // closes right after writing a pipeline
	fateMidRead     loadFate = "close-midway" // closes after reading some of the replies
	fateHalfCommand loadFate = "half-command" // writes half a command after a pipeline, reads the replies, closes
	fateReset       loadFate = "reset"        // closes with SO_LINGER 0 (RST) right after writing
	fateBlocked     loadFate = "blocked"      // closes while blocked in XREADGROUP BLOCK
)

// loadAdd is an XADD whose reply the client received.
type loadAdd struct{ key, id, value string }

type loadResult struct {
	fate  loadFate
	acked []loadAdd
	err   error
}

// runLoadClient is one connection: a few rounds of pipelines, then its
// fate. It never calls t: errors come back in the result.
func runLoadClient(addr string, n int) (res loadResult) {
	r := rand.New(rand.NewPCG(uint64(n), 0x10ad))
	res.fate = fateClean
	if r.IntN(3) == 0 {
		res.fate = []loadFate{fateNoRead, fateMidRead, fateHalfCommand, fateReset, fateBlocked}[r.IntN(5)]
	}
	nc, err := net.DialTimeout("tcp", addr, 20*time.Second)
	if err != nil {
		res.err = fmt.Errorf("dial: %w", err)
		return res
	}
	defer nc.Close()
	// Bounded in time whatever happens: a stuck read fails the client.
	nc.SetDeadline(time.Now().Add(45 * time.Second))
	br := bufio.NewReader(nc)
	key := loadKeys[n%len(loadKeys)]
	consumer := "c" + strconv.Itoa(n)
	var toAck []string
	rounds := 2 + r.IntN(3)
	for round := 0; round < rounds; round++ {
		last := round == rounds-1
		var pipe bytes.Buffer
		var expect []loadExpect
		for j := 0; j < 1+r.IntN(3); j++ {
			value := fmt.Sprintf("c%d-r%d-%d", n, round, j)
			pipe.Write(servertest.Encode("XADD", key, "*", "f", value))
			expect = append(expect, loadExpect{kind: "xadd", add: loadAdd{key: key, value: value}})
		}
		if len(toAck) > 0 {
			pipe.Write(servertest.Encode(append([]string{"XACK", key, "g"}, toAck...)...))
			expect = append(expect, loadExpect{kind: "xack", acks: len(toAck)})
			toAck = nil
		}
		pipe.Write(servertest.Encode("XREADGROUP", "GROUP", "g", consumer, "COUNT", "3", "STREAMS", key, ">"))
		expect = append(expect, loadExpect{kind: "xreadgroup"})
		pipe.Write(servertest.Encode("PING"))
		expect = append(expect, loadExpect{kind: "ping"})

		readN := len(expect)
		if last {
			switch res.fate {
			case fateNoRead, fateReset:
				readN = 0
			case fateMidRead:
				readN = r.IntN(len(expect))
			case fateHalfCommand:
				half := servertest.Encode("XADD", key, "*", "f", "never-complete")
				pipe.Write(half[:1+r.IntN(len(half)-1)])
			}
		}
		if _, err := nc.Write(pipe.Bytes()); err != nil {
			res.err = fmt.Errorf("round %d: write: %w", round, err)
			return res
		}
		for i := 0; i < readN; i++ {
			v, err := readLoadReply(br)
			if err != nil {
				res.err = fmt.Errorf("round %d: reply %d (%s): %w", round, i, expect[i].kind, err)
				return res
			}
			ids, err := expect[i].check(v)
			if err != nil {
				res.err = fmt.Errorf("round %d: reply %d: %w", round, i, err)
				return res
			}
			switch expect[i].kind {
			case "xadd":
				a := expect[i].add
				a.id = ids[0]
				res.acked = append(res.acked, a)
			case "xreadgroup":
				toAck = append(toAck, ids...)
			}
		}
		if last && readN < len(expect) {
			if res.fate == fateReset {
				nc.(*net.TCPConn).SetLinger(0)
			}
			return res // the deferred Close is the abrupt end
		}
	}
	switch res.fate {
	case fateClean:
		nc.Write(servertest.Encode("QUIT"))
		if v, err := readLoadReply(br); err != nil || v != "OK" {
			res.err = fmt.Errorf("QUIT: %v %v", v, err)
		}
	case fateBlocked:
		nc.Write(servertest.Encode("XREADGROUP", "GROUP", "g", consumer, "BLOCK", "30000", "STREAMS", loadIdleKey, ">"))
		// Give the server time to park the client before it goes away;
		// a close that comes first is fine too (the command is dropped).
		time.Sleep(time.Duration(r.IntN(50)) * time.Millisecond)
	}
	return res
}

// loadExpect is what one reply of a pipeline must look like.
type loadExpect struct {
	kind string
	add  loadAdd
	acks int
}

var streamIDPattern = regexp.MustCompile(`^\d+-\d+$`)

// check validates a reply and returns the IDs it carries: the new entry's
// for XADD, the delivered entries' for XREADGROUP.
func (e loadExpect) check(v any) ([]string, error) {
	switch e.kind {
	case "xadd":
		id, ok := v.(string)
		if !ok || !streamIDPattern.MatchString(id) {
			return nil, fmt.Errorf("XADD replied %#v", v)
		}
		return []string{id}, nil
	case "xack":
		n, ok := v.(int64)
		if !ok || n < 0 || n > int64(e.acks) {
			return nil, fmt.Errorf("XACK of %d IDs replied %#v", e.acks, v)
		}
		return nil, nil
	case "xreadgroup":
		if v == nil {
			return nil, nil
		}
		streams, ok := v.([]any)
		if !ok || len(streams) != 1 {
			return nil, fmt.Errorf("XREADGROUP replied %#v", v)
		}
		kv, ok := streams[0].([]any)
		if !ok || len(kv) != 2 {
			return nil, fmt.Errorf("XREADGROUP stream element %#v", streams[0])
		}
		entries, ok := kv[1].([]any)
		if !ok || len(entries) == 0 || len(entries) > 3 {
			return nil, fmt.Errorf("XREADGROUP entries %#v", kv[1])
		}
		var ids []string
		for _, en := range entries {
			pair, ok := en.([]any)
			if !ok || len(pair) != 2 {
				return nil, fmt.Errorf("XREADGROUP entry %#v", en)
			}
			id, ok := pair[0].(string)
			if !ok || !streamIDPattern.MatchString(id) {
				return nil, fmt.Errorf("XREADGROUP entry ID %#v", pair[0])
			}
			ids = append(ids, id)
		}
		return ids, nil
	case "ping":
		if v != "PONG" {
			return nil, fmt.Errorf("PING replied %#v", v)
		}
		return nil, nil
	}
	return nil, fmt.Errorf("unknown expectation %q", e.kind)
}

// readLoadReply reads one RESP2 reply as a value: string (simple or bulk),
// int64, nil (null bulk or array) or []any; an error reply is an error.
func readLoadReply(br *bufio.Reader) (any, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("malformed line %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return nil, fmt.Errorf("error reply -%s", body)
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, fmt.Errorf("bad bulk length %q", line)
		}
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, fmt.Errorf("bad array length %q", line)
		}
		if n < 0 {
			return nil, nil
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = readLoadReply(br); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected reply type %q", line)
}

// xrangeAll returns every entry of key as id -> value of field f.
func xrangeAll(t *testing.T, c *servertest.Conn, key string) map[string]string {
	t.Helper()
	v, err := readLoadReply(bufio.NewReader(strings.NewReader(c.Do("XRANGE", key, "-", "+"))))
	if err != nil {
		t.Fatalf("XRANGE %s: %v", key, err)
	}
	entries, ok := v.([]any)
	if !ok {
		t.Fatalf("XRANGE %s replied %#v", key, v)
	}
	out := make(map[string]string, len(entries))
	for _, en := range entries {
		pair := en.([]any)
		fields := pair[1].([]any)
		out[pair[0].(string)] = fields[1].(string)
	}
	return out
}

// connectedClients is INFO clients' connected_clients.
func connectedClients(c *servertest.Conn) int {
	m := regexp.MustCompile(`connected_clients:(\d+)`).FindStringSubmatch(c.Do("INFO", "clients"))
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// waitFor polls cond until it holds or timeout passes, then fails with the
// last description cond gave.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, desc := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, still waiting for %s: %s", timeout, what, desc)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// raiseFDLimit raises the soft limit on open files to need (at most the
// hard limit), and skips the test, loudly, when even the hard limit is
// too low.
func raiseFDLimit(t *testing.T, need uint64) {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("LOAD TEST SKIPPED: cannot read the open-file limit: %v", err)
	}
	if lim.Cur >= need {
		return
	}
	if lim.Max < need {
		t.Skipf("LOAD TEST SKIPPED: it needs %d open files and the hard limit is %d (raise it with ulimit -Hn)", need, lim.Max)
	}
	lim.Cur = need
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("LOAD TEST SKIPPED: cannot raise the open-file limit to %d: %v", need, err)
	}
}
