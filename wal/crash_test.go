package wal

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// TestKill9KeepsAcknowledged runs a writer in a child process, kills it with
// SIGKILL in the middle of its work and checks that every record whose Wait
// had returned is in the log after the restart, under every policy (a
// process crash leaves the OS page cache intact, so even no and everysec
// keep what was written).
func TestKill9KeepsAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, p := range policies {
		t.Run(p.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
			cmd.Env = append(os.Environ(), "WAL_CRASH_DIR="+dir, "WAL_CRASH_POLICY="+p.String())
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var acked uint64
			sc := bufio.NewScanner(out)
			for sc.Scan() && acked < 2000 {
				var seq uint64
				if _, err := fmt.Sscanf(sc.Text(), "acked %d", &seq); err == nil && seq > acked {
					acked = seq
				}
			}
			cmd.Process.Kill()
			cmd.Wait()
			if acked < 2000 {
				t.Fatalf("child acknowledged only %d records", acked)
			}
			l, r := openLog(t, dir, Options{})
			defer l.Close()
			n, last := replayAll(t, l, 0)
			if last < acked {
				t.Fatalf("acknowledged %d, the log has %d records up to %d\n%v", acked, n, last, r)
			}
			t.Logf("acknowledged %d, found %d; %v", acked, last, r.Problems)
		})
	}
}

// TestCrashChild is the child process of TestKill9KeepsAcknowledged.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("WAL_CRASH_DIR")
	if dir == "" {
		t.Skip("only runs as the child of TestKill9KeepsAcknowledged")
	}
	p, err := ParsePolicy(os.Getenv("WAL_CRASH_POLICY"))
	if err != nil {
		t.Fatal(err)
	}
	l, _, err := Open(dir, Options{Fsync: p, SegmentSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex // Append order = body order, as under the server's lock
	deadline := time.Now().Add(time.Minute)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				mu.Lock()
				seq, err := l.Append(body(l.LastSeq() + 1))
				mu.Unlock()
				if err == nil {
					err = l.Wait(seq)
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				fmt.Fprintf(os.Stdout, "acked %d\n", seq)
			}
		}()
	}
	wg.Wait()
}
