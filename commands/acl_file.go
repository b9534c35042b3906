package commands

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The ACL file (aclfile): one "user <name> <rules...>" line per user, as
// ACL LIST prints them. ACL LOAD replaces every user with the file's, all
// or nothing; ACL SAVE writes the users back. The file is read and written
// outside the keyspace lock (the command waits, as SAVE does), and applied
// under it.

// parseACLFile is ACLLoadFromFile's parsing: the users the text defines, or
// Redis's one-line description of every problem found.
func (a *aclState) parseACLFile(filename, text string) (map[string]*aclUser, error) {
	users := map[string]*aclUser{}
	var problems strings.Builder
	for i, line := range strings.Split(text, "\n") {
		lineno := i + 1
		line = strings.Trim(line, " \t\r\n")
		if line == "" {
			continue
		}
		argv := strings.Split(line, " ")
		if argv[0] != "user" || len(argv) < 2 {
			fmt.Fprintf(&problems, "%s:%d should start with user keyword followed by the username. ", filename, lineno)
			continue
		}
		if hasSpaces(argv[1]) {
			fmt.Fprintf(&problems, "'%s:%d: username '%s' contains invalid characters. ", filename, lineno, argv[1])
			continue
		}
		if users[argv[1]] != nil {
			fmt.Fprintf(&problems, "WARNING: Duplicate user '%s' found on line %d. ", argv[1], lineno)
			continue
		}
		u := a.newUser(argv[1])
		users[argv[1]] = u
		rules, bad := mergeSelectorArgs(argv[2:])
		if bad >= 0 {
			fmt.Fprintf(&problems, "%s:%d: Unmatched parenthesis in selector definition.", filename, lineno)
		}
		for _, rule := range rules {
			if err := u.apply(a, strings.Trim(rule, "\t\r\n")); err != nil {
				fmt.Fprintf(&problems, "%s:%d: %s. ", filename, lineno, err.Error())
			}
		}
	}
	if problems.Len() > 0 {
		problems.WriteString("WARNING: ACL errors detected, no change to the previously active ACL rules was performed")
		return nil, errors.New(problems.String())
	}
	return users, nil
}

// installUsers makes users the ACL users. The default user object is kept
// (clients reference it by name, Redis by pointer) and takes the file's
// rules, or the initial ones when the file has no default user. Clients of
// every other previous user are disconnected, as Redis frees those users.
func (ctx *Context) installUsers(users map[string]*aclUser) {
	a := ctx.acl()
	def := users["default"]
	if def == nil {
		def = a.newDefaultUser()
	}
	*a.defaultUser = *def
	users["default"] = a.defaultUser
	old := a.users
	a.users = users
	for name := range old {
		if name != "default" {
			ctx.dropUserClients(name)
		}
	}
}

// LoadACLFile loads the users of the configured aclfile at start-up; an
// error means the server must not start. Caller holds the lock.
func (e *Engine) LoadACLFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return errors.New(aclOpenError(path, err))
	}
	users, err := e.acl().parseACLFile(path, string(data))
	if err != nil {
		return err
	}
	ctx := &Context{Engine: e, Out: DiscardReply{}, Client: NewClient(0, "", "", e.Clock(), true)}
	ctx.installUsers(users)
	return nil
}

// aclOpenError is Redis's message for an ACL file it cannot open, with
// strerror's capitalisation.
func aclOpenError(path string, err error) string {
	reason := err.Error()
	var pe *os.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
		var errno syscall.Errno
		if errors.As(pe.Err, &errno) {
			reason = errno.Error()
		}
	}
	if reason != "" {
		reason = strings.ToUpper(reason[:1]) + reason[1:]
	}
	return fmt.Sprintf("Error loading ACLs, opening file '%s': %s", path, reason)
}

func runACLLoad(ctx *Context) {
	path := ctx.Settings.ACLFile
	if path == "" {
		ctx.Error(msgACLNoFile)
		return
	}
	var data []byte
	var readErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		data, readErr = os.ReadFile(path)
	}()
	ctx.Block(&BlockRequest{Done: done, Retry: func(ctx *Context) bool {
		if readErr != nil {
			ctx.Error("ERR " + aclOpenError(path, readErr))
			return true
		}
		users, err := ctx.acl().parseACLFile(path, string(data))
		if err != nil {
			ctx.Error("ERR " + err.Error())
			return true
		}
		ctx.installUsers(users)
		OK(ctx.Out)
		return true
	}})
}

// aclFileText is what ACL SAVE writes: ACL LIST's lines.
func (a *aclState) aclFileText() string {
	var b strings.Builder
	for _, u := range a.sortedUsers() {
		b.WriteString("user " + u.name + " " + a.cmds.describe(u) + "\n")
	}
	return b.String()
}

func runACLSave(ctx *Context) {
	path := ctx.Settings.ACLFile
	if path == "" {
		ctx.Error(msgACLNoFile)
		return
	}
	text := ctx.acl().aclFileText()
	var writeErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		writeErr = writeFileAtomic(path, []byte(text))
	}()
	ctx.Block(&BlockRequest{Done: done, Retry: func(ctx *Context) bool {
		if writeErr != nil {
			ctx.Error(msgACLSaveFailed)
			return true
		}
		OK(ctx.Out)
		return true
	}})
}

// writeFileAtomic replaces path with data: a temporary file beside it,
// fsynced, then renamed over it, and the directory fsynced.
func writeFileAtomic(path string, data []byte) error {
	tmp := fmt.Sprintf("%s.tmp-%d-%d", path, os.Getpid(), time.Now().UnixMilli())
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
