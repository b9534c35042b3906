package commands

import (
	"github.com/spool-dev/spool/streams"
)

// The options XADD and XTRIM share, parsed as t_stream.c
// streamParseAddOrTrimArgsOrReply does, error for error:
//
//	XADD key [NOMKSTREAM] [KEEPREF | DELREF | ACKED] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
//	XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] [KEEPREF | DELREF | ACKED]
//
// The reference policy (Redis 8.2) may come anywhere among the options and
// the last one given counts; it only matters with a strategy (without one
// XADD ignores it, as there is nothing to trim).

type trimStrategy uint8

const (
	trimNone trimStrategy = iota
	trimMaxLen
	trimMinID
)

// addTrimArgs are the parsed options of XADD or XTRIM.
type addTrimArgs struct {
	strategy trimStrategy
	trim     streams.TrimSpec // meaningful when strategy != trimNone
	// threshold is the threshold argument as typed, for effects.
	threshold []byte

	// XADD only.
	noMkStream bool
	idIndex    int // index of the ID argument; len(args) when there is none
	id         streams.AddIDSpec

	// XADD's idempotent producer (Redis 8.6): IDMP pid iid or IDMPAUTO pid.
	// idmpPid is nil without either; idmpIid is nil for IDMPAUTO.
	idmpPid, idmpIid []byte
	idmpAuto         bool
}

// parseAddTrimArgs parses args (the whole command line, name and key
// included) from the third argument on. For XADD it stops at the ID, for
// XTRIM it consumes everything. replaying is Redis's mustObeyClient: the
// LIMIT checks and the cap are skipped, as for commands from a master or
// the AOF (Spool's effects never carry LIMIT, see exactTrimArgs).
func parseAddTrimArgs(args [][]byte, xadd, replaying bool) (addTrimArgs, error) {
	var p addTrimArgs
	var limit int64
	limitGiven := false
	i := 2
	for ; i < len(args); i++ {
		moreArgs := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			p.id = streams.AddIDSpec{Kind: streams.AddIDAuto}
			p.idIndex = i
			return p, checkAddTrimArgs(&p, xadd, replaying, limit, limitGiven)
		case is(opt, "maxlen") && moreArgs > 0, is(opt, "minid") && moreArgs > 0:
			if p.strategy != trimNone {
				return p, redisError(msgStreamTrimBoth)
			}
			p.trim.Approx = false
			if next := args[i+1]; moreArgs >= 2 && len(next) == 1 && (next[0] == '~' || next[0] == '=') {
				p.trim.Approx = next[0] == '~'
				i++
			}
			i++
			if is(opt, "maxlen") {
				n, err := argInt(args[i])
				if err != nil {
					return p, err
				}
				if n < 0 {
					return p, redisError(msgStreamMaxLenNegative)
				}
				p.strategy, p.trim.MaxLen = trimMaxLen, uint64(n)
			} else {
				id, err := streams.ParseID(args[i], 0)
				if err != nil {
					return p, err
				}
				p.strategy, p.trim.ByMinID, p.trim.MinID = trimMinID, true, id
			}
			p.threshold = args[i]
		case is(opt, "keepref"):
			p.trim.Policy = streams.TrimKeepRef
		case is(opt, "delref"):
			p.trim.Policy = streams.TrimDelRef
		case is(opt, "acked"):
			p.trim.Policy = streams.TrimAcked
		case is(opt, "limit") && moreArgs > 0:
			n, err := argInt(args[i+1])
			if err != nil {
				return p, err
			}
			if n < 0 {
				return p, redisError(msgStreamLimitNegative)
			}
			limit, limitGiven = n, true
			i++
		case xadd && is(opt, "nomkstream"):
			p.noMkStream = true
		case xadd && is(opt, "idmpauto") && moreArgs > 0:
			if p.idmpPid != nil {
				return p, redisError(msgIdmpTwice)
			}
			if len(args[i+1]) == 0 {
				return p, redisError(msgIdmpAutoEmptyPid)
			}
			p.idmpPid, p.idmpAuto = args[i+1], true
			i++
		case xadd && is(opt, "idmp") && moreArgs >= 2:
			if p.idmpPid != nil {
				return p, redisError(msgIdmpTwice)
			}
			if len(args[i+1]) == 0 {
				return p, redisError(msgIdmpEmptyPid)
			}
			if len(args[i+2]) == 0 {
				return p, redisError(msgIdmpEmptyIid)
			}
			p.idmpPid, p.idmpIid = args[i+1], args[i+2]
			i += 2
		case xadd:
			// Anything else is the ID, or a syntax error reported as an
			// invalid ID.
			id, err := streams.ParseAddID(opt)
			if err != nil {
				return p, err
			}
			// IDMP needs "*"; effects carry the resolved ID, as Redis's
			// replication stream does (mustObeyClient).
			if p.idmpPid != nil && !replaying {
				return p, redisError(msgIdmpExplicitID)
			}
			p.id = id
			p.idIndex = i
			return p, checkAddTrimArgs(&p, xadd, replaying, limit, limitGiven)
		default:
			return p, ErrSyntax
		}
	}
	p.idIndex = i
	return p, checkAddTrimArgs(&p, xadd, replaying, limit, limitGiven)
}

// checkAddTrimArgs runs the checks Redis makes once the options are read,
// and settles the trim's LIMIT.
func checkAddTrimArgs(p *addTrimArgs, xadd, replaying bool, limit int64, limitGiven bool) error {
	if limit != 0 && p.strategy == trimNone {
		return redisError(msgStreamLimitNoStrategy)
	}
	if !xadd && p.strategy == trimNone {
		return redisError(msgStreamXTrimNoStrategy)
	}
	switch {
	case replaying:
		p.trim.Limit = 0
	case limitGiven:
		if !p.trim.Approx {
			return redisError(msgStreamLimitNoApprox)
		}
		p.trim.Limit = limit
	case p.trim.Approx:
		p.trim.Limit = -1 // streams.ApproxTrimLimit of the node limits
	default:
		p.trim.Limit = 0
	}
	return nil
}

// trimEffectArgs are the trimming arguments of the effect of an XADD or
// XTRIM that trimmed s as p says. An exact trim is deterministic and goes as
// typed (without LIMIT, which needs "~"). An approximate one depends on the
// node limits and LIMIT, so, like Redis for its AOF and replicas, Spool
// propagates an exact trim that removes the same entries: MINID = the ID of
// the first node left (tombstones included), which removes exactly the
// nodes before it and nothing in it.
//
// Redis rewrites an approximate MAXLEN to MAXLEN = <new length> instead,
// which replays differently when the trim removed a node holding no live
// entry (left by an exact MINID trim that stopped on a tombstone): the
// length-based replay stops before that node. The MINID form has no such
// case.
//
// With DELREF or ACKED ("~" ignored, see streams.TrimReport) the trim is
// exact and depends only on the stream and its groups, except for LIMIT
// (which replay drops). So the effect is the trim as typed with "=" and the
// policy, unless LIMIT stopped it before a node: then MINID = that node's
// master ID (or the typed MINID if smaller) trims exactly the nodes the
// original walked. limitStop and limited are what TrimReport returned.
func trimEffectArgs(p *addTrimArgs, s *streams.Stream, limitStop streams.ID, limited bool) [][]byte {
	if policy := p.trim.Policy; policy != streams.TrimKeepRef {
		word := []byte("DELREF")
		if policy == streams.TrimAcked {
			word = []byte("ACKED")
		}
		if !limited {
			return [][]byte{[]byte(trimStrategyWord(p)), []byte("="), p.threshold, word}
		}
		if p.strategy == trimMinID && p.trim.MinID.Less(limitStop) {
			limitStop = p.trim.MinID
		}
		return [][]byte{[]byte("MINID"), []byte("="), []byte(limitStop.String()), word}
	}
	if !p.trim.Approx {
		return [][]byte{[]byte(trimStrategyWord(p)), []byte("="), p.threshold}
	}
	if head, ok := s.HeadNodeID(); ok {
		return [][]byte{[]byte("MINID"), []byte("="), []byte(head.String())}
	}
	// No node left. MINID = the last possible ID removes every node whose
	// last entry is below it, live entries or not; only when the stream
	// reached that ID can a node end with it, and then MAXLEN = 0 (every
	// node while live entries remain) is the form that works.
	if s.LastID() != streams.MaxID {
		return [][]byte{[]byte("MINID"), []byte("="), []byte(streams.MaxID.String())}
	}
	return [][]byte{[]byte("MAXLEN"), []byte("="), []byte("0")}
}

// trimStrategyWord is MAXLEN or MINID, as p trims.
func trimStrategyWord(p *addTrimArgs) string {
	if p.strategy == trimMinID {
		return "MINID"
	}
	return "MAXLEN"
}
