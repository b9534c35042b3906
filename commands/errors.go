package commands

import (
	"errors"
	"fmt"
	"strings"
)

// The Redis error catalogue. Clients string-match these texts (watermill and
// dapr match BUSYGROUP, go-redis matches LOADING and READONLY), so every
// error Spool sends is spelled here, once, byte for byte as redis-server 7
// spells it, prefix included.
const (
	msgSyntax           = "ERR syntax error"
	msgWrongType        = "WRONGTYPE Operation against a key holding the wrong kind of value"
	msgNotInteger       = "ERR value is not an integer or out of range"
	msgNotFloat         = "ERR value is not a valid float"
	msgOverflow         = "ERR increment or decrement would overflow"
	msgNaNOrInf         = "ERR increment would produce NaN or Infinity"
	msgDBIndexRange     = "ERR DB index is out of range"
	msgNoSuchKey        = "ERR no such key"
	msgNoAuth           = "NOAUTH Authentication required."
	msgWrongPass        = "WRONGPASS invalid username-password pair or user is disabled."
	msgNoPasswordSet    = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
	msgNoProto          = "NOPROTO unsupported protocol version"
	msgStringTooLong    = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	msgOffsetRange      = "ERR offset is out of range"
	msgInvalidCursor    = "ERR invalid cursor"
	msgNXXXGTLT         = "ERR NX and XX, GT or LT options at the same time are not compatible"
	msgGTLT             = "ERR GT and LT options at the same time are not compatible"
	msgTimeoutNegative  = "ERR timeout is negative"
	msgTimeoutNotFloat  = "ERR timeout is not a float or out of range"
	msgTimeoutNotInt    = "ERR timeout is not an integer or out of range"
	msgLoading          = "LOADING Spool is loading the dataset in memory"
	msgMisconf          = "MISCONF Errors writing to the AOF file: "
	msgNestedMulti      = "ERR MULTI calls can not be nested"
	msgExecWithoutMulti = "ERR EXEC without MULTI"
	msgDiscardNoMulti   = "ERR DISCARD without MULTI"
	msgExecAbort        = "EXECABORT Transaction discarded because of previous errors."
	msgWatchInMulti     = "ERR WATCH inside MULTI is not allowed"
	msgLFUNotSelected   = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	msgNoSuchClient     = "ERR No such client"
	msgClientNameSpaces = "ERR Client names cannot contain spaces, newlines or special characters."
)

// msgWrongArity is Redis's arity error for the named command (lower case, as
// the client typed it is not echoed: Redis prints the table name).
func msgWrongArity(name string) string {
	return fmt.Sprintf("ERR wrong number of arguments for '%s' command", name)
}

// msgUnknownCommand reproduces Redis 7's rejection of an unknown command: the
// name and then each argument quoted, while the argument text stays under 128
// bytes, each followed by a space.
func msgUnknownCommand(args [][]byte) string {
	var b strings.Builder
	for _, a := range args[1:] {
		if b.Len() >= 128 {
			break
		}
		room := 128 - b.Len()
		s := string(a)
		if len(s) > room {
			s = s[:room]
		}
		b.WriteString("'" + s + "' ")
	}
	return fmt.Sprintf("ERR unknown command '%s', with args beginning with: %s", truncate(string(args[0]), 128), b.String())
}

// msgUnknownSubcommand is the error of a container command (CLIENT, CONFIG,
// OBJECT, ...) for a subcommand it does not have.
func msgUnknownSubcommand(container string, sub []byte) string {
	return fmt.Sprintf("ERR unknown subcommand '%s'. Try %s HELP.", truncate(string(sub), 128), strings.ToUpper(container))
}

// msgWrongSubcommandArity is the arity error of a subcommand ("client|setname").
func msgWrongSubcommandArity(container, sub string) string {
	return fmt.Sprintf("ERR wrong number of arguments for '%s|%s' command", strings.ToLower(container), strings.ToLower(sub))
}

func msgInvalidExpire(cmd string) string {
	return fmt.Sprintf("ERR invalid expire time in '%s' command", strings.ToLower(cmd))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Sentinel errors of this package. Domain errors from streams are mapped in
// errorText below.
var (
	ErrSyntax    = errors.New(msgSyntax)
	ErrWrongType = errors.New(msgWrongType)
	ErrNotInt    = errors.New(msgNotInteger)
	ErrNotFloat  = errors.New(msgNotFloat)
)

// redisError is an error that already carries its Redis text.
type redisError string

func (e redisError) Error() string { return string(e) }

// errorText maps any error to the exact text Redis would send for it.
func errorText(err error) string {
	var re redisError
	if errors.As(err, &re) {
		return string(re)
	}
	if msg, ok := streamErrorText(err); ok {
		return msg
	}
	msg := err.Error()
	// A bare message gets Redis's generic prefix, the way addReplyError does.
	if i := strings.IndexByte(msg, ' '); i > 0 && strings.ToUpper(msg[:i]) == msg[:i] {
		return msg
	}
	return "ERR " + msg
}

// String commands (GET, SET, INCR... in the string group).
const (
	msgDecrementOverflow = "ERR decrement would overflow"
)

// Server and introspection commands (COMMAND, CLIENT, CONFIG, INFO, DEBUG,
// SLOWLOG).
const (
	msgSlowlogCount     = "ERR count should be greater than or equal to -1"
	msgInvalidCommand   = "ERR Invalid command specified"
	msgNoKeyArguments   = "ERR The command has no key arguments"
	msgInvalidArgCount  = "ERR Invalid number of arguments specified for command"
	msgInvalidArguments = "ERR Invalid arguments specified for command"
	msgInvalidClientID  = "ERR Invalid client ID"
	msgClientIDPositive = "ERR client-id should be greater than 0"
	msgDebugNotAllowed  = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
)

func msgUnknownClientType(name []byte) string {
	return fmt.Sprintf("ERR Unknown client type '%s'", name)
}

func msgUnrecognizedOption(name []byte) string {
	return fmt.Sprintf("ERR Unrecognized option '%s'", name)
}

// msgClientAttrChars is CLIENT SETINFO's refusal of a value, named by the
// attribute as typed.
func msgClientAttrChars(attr []byte) string {
	return fmt.Sprintf("ERR %s cannot contain spaces, newlines or special characters.", attr)
}

func msgNoSuchUser(name []byte) string {
	return fmt.Sprintf("ERR No such user '%s'", name)
}

// msgSubcommandSyntax is addReplySubcommandSyntaxError: a known subcommand
// called with arguments it does not take.
func msgSubcommandSyntax(sub []byte, container string) string {
	return fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try %s HELP.",
		truncate(string(sub), 128), strings.ToUpper(container))
}

// Stream commands (XADD, XTRIM, XRANGE, XREAD, XSETID, XINFO...). The
// streams package's sentinel errors are mapped in stream_errors.go.
const (
	msgStreamInvalidID        = "ERR Invalid stream ID specified as stream command argument"
	msgStreamIDZero           = "ERR The ID specified in XADD must be greater than 0-0"
	msgStreamIDTooSmall       = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	msgStreamExhausted        = "ERR The stream has exhausted the last possible ID, unable to add more items"
	msgStreamElementsTooLarge = "ERR Elements are too large to be stored"
	msgStreamRangeStart       = "ERR invalid start ID for the interval"
	msgStreamRangeEnd         = "ERR invalid end ID for the interval"
	msgStreamSetIDTooSmall    = "ERR The ID specified in XSETID is smaller than the target stream top item"
	msgStreamSetIDMaxDeleted  = "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
	msgStreamSetIDEntries     = "ERR The entries_added specified in XSETID is smaller than the target stream length"
	msgStreamEntriesNegative  = "ERR entries_added must be positive"
	msgStreamMaxLenNegative   = "ERR The MAXLEN argument must be >= 0."
	msgStreamLimitNegative    = "ERR The LIMIT argument must be >= 0."
	msgStreamTrimBoth         = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	msgStreamLimitNoStrategy  = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
	msgStreamLimitNoApprox    = "ERR syntax error, LIMIT cannot be used without the special ~ option"
	msgStreamXTrimNoStrategy  = "ERR syntax error, XTRIM must be called with a trimming strategy"
	msgXReadUnbalanced        = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."
	msgXReadGroupOption       = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
	msgXReadNoAckOption       = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
	msgXReadGreaterID         = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."
)

// Keyspace commands (DEL, EXPIRE, SWAPDB, OBJECT, FUNCTION, ...).
const (
	msgInvalidFirstDB      = "ERR invalid first DB index"
	msgInvalidSecondDB     = "ERR invalid second DB index"
	msgLRUNotSelected      = "ERR An LRU maxmemory policy is not selected, access time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	msgFunctionFlushMode   = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option"
	msgLibraryNotFound     = "ERR Library not found"
	msgLibraryNameNotGiven = "ERR library name argument was not given"
	msgNotBusy             = "NOTBUSY No scripts in execution right now."
)

// msgUnsupportedOption is the EXPIRE family's refusal of an unknown option.
func msgUnsupportedOption(opt []byte) string {
	return fmt.Sprintf("ERR Unsupported option %s", opt)
}

// msgUnknownArgument is FUNCTION LIST's refusal of an unknown argument.
func msgUnknownArgument(arg []byte) string {
	return fmt.Sprintf("ERR Unknown argument %s", arg)
}

// Persistence.
const (
	msgBackgroundSaveInProgress = "ERR Background save already in progress"
	msgSaveFailed               = "ERR" // Redis's shared.err; the reason is in the log
	msgShutdownFailed           = "ERR Errors trying to SHUTDOWN. Check logs."
	msgNoShutdownInProgress     = "ERR No shutdown in progress."
)

// Transactions (MULTI, EXEC, WATCH).
const (
	msgNoMulti          = "ERR Command not allowed inside a transaction"
	msgExecAbortBecause = "EXECABORT Transaction discarded because of: "
)

// Consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM,
// XINFO GROUPS/CONSUMERS). Names in the formatted texts go through cstr:
// Redis prints them with %s, which stops at a NUL byte.
const (
	msgBusyGroup             = "BUSYGROUP Consumer Group name already exists"
	msgXGroupKeyMissing      = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
	msgEntriesReadRange      = "ERR value for ENTRIESREAD must be positive or -1"
	msgXReadGroupDollarID    = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."
	msgXReadGroupNoGroup     = "ERR Missing GROUP option for XREADGROUP"
	msgXClaimMinIdle         = "ERR Invalid min-idle-time argument for XCLAIM"
	msgXClaimIdle            = "ERR Invalid IDLE option argument for XCLAIM"
	msgXClaimTime            = "ERR Invalid TIME option argument for XCLAIM"
	msgXClaimRetryCount      = "ERR Invalid RETRYCOUNT option argument for XCLAIM"
	msgXAutoClaimMinIdle     = "ERR Invalid min-idle-time argument for XAUTOCLAIM"
	msgXAutoClaimCount       = "ERR COUNT must be > 0"
	msgXAutoClaimCountMemory = "ERR Insufficient memory, failed allocating transient memory, COUNT too high."
	msgXQSetTimesNotReplay   = "ERR XQ.SETTIMES is internal to Spool's log: it is accepted only while effects are replayed"
)

// cstr is a name as C's %s prints it: up to its first NUL byte.
func cstr(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// msgNoGroup is the -NOGROUP error of XPENDING, XCLAIM and XAUTOCLAIM.
func msgNoGroup(key, group []byte) string {
	return fmt.Sprintf("NOGROUP No such key '%s' or consumer group '%s'", cstr(key), cstr(group))
}

// msgNoGroupXReadGroup is XREADGROUP's -NOGROUP error, also what a blocked
// XREADGROUP gets when its key or group goes away (Redis 7.2, which
// re-executes the command).
func msgNoGroupXReadGroup(key, group []byte) string {
	return fmt.Sprintf("NOGROUP No such key '%s' or consumer group '%s' in XREADGROUP with GROUP option", cstr(key), cstr(group))
}

// msgNoSuchGroup is the -NOGROUP error of XGROUP and XINFO CONSUMERS.
func msgNoSuchGroup(group, key []byte) string {
	return fmt.Sprintf("NOGROUP No such consumer group '%s' for key name '%s'", cstr(group), cstr(key))
}

// msgXClaimOption is XCLAIM's refusal of an unknown option.
func msgXClaimOption(opt []byte) string {
	return fmt.Sprintf("ERR Unrecognized XCLAIM option '%s'", cstr(opt))
}

// msgNoSuchConsumer is XQ.SETTIMES's error (a log that does not match the
// data it is replayed onto) for a consumer that does not exist.
func msgNoSuchConsumer(consumer, group []byte) string {
	return fmt.Sprintf("ERR No such consumer '%s' in consumer group '%s'", cstr(consumer), cstr(group))
}

// ACL, authentication and memory limits (ACL, AUTH, the dispatcher's
// permission and maxmemory checks).
const (
	msgNoPermKey         = "NOPERM this user has no permissions to access one of the keys used as arguments"
	msgNoPermChannel     = "NOPERM this user has no permissions to access one of the channels used as arguments"
	msgNoPermExecChanged = "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: "
	msgACLUsernameSpaces = "ERR Usernames can't contain spaces or null characters"
	msgACLDeleteDefault  = "ERR The 'default' user cannot be removed"
	msgACLNoFile         = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."
	msgACLSaveFailed     = "ERR There was an error trying to save the ACLs. Please check the server logs for more information"
	msgOOM               = "OOM command not allowed when used memory > 'maxmemory'."
)

// Pub/sub (subscribe.go, pubsub.go, dispatch.go's pub/sub context check).
const (
	msgSsubscribeDenyBlocking = "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client"
)

// msgSubscribedContext is the refusal of a command a RESP2 client with
// subscriptions may not run; name is the command's full name.
func msgSubscribedContext(name string) string {
	return "ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
}

// Sets and sorted sets (SADD ... SSCAN, ZADD ... BZMPOP).
const (
	msgNumkeysTooMany    = "ERR Number of keys can't be greater than number of args"
	msgLimitNegative     = "ERR LIMIT can't be negative"
	msgSRandMemberRange  = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	msgZAddXXAndNX       = "ERR XX and NX options at the same time are not compatible"
	msgZAddGTLTNX        = "ERR GT, LT, and/or NX options at the same time are not compatible"
	msgZAddIncrPair      = "ERR INCR option supports a single increment-element pair"
	msgZScoreNaN         = "ERR resulting score is not a number (NaN)"
	msgZRangeNotFloat    = "ERR min or max is not a float"
	msgZRangeNotLex      = "ERR min or max not valid string range item"
	msgZRangeLimitByRank = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	msgZRangeScoresByLex = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
)

// Lists and hashes (LPUSH ... BLMPOP, HSET ... HRANDFIELD).
const (
	msgMustBePositive            = "ERR value is out of range, must be positive"
	msgListIndexRange            = "ERR index out of range"
	msgNumKeysPositive           = "ERR numkeys should be greater than 0"
	msgCountPositive             = "ERR count should be greater than 0"
	msgLposRankZero              = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	msgLposCountNegative         = "ERR COUNT can't be negative"
	msgLposMaxLenNegative        = "ERR MAXLEN can't be negative"
	msgHashNotInteger            = "ERR hash value is not an integer"
	msgHashNotFloat              = "ERR hash value is not a float"
	msgHashIncrNotFinite         = "ERR value is NaN or Infinity"
	msgHrandfieldCountRange      = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	msgHrandfieldWithValuesRange = "ERR value is out of range"
)

// XNACK (Redis 8.8).
const (
	msgXNackMode         = "ERR mode must be SILENT, FAIL, or FATAL"
	msgXNackNumIDs       = "ERR numids must be a positive integer"
	msgXNackIDsMismatch  = "ERR number of IDs doesn't match numids"
	msgXNackRetryCount   = "ERR Invalid RETRYCOUNT value, must be >= 0"
	msgXNackNoIDs        = "ERR syntax error, expected IDS keyword"
	msgXNackOptionPrefix = "ERR Unrecognized XNACK option '"
)

var (
	errXNackMode        = errors.New(msgXNackMode)
	errXNackNumIDs      = errors.New(msgXNackNumIDs)
	errXNackIDsMismatch = errors.New(msgXNackIDsMismatch)
	errXNackRetryCount  = errors.New(msgXNackRetryCount)
	errXNackNoIDs       = errors.New(msgXNackNoIDs)
)

// msgXNackUnknownOption is XNACK's error for an argument it does not know.
func msgXNackUnknownOption(arg []byte) string {
	return msgXNackOptionPrefix + cstr(arg) + "'"
}

// MONITOR (issue 10).
const (
	msgMonitorDenyBlocking = "ERR MONITOR isn't allowed for DENY BLOCKING client"
	msgReplicaKeyspace     = "ERR Replica can't interact with the keyspace"
)

// Spool's queue commands (XQ.POLICY, XQ.NACK, XQ.TOUCH, XQ.REDRIVE,
// XQ.DEADLETTER).
const (
	msgXQAckWait             = "ERR ACKWAIT must be >= 0 (milliseconds; 0 turns redelivery off)"
	msgXQMaxDeliver          = "ERR MAXDELIVER must be >= 0 (0 means no limit)"
	msgXQMaxPending          = "ERR MAXPENDING must be >= 0 (0 means no limit)"
	msgXQBackoff             = "ERR BACKOFF must be 1 to 64 comma-separated integers >= 0 (milliseconds)"
	msgXQDLQEmpty            = "ERR DLQ must name a key"
	msgXQDLQSelf             = "ERR DLQ must be another key than the stream"
	msgXQDelay               = "ERR DELAY must be >= 0 (milliseconds)"
	msgXQPxat                = "ERR PXAT must be >= 0 (unix time in milliseconds)"
	msgXQTime                = "ERR TIME must be >= 0 (unix time in milliseconds)"
	msgXQRedriveCount        = "ERR COUNT must be > 0"
	msgXQRedriveSelf         = "ERR a dead letter cannot be redriven into its own DLQ"
	msgXQDeadLetterNotReplay = "ERR XQ.DEADLETTER is internal to Spool's log: it is accepted only while effects are replayed"
)

var (
	errXQAckWait      = errors.New(msgXQAckWait)
	errXQMaxDeliver   = errors.New(msgXQMaxDeliver)
	errXQMaxPending   = errors.New(msgXQMaxPending)
	errXQBackoff      = errors.New(msgXQBackoff)
	errXQDLQEmpty     = errors.New(msgXQDLQEmpty)
	errXQDLQSelf      = errors.New(msgXQDLQSelf)
	errXQDelay        = errors.New(msgXQDelay)
	errXQPxat         = errors.New(msgXQPxat)
	errXQTime         = errors.New(msgXQTime)
	errXQRedriveCount = errors.New(msgXQRedriveCount)
	errXQRedriveSelf  = errors.New(msgXQRedriveSelf)
)
