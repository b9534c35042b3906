package wal

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// recorder is a Hook that records every disk operation and fails the ones
// a test asks it to.
type recorder struct {
	mu     sync.Mutex
	events []Event
	// failOn, when set, decides whether an operation fails (before it runs).
	failOn func(Event) error
	// block, when set, is called (without the recorder's lock) before an
	// operation and may block it.
	block func(Event)
}

func (r *recorder) hook(e Event) error {
	if !e.Done && r.block != nil {
		r.block(e)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !e.Done && r.failOn != nil {
		if err := r.failOn(e); err != nil {
			e.Done, e.Err = true, err
			r.events = append(r.events, e)
			return err
		}
	}
	if e.Done {
		r.events = append(r.events, e)
	}
	return nil
}

func (r *recorder) setFail(f func(Event) error) {
	r.mu.Lock()
	r.failOn = f
	r.mu.Unlock()
}

// completed returns the operations that finished, in order.
func (r *recorder) completed() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

func (r *recorder) count(op Op) int {
	n := 0
	for _, e := range r.completed() {
		if e.Op == op && e.Err == nil {
			n++
		}
	}
	return n
}

func openLog(t testing.TB, dir string, opts Options) (*Log, *Report) {
	t.Helper()
	l, r, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v\nreport: %v", err, r)
	}
	return l, r
}

// body returns a deterministic record body for seq; sizes vary, including
// empty and multi-kilobyte ones.
func body(seq uint64) []byte {
	n := int(seq*37) % 300
	if seq%17 == 0 {
		n = 5000
	}
	if seq%11 == 0 {
		n = 0
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(seq) + byte(i*7)
	}
	return b
}

func appendN(t testing.TB, l *Log, n int) uint64 {
	t.Helper()
	var last uint64
	for i := 0; i < n; i++ {
		seq, err := l.Append(body(l.LastSeq() + 1))
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		last = seq
	}
	if err := l.Wait(last); err != nil {
		t.Fatalf("Wait(%d): %v", last, err)
	}
	return last
}

// replayAll returns the records after `after`, checking each against body().
func replayAll(t testing.TB, l *Log, after uint64) (n int, last uint64) {
	t.Helper()
	err := l.Replay(after, func(seq uint64, b []byte) error {
		if seq != after+uint64(n)+1 {
			return fmt.Errorf("record %d out of order (want %d)", seq, after+uint64(n)+1)
		}
		if !bytes.Equal(b, body(seq)) {
			return fmt.Errorf("record %d: body differs", seq)
		}
		n++
		last = seq
		return nil
	})
	if err != nil {
		t.Fatalf("Replay(%d): %v", after, err)
	}
	return n, last
}

func segmentPaths(t testing.TB, dir string) []string {
	t.Helper()
	segs, err := listSegments(filepath.Join(dir, logDirName))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range segs {
		out = append(out, s.path)
	}
	return out
}

func copyDir(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, src); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitFor polls cond; only for background work whose completion has no
// other signal (the everysec fsync).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// writeString is a WriteSnapshot body writer.
func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}
