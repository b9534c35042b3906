package commands

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// ACL <subcommand> — https://redis.io/commands/acl/
// The users and their rules live in acl_user.go, the checks in
// acl_check.go, descriptions in acl_describe.go, the log in acl_log.go and
// the ACL file in acl_file.go.
var aclCommand = &Command{
	Name: "acl", Arity: -2,
	Categories: "slow", Group: "server", Since: "6.0.0",
	Summary: "A container for Access List Control commands ", Complexity: "Depends on subcommand.",
	Help: []string{
		"CAT [<category>]",
		"    List all commands that belong to <category>, or all command categories",
		"    when no category is specified.",
		"DELUSER <username> [<username> ...]",
		"    Delete a list of users.",
		"DRYRUN <username> <command> [<arg> ...]",
		"    Returns whether the user can execute the given command without executing the command.",
		"GETUSER <username>",
		"    Get the user's details.",
		"GENPASS [<bits>]",
		"    Generate a secure 256-bit user password. The optional `bits` argument can",
		"    be used to specify a different size.",
		"LIST",
		"    Show users details in config file format.",
		"LOAD",
		"    Reload users from the ACL file.",
		"LOG [<count> | RESET]",
		"    Show the ACL log entries.",
		"SAVE",
		"    Save the current config to the ACL file.",
		"SETUSER <username> <attribute> [<attribute> ...]",
		"    Create or modify a user with the specified attributes.",
		"USERS",
		"    List all the registered usernames.",
		"WHOAMI",
		"    Return the current connection username.",
	},
	Subcommands: []*Command{
		{
			// ACL CAT [category] — https://redis.io/commands/acl-cat/
			Name: "cat", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow", Group: "server", Since: "6.0.0",
			Summary: "List the ACL categories or the commands inside a category", Complexity: "O(1) since the categories and commands are a fixed set.",
			Syntax: "[category]", Run: runACLCat,
		},
		{
			// ACL DELUSER username [username ...] — https://redis.io/commands/acl-deluser/
			Name: "deluser", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "Remove the specified ACL users and the associated rules", Complexity: "O(1) amortized time considering the typical user.",
			Syntax: "username [username ...]", Run: runACLDelUser,
		},
		{
			// ACL DRYRUN username command [arg [arg ...]] — https://redis.io/commands/acl-dryrun/
			Name: "dryrun", Arity: -4, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "7.0.0",
			Summary: "Returns whether the user can execute the given command without executing the command.", Complexity: "O(1).",
			Syntax: "username command [arg [arg ...]]", Run: runACLDryRun,
		},
		{
			// ACL GENPASS [bits] — https://redis.io/commands/acl-genpass/
			Name: "genpass", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow", Group: "server", Since: "6.0.0",
			Summary: "Generate a pseudorandom secure password to use for ACL users", Complexity: "O(1)",
			Syntax: "[bits]", Run: runACLGenPass,
		},
		{
			// ACL GETUSER username — https://redis.io/commands/acl-getuser/
			Name: "getuser", Arity: 3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "Get the rules for a specific ACL user", Complexity: "O(N). Where N is the number of password, command and pattern rules that the user has.",
			Syntax: "username", Run: runACLGetUser,
		},
		helpSubcommand("slow", "6.0.0"),
		{
			// ACL LIST — https://redis.io/commands/acl-list/
			Name: "list", Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "List the current ACL rules in ACL config file format", Complexity: "O(N). Where N is the number of configured users.",
			Run: func(ctx *Context) { runACLList(ctx, false) },
		},
		{
			// ACL LOAD — https://redis.io/commands/acl-load/
			Name: "load", Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "Reload the ACLs from the configured ACL file", Complexity: "O(N). Where N is the number of configured users.",
			Run: runACLLoad,
		},
		{
			// ACL LOG [count | RESET] — https://redis.io/commands/acl-log/
			Name: "log", Arity: -2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "List latest events denied because of ACLs in place", Complexity: "O(N) with N being the number of entries shown.",
			Syntax: "[count | RESET]", Run: runACLLog,
		},
		{
			// ACL SAVE — https://redis.io/commands/acl-save/
			Name: "save", Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "Save the current ACL rules in the configured ACL file", Complexity: "O(N). Where N is the number of configured users.",
			Run: runACLSave,
		},
		{
			// ACL SETUSER username [rule [rule ...]] — https://redis.io/commands/acl-setuser/
			Name: "setuser", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "Modify or create the rules for a specific ACL user", Complexity: "O(N). Where N is the number of rules provided.",
			Syntax: "username [rule [rule ...]]", Run: runACLSetUser,
		},
		{
			// ACL USERS — https://redis.io/commands/acl-users/
			Name: "users", Arity: 2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "6.0.0",
			Summary: "List the username of all the configured ACL rules", Complexity: "O(N). Where N is the number of configured users.",
			Run: func(ctx *Context) { runACLList(ctx, true) },
		},
		{
			// ACL WHOAMI — https://redis.io/commands/acl-whoami/
			Name: "whoami", Arity: 2, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow", Group: "server", Since: "6.0.0",
			Summary: "Return the name of the user associated to the current connection", Complexity: "O(1)",
			Run: func(ctx *Context) { ctx.Out.BulkString(ctx.Client.User) },
		},
	},
}

// aclSetUser is a parsed ACL SETUSER: the user name and its rules, with
// selectors spread over several arguments merged into one.
type aclSetUser struct {
	name  string
	rules []string
}

func parseACLSetUser(args [][]byte) (aclSetUser, error) {
	name := string(args[2])
	if hasSpaces(name) {
		return aclSetUser{}, redisError(msgACLUsernameSpaces)
	}
	ops := make([]string, len(args)-3)
	for i, a := range args[3:] {
		ops[i] = string(a)
	}
	rules, bad := mergeSelectorArgs(ops)
	if bad >= 0 {
		return aclSetUser{}, redisError(fmt.Sprintf("ERR Unmatched parenthesis in acl selector starting at '%s'.", ops[bad]))
	}
	return aclSetUser{name: name, rules: rules}, nil
}

// runACLSetUser applies every rule to a copy of the user (a new one when it
// does not exist) and keeps the result only when all of them are valid.
func runACLSetUser(ctx *Context) {
	p, err := parseACLSetUser(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	a := ctx.acl()
	old := a.users[p.name]
	var u *aclUser
	if old != nil {
		u = old.clone()
	} else {
		u = a.newUser(p.name)
	}
	for _, rule := range p.rules {
		if err := u.apply(a, rule); err != nil {
			ctx.Error(fmt.Sprintf("ERR Error in ACL SETUSER modifier '%s': %s", rule, err.Error()))
			return
		}
	}
	if old != nil {
		ctx.dropPubSubClients(old, u)
		*old = *u // the default user is referenced: keep the object
	} else {
		a.users[p.name] = u
	}
	OK(ctx.Out)
}

func runACLDelUser(ctx *Context) {
	for _, name := range ctx.Args[2:] {
		if string(name) == "default" {
			ctx.Error(msgACLDeleteDefault)
			return
		}
	}
	a := ctx.acl()
	deleted := 0
	for _, name := range ctx.Args[2:] {
		if _, ok := a.users[string(name)]; ok {
			delete(a.users, string(name))
			ctx.dropUserClients(string(name))
			deleted++
		}
	}
	ctx.Out.Int(int64(deleted))
}

func runACLGetUser(ctx *Context) {
	a := ctx.acl()
	u := a.users[string(ctx.Args[2])]
	if u == nil {
		ctx.Out.Null()
		return
	}
	out := ctx.Out
	out.Map(6)
	out.BulkString("flags")
	flags := u.flags()
	out.Set(len(flags))
	for _, f := range flags {
		out.BulkString(f)
	}
	out.BulkString("passwords")
	BulkStrings(out, u.passwords)
	a.replySelector(out, u.root())
	out.BulkString("selectors")
	out.Array(len(u.selectors) - 1)
	for _, s := range u.selectors[1:] {
		out.Map(3)
		a.replySelector(out, s)
	}
}

// replySelector is aclAddReplySelectorDescription: three map fields.
func (a *aclState) replySelector(out Reply, s *aclSelector) {
	out.BulkString("commands")
	out.BulkString(a.cmds.describeCommands(s))
	out.BulkString("keys")
	out.BulkString(s.keysRule())
	out.BulkString("channels")
	out.BulkString(s.channelsRule())
}

// runACLList is ACL LIST (each user as an ACL file line) and ACL USERS.
func runACLList(ctx *Context, namesOnly bool) {
	a := ctx.acl()
	users := a.sortedUsers()
	ctx.Out.Array(len(users))
	for _, u := range users {
		if namesOnly {
			ctx.Out.BulkString(u.name)
		} else {
			ctx.Out.BulkString("user " + u.name + " " + a.cmds.describe(u))
		}
	}
}

func runACLCat(ctx *Context) {
	switch len(ctx.Args) {
	case 2:
		BulkStrings(ctx.Out, aclCategories)
		return
	case 3:
	default:
		ctx.Error(msgSubcommandSyntax(ctx.Args[1], string(ctx.Args[0])))
		return
	}
	cat := aclCategoryBit(string(ctx.Args[2]))
	if cat == 0 {
		ctx.Error(fmt.Sprintf("ERR Unknown category '%s'", truncate(string(ctx.Args[2]), 128)))
		return
	}
	var names []string
	ctx.acl().cmds.walk(func(c *Command) {
		if c.aclCategories()&cat != 0 {
			names = append(names, c.Name)
		}
	})
	BulkStrings(ctx.Out, names)
}

const genpassMaxBits = 4096

func runACLGenPass(ctx *Context) {
	if len(ctx.Args) > 3 {
		ctx.Error(msgSubcommandSyntax(ctx.Args[1], string(ctx.Args[0])))
		return
	}
	bits := int64(256)
	if len(ctx.Args) == 3 {
		n, err := argInt(ctx.Args[2])
		if err != nil {
			ctx.Fail(err)
			return
		}
		bits = n
	}
	if bits <= 0 || bits > genpassMaxBits {
		ctx.Error(fmt.Sprintf("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to %d", genpassMaxBits))
		return
	}
	chars := (bits + 3) / 4
	buf := make([]byte, (chars+1)/2)
	if _, err := rand.Read(buf); err != nil {
		ctx.Error("ERR " + err.Error())
		return
	}
	ctx.Out.BulkString(hex.EncodeToString(buf)[:chars])
}

// runACLDryRun checks a command line against a user's rules without
// running it. Refusals are replied as bulk strings, not errors, and not
// logged.
func runACLDryRun(ctx *Context) {
	a := ctx.acl()
	u := a.users[string(ctx.Args[2])]
	if u == nil {
		ctx.Error(fmt.Sprintf("ERR User '%s' not found", ctx.Args[2]))
		return
	}
	line := ctx.Args[3:]
	cmd := ctx.Table().lookupCommandLine(line)
	if cmd == nil {
		ctx.Error(fmt.Sprintf("ERR Command '%s' not found", line[0]))
		return
	}
	if !arityOK(cmd.Arity, len(line)) {
		ctx.Error(msgWrongArity(cmd.Name))
		return
	}
	res, idx := a.check(u, cmd, line)
	switch res {
	case aclOK:
		OK(ctx.Out)
	case aclDeniedCmd:
		ctx.Out.BulkString(fmt.Sprintf("This user has no permissions to run the '%s' command", cmd.Name))
	case aclDeniedKey:
		ctx.Out.BulkString(fmt.Sprintf("This user has no permissions to access the '%s' key", line[idx]))
	default:
		ctx.Out.BulkString(fmt.Sprintf("This user has no permissions to access the '%s' channel", line[idx]))
	}
}

// userExists reports whether an ACL user has that name (CLIENT KILL USER).
func (e *Engine) userExists(name string) bool {
	_, ok := e.acl().users[name]
	return ok
}
