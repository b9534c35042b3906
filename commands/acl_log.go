package commands

// The ACL log (ACL LOG): recent refusals, newest first. A refusal like one
// of the last ten entries (same reason, context, object and user, within a
// minute) bumps that entry's count instead of adding one, as Redis's
// addACLLogEntry does.

const aclLogGroupingMs = 60000 // ACL_LOG_GROUPING_MAX_TIME_DELTA

type aclLogEntry struct {
	count    int64
	reason   int // aclDenied*
	context  string
	object   string
	username string
	ctimeMs  int64
	cinfo    string // the client's CLIENT LIST line at the time
}

type aclLog struct {
	entries []*aclLogEntry
}

// aclLogDenial logs a refusal of the current command. username is the
// user the client tried (AUTH), or "" for the client's own user.
func (ctx *Context) aclLogDenial(reason int, object, username string) {
	context := "toplevel"
	if ctx.Client.Multi != nil {
		context = "multi"
	}
	ctx.aclLogEntry(reason, context, object, username)
}

func (ctx *Context) aclLogEntry(reason int, context, object, username string) {
	if ctx.Replaying {
		return
	}
	if username == "" {
		username = ctx.Client.User
	}
	le := &aclLogEntry{
		count: 1, reason: reason, context: context, object: object,
		username: username, ctimeMs: ctx.nowMs(), cinfo: ctx.clientInfoLine(ctx.Client),
	}
	log := &ctx.acl().log
	for i := 0; i < len(log.entries) && i < 10; i++ {
		cur := log.entries[i]
		delta := cur.ctimeMs - le.ctimeMs
		if delta < 0 {
			delta = -delta
		}
		if cur.reason == le.reason && cur.context == le.context && delta <= aclLogGroupingMs &&
			cur.object == le.object && cur.username == le.username {
			cur.cinfo, cur.ctimeMs = le.cinfo, le.ctimeMs
			cur.count++
			copy(log.entries[1:i+1], log.entries[:i])
			log.entries[0] = cur
			return
		}
	}
	log.entries = append(log.entries, nil)
	copy(log.entries[1:], log.entries)
	log.entries[0] = le
	log.trim(ctx.Settings.ACLLogMaxLen)
}

func (l *aclLog) trim(maxLen int64) {
	if int64(len(l.entries)) > maxLen {
		clear(l.entries[max(maxLen, 0):])
		l.entries = l.entries[:max(maxLen, 0)]
	}
}

func aclReasonName(reason int) string {
	switch reason {
	case aclDeniedCmd:
		return "command"
	case aclDeniedKey:
		return "key"
	case aclDeniedChannel:
		return "channel"
	case aclDeniedAuth:
		return "auth"
	}
	return "unknown"
}

// ACL LOG [count | RESET]
func runACLLog(ctx *Context) {
	if len(ctx.Args) > 3 {
		ctx.Error(msgSubcommandSyntax(ctx.Args[1], string(ctx.Args[0])))
		return
	}
	log := &ctx.acl().log
	count := int64(10)
	if len(ctx.Args) == 3 {
		if is(ctx.Args[2], "reset") {
			log.trim(0)
			OK(ctx.Out)
			return
		}
		n, err := argInt(ctx.Args[2])
		if err != nil {
			ctx.Fail(err)
			return
		}
		count = max(n, 0)
	}
	count = min(count, int64(len(log.entries)))
	now := ctx.nowMs()
	out := ctx.Out
	out.Array(int(count))
	for _, le := range log.entries[:count] {
		out.Map(7)
		out.BulkString("count")
		out.Int(le.count)
		out.BulkString("reason")
		out.BulkString(aclReasonName(le.reason))
		out.BulkString("context")
		out.BulkString(le.context)
		out.BulkString("object")
		out.BulkString(le.object)
		out.BulkString("username")
		out.BulkString(le.username)
		out.BulkString("age-seconds")
		out.Double(float64(now-le.ctimeMs) / 1000)
		out.BulkString("client-info")
		out.BulkString(le.cinfo)
	}
}
