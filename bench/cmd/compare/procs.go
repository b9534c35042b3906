package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spool-dev/spool/bench/resp"
)

// server is a redis-server or spool process the driver started on a
// loopback port with its own data directory.
type server struct {
	kind    string // "spool" or "redis"
	bin     string
	args    []string // without the port
	dir     string
	port    int
	cmd     *exec.Cmd
	logPath string
	exited  chan error
	// pongWhileLoading records that PING answered PONG while DBSIZE still
	// answered an error (LOADING): reported under the start-up table.
	pongWhileLoading bool
}

func (s *server) addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }
func (s *server) pid() int     { return s.cmd.Process.Pid }

// freePort asks the kernel for a loopback port nobody uses.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// newRedis describes redis-server with the AOF on at the given fsync
// policy and RDB snapshots off, as the issue specifies.
func newRedis(bin, fsync, dir string) *server {
	return &server{kind: "redis", bin: bin, dir: dir, args: []string{
		"--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes",
		"--appendfsync", fsync, "--daemonize", "no", "--loglevel", "warning", "--logfile", "",
	}}
}

// newSpool describes spool at the given fsync policy.
func newSpool(bin, fsync, dir, pprofAddr string) *server {
	s := &server{kind: "spool", bin: bin, dir: dir, args: []string{
		"--bind", "127.0.0.1", "--dir", dir, "--appendfsync", fsync, "--loglevel", "warning",
	}}
	if pprofAddr != "" {
		s.args = append(s.args, "--pprof-addr", pprofAddr)
	}
	return s
}

// start launches the process on a free port (the same port on a restart)
// and returns once PING answers PONG, with the time that took.
func (s *server) start() (time.Duration, error) {
	if s.port == 0 {
		p, err := freePort()
		if err != nil {
			return 0, err
		}
		s.port = p
	}
	s.logPath = filepath.Join(s.dir, s.kind+".stdout.log")
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	args := append([]string{"--port", strconv.Itoa(s.port)}, s.args...)
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	began := time.Now()
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return 0, fmt.Errorf("start %s: %w", s.bin, err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait(); logf.Close() }()
	if err := s.waitPong(began.Add(2 * time.Minute)); err != nil {
		s.kill()
		return 0, fmt.Errorf("%s on %s: %w\n%s", s.kind, s.addr(), err, s.logTail())
	}
	return time.Since(began), nil
}

// waitPong polls until PING answers PONG and the dataset is loaded (DBSIZE
// does not answer LOADING): a server that answers PING while it is still
// loading (an early Spool did; Redis answers LOADING) is not counted as
// started. It gives up when the process exits or at deadline.
func (s *server) waitPong(deadline time.Time) error {
	var last error
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			s.exited <- err
			return fmt.Errorf("exited during start-up: %v", err)
		default:
		}
		if last = s.ready(); last == nil {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("not ready before the deadline (last: %v)", last)
}

func (s *server) ready() error {
	c, err := resp.Dial(s.addr(), time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	v, err := c.Do("PING")
	if err != nil {
		return err
	}
	if string(v.Str) != "PONG" {
		return fmt.Errorf("PING answered %s", v.String())
	}
	if _, err := c.Do("DBSIZE"); err != nil {
		s.pongWhileLoading = true
		return err
	}
	return nil
}

// stop ends the process with SIGTERM (a clean shutdown, so that a restart
// reads what a normal restart reads), then SIGKILL after 30s.
func (s *server) stop() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		s.cmd = nil
		return nil
	case <-time.After(30 * time.Second):
		s.kill()
		return fmt.Errorf("%s did not stop on SIGTERM within 30s", s.kind)
	}
}

func (s *server) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// logTail is the end of the process's output, for error messages.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}

// rssBytes reads VmRSS from /proc/PID/status.
func rssBytes(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			fields := strings.Fields(rest) // "12345 kB"
			if len(fields) == 2 && fields[1] == "kB" {
				kb, err := strconv.ParseInt(fields[0], 10, 64)
				return kb * 1024, err
			}
		}
	}
	return 0, errors.New("no VmRSS line")
}

// info returns one field of INFO's output.
func info(addr, section, field string) (string, error) {
	c, err := resp.Dial(addr, 5*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	v, err := c.Do("INFO", section)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if val, ok := strings.CutPrefix(line, field+":"); ok {
			return val, nil
		}
	}
	return "", fmt.Errorf("INFO %s has no %s", section, field)
}

// command runs one command on a fresh connection.
func command(addr string, args ...string) (resp.Value, error) {
	c, err := resp.Dial(addr, 5*time.Second)
	if err != nil {
		return resp.Value{}, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	return c.Do(args...)
}
