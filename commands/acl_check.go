package commands

import (
	"sort"
	"strings"
)

// The ACL state of an engine and the checks the dispatcher makes with it:
// AUTH and HELLO authenticate against the users, every command is checked
// against the client's user after authentication and before it runs
// (Redis's processCommand), and refusals go to the ACL log.

// aclState is the engine's users and ACL log.
type aclState struct {
	cmds        *aclCommands
	users       map[string]*aclUser
	defaultUser *aclUser
	log         aclLog
	// pubsubDefaultAll is acl-pubsub-default: whether new selectors (and
	// "reset") start with allchannels rather than resetchannels.
	pubsubDefaultAll bool
}

// Results of a permission check, ordered as Redis orders them to pick the
// most relevant refusal among selectors.
const (
	aclOK = iota
	aclDeniedCmd
	aclDeniedKey
	aclDeniedAuth
	aclDeniedChannel
)

// acl returns the engine's ACL state, creating it (with the default user
// alone, "on nopass ~* &* +@all") on first use. Caller holds the lock.
func (e *Engine) acl() *aclState {
	if e.aclUsers == nil {
		a := &aclState{cmds: newACLCommands(e.table), users: map[string]*aclUser{}}
		a.defaultUser = a.newDefaultUser()
		a.users["default"] = a.defaultUser
		e.aclUsers = a
	}
	e.aclUsers.pubsubDefaultAll = e.Settings.ACLPubsubDefault == "allchannels"
	return e.aclUsers
}

func (a *aclState) newUser(name string) *aclUser {
	return &aclUser{name: name, selectors: []*aclSelector{a.cmds.newSelector(true, a.pubsubDefaultAll)}}
}

// newDefaultUser is ACLCreateDefaultUser.
func (a *aclState) newDefaultUser() *aclUser {
	u := a.newUser("default")
	for _, op := range []string{"+@all", "~*", "&*", "on", "nopass"} {
		_ = u.apply(a, op)
	}
	return u
}

// sortedUsers lists the users by name, as Redis's radix tree orders them.
func (a *aclState) sortedUsers() []*aclUser {
	out := make([]*aclUser, 0, len(a.users))
	for _, u := range a.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// SetRequirePass applies the requirepass option to the default user as
// Redis's ACLUpdateDefaultUserPassword does: its passwords are replaced by
// pass, or it becomes nopass when pass is empty. Caller holds the lock.
func (e *Engine) SetRequirePass(pass string) {
	u := e.acl().defaultUser
	_ = u.apply(e.acl(), "resetpass")
	if pass == "" {
		_ = u.apply(e.acl(), "nopass")
		return
	}
	_ = u.apply(e.acl(), ">"+pass)
}

// DefaultAuth is whether a new connection starts authenticated: the
// default user is enabled and needs no password (clientSetDefaultAuth).
// Caller holds the lock.
func (e *Engine) DefaultAuth() bool {
	u := e.acl().defaultUser
	return u.nopass && u.enabled
}

// AuthRequired is Redis's authRequired: the client has not authenticated
// and the default user does not let everyone in. Caller holds the lock.
func (e *Engine) AuthRequired(c *Client) bool {
	return !c.Authed && !e.DefaultAuth()
}

// DefaultUserNoPass reports whether the default user needs no password,
// which is what protected mode looks at. Caller holds the lock.
func (e *Engine) DefaultUserNoPass() bool { return e.acl().defaultUser.nopass }

// authenticate is ACLAuthenticateUser: on success the client becomes the
// user; on failure the attempt is logged with the command name as typed.
func (ctx *Context) authenticate(user, pass []byte) bool {
	a := ctx.acl()
	u := a.users[string(user)]
	if u != nil && u.enabled && u.checkPassword(pass) {
		ctx.Client.Authed = true
		ctx.Client.User = u.name
		return true
	}
	ctx.aclLogDenial(aclDeniedAuth, string(ctx.Args[0]), string(user))
	return false
}

// clientUser is the user a client runs commands as.
func (a *aclState) clientUser(c *Client) *aclUser {
	if c.User == "default" || c.User == "" {
		return a.defaultUser
	}
	return a.users[c.User]
}

// checkACL is the dispatcher's ACL step: "" when the client's user may run
// cmd with ctx.Args, else the NOPERM reply (the refusal is logged).
func (e *Engine) checkACL(ctx *Context, cmd *Command) string {
	a := e.acl()
	u := a.clientUser(ctx.Client)
	if u.unrestricted() {
		return ""
	}
	res, idx := a.check(u, cmd, ctx.Args)
	switch res {
	case aclOK:
		return ""
	case aclDeniedCmd:
		ctx.aclLogDenial(res, cmd.Name, "")
		return "NOPERM this user has no permissions to run the '" + cmd.Name + "' command"
	case aclDeniedKey:
		ctx.aclLogDenial(res, string(ctx.Args[idx]), "")
		return msgNoPermKey
	default:
		ctx.aclLogDenial(res, string(ctx.Args[idx]), "")
		return msgNoPermChannel
	}
}

// recheckACLInExec is EXEC's check of each queued command: the rules may
// have changed since it was queued. It replies and returns true when the
// command may no longer run.
func (e *Engine) recheckACLInExec(ctx *Context, cmd *Command) bool {
	a := e.acl()
	u := a.clientUser(ctx.Client)
	if u.unrestricted() {
		return false
	}
	res, idx := a.check(u, cmd, ctx.Args)
	if res == aclOK {
		return false
	}
	object, reason := cmd.Name, "no permission to execute the command or subcommand"
	switch res {
	case aclDeniedKey:
		object, reason = string(ctx.Args[idx]), "no permission to touch the specified keys"
	case aclDeniedChannel:
		object, reason = string(ctx.Args[idx]), "no permission to access one of the channels used as arguments"
	}
	ctx.aclLogEntry(res, "multi", object, "")
	ctx.Error(msgNoPermExecChanged + reason)
	return true
}

// unrestricted is the common case that needs no check: a root selector
// allowing every command, key and channel (the default user's "~* &*
// +@all"). A missing user (deleted) is restricted.
func (u *aclUser) unrestricted() bool {
	if u == nil {
		return false
	}
	r := u.root()
	return r.allCommands && r.allKeys && r.allChannels
}

// check is ACLCheckAllUserCommandPerm: aclOK when any selector allows the
// command, else the most relevant refusal and the argument it is about.
func (a *aclState) check(u *aclUser, cmd *Command, args [][]byte) (int, int) {
	if u == nil {
		return aclDeniedCmd, 0
	}
	relevant, lastIdx := aclDeniedCmd, 0
	var keys []keyRef
	keysDone := false
	for _, s := range u.selectors {
		res, idx := a.checkSelector(s, cmd, args, &keys, &keysDone)
		if res == aclOK {
			return aclOK, 0
		}
		if res > relevant || (res == relevant && idx > lastIdx) {
			relevant, lastIdx = res, idx
		}
	}
	return relevant, lastIdx
}

// checkSelector is ACLSelectorCheckCmd. The command's keys are found once
// and shared between selectors.
func (a *aclState) checkSelector(s *aclSelector, cmd *Command, args [][]byte, keys *[]keyRef, keysDone *bool) (int, int) {
	if !s.allCommands && !cmd.has(FlagNoAuth) {
		id := a.cmds.ids[cmd]
		if !s.bit(id) {
			argIdx := 1
			if cmd.parent != nil {
				argIdx = 2
			}
			allowed := false
			if len(args) > argIdx {
				for _, fa := range s.firstArgs[id] {
					if strings.EqualFold(fa, string(args[argIdx])) {
						allowed = true
						break
					}
				}
			}
			if !allowed {
				return aclDeniedCmd, 0
			}
		}
	}
	if !s.allKeys {
		if !*keysDone {
			*keys, *keysDone = aclCommandKeys(cmd, args), true
		}
		for _, k := range *keys {
			if !s.keyAllowed(string(args[k.pos]), k.flags) {
				return aclDeniedKey, k.pos
			}
		}
	}
	if !s.allChannels {
		if first, literal, ok := channelArgs(cmd, len(args)); ok {
			for j := first; j < len(args); j++ {
				if !s.channelAllowed(string(args[j]), literal) {
					return aclDeniedChannel, j
				}
				if cmd.Name == "publish" || cmd.Name == "spublish" {
					break
				}
			}
		}
	}
	return aclOK, 0
}

// keyAllowed is ACLSelectorCheckKey: a pattern must grant every permission
// the key spec needs (ACCESS needs read; INSERT, DELETE, UPDATE need write).
func (s *aclSelector) keyAllowed(key, specFlags string) bool {
	need := 0
	for _, f := range strings.Fields(specFlags) {
		switch f {
		case "access":
			need |= keyRead
		case "insert", "delete", "update":
			need |= keyWrite
		}
	}
	for _, p := range s.keys {
		if p.flags&need == need && GlobMatch([]byte(p.pattern), []byte(key), false) {
			return true
		}
	}
	return false
}

// channelAllowed is ACLCheckChannelAgainstList: a channel is matched
// against the patterns; a PSUBSCRIBE pattern must equal one literally.
func (s *aclSelector) channelAllowed(channel string, literal bool) bool {
	for _, p := range s.channels {
		if (literal && p == channel) || (!literal && GlobMatch([]byte(p), []byte(channel), false)) {
			return true
		}
	}
	return false
}

// channelArgs tells which arguments of a command are channels, as
// ACLDoesCommandHaveChannels: PUBLISH and SPUBLISH's first argument, every
// argument of SUBSCRIBE, SSUBSCRIBE and PSUBSCRIBE (whose patterns are
// compared literally). Unsubscribing needs no permission.
func channelArgs(cmd *Command, argc int) (first int, literal, ok bool) {
	switch cmd.Name {
	case "publish", "spublish", "subscribe", "ssubscribe":
		return 1, false, argc > 1
	case "psubscribe":
		return 1, true, argc > 1
	}
	return 0, false, false
}

// aclCommandKeys are the keys of a command line and their key-spec flags,
// as getKeysFromCommandWithSpecs finds them for ACL checks: a spec that
// does not fit the arguments contributes no keys (the command then fails
// its own syntax check), and SET's flags depend on its GET option.
func aclCommandKeys(cmd *Command, args [][]byte) []keyRef {
	var keys []keyRef
	for _, spec := range cmd.keySpecs() {
		if k, ok := keysFromSpecs([]KeySpec{spec}, cmd.Arity, args); ok {
			keys = append(keys, k...)
		}
	}
	if cmd.Name == "set" && len(keys) == 1 {
		keys[0].flags = setKeyFlags(args)
	}
	return keys
}

// dropUserClients is what deleting a user does to its connections: they
// fall back to an unauthenticated default user and are closed.
func (ctx *Context) dropUserClients(name string) {
	for _, c := range ctx.Host.Clients() {
		if c.User == name {
			c.User = "default"
			c.Authed = false
			ctx.Host.CloseClient(c)
		}
	}
}

// dropPubSubClients closes the pub/sub connections of a user whose channel
// permissions were narrowed (ACLKillPubsubClientsIfNeeded). Redis closes
// only the ones subscribed to a channel no longer allowed; Spool does not
// see the subscriptions from here and closes every pub/sub connection of
// the user, which errs on the side of the new rules.
func (ctx *Context) dropPubSubClients(old, updated *aclUser) {
	for _, s := range updated.selectors {
		if s.allChannels {
			return
		}
	}
	kept := map[string]bool{}
	for _, s := range updated.selectors {
		for _, c := range s.channels {
			kept[c] = true
		}
	}
	narrowed := false
	for _, s := range old.selectors {
		for _, c := range s.channels {
			if !kept[c] {
				narrowed = true
			}
		}
		if s.allChannels {
			narrowed = true
		}
	}
	if !narrowed {
		return
	}
	for _, c := range ctx.Host.Clients() {
		if c.User == old.name && c.typeName() == "pubsub" {
			ctx.Host.CloseClient(c)
		}
	}
}
