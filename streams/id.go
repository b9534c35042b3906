package streams

import (
	"math"
	"strconv"
)

// ID is a stream entry ID, "<ms>-<seq>". IDs order by Ms, then by Seq.
// The zero value is 0-0, which is never the ID of an entry.
type ID struct {
	Ms, Seq uint64
}

// MinID and MaxID are the smallest and largest IDs ("-" and "+" in ranges).
// They are variables only because Go has no struct constants: never assign
// to them.
var (
	MinID = ID{}
	MaxID = ID{Ms: math.MaxUint64, Seq: math.MaxUint64}
)

// Compare returns -1 if id < other, 0 if they are equal and +1 if id > other.
func (id ID) Compare(other ID) int {
	switch {
	case id.Ms < other.Ms:
		return -1
	case id.Ms > other.Ms:
		return 1
	case id.Seq < other.Seq:
		return -1
	case id.Seq > other.Seq:
		return 1
	}
	return 0
}

// Less reports whether id sorts before other.
func (id ID) Less(other ID) bool {
	return id.Ms < other.Ms || (id.Ms == other.Ms && id.Seq < other.Seq)
}

// IsZero reports whether id is 0-0.
func (id ID) IsZero() bool { return id.Ms == 0 && id.Seq == 0 }

// String formats id as Redis does: "<ms>-<seq>" in decimal.
func (id ID) String() string {
	return string(id.AppendTo(make([]byte, 0, 41)))
}

// AppendTo appends the "<ms>-<seq>" form of id to buf, for reply writers
// that want to avoid an allocation.
func (id ID) AppendTo(buf []byte) []byte {
	buf = strconv.AppendUint(buf, id.Ms, 10)
	buf = append(buf, '-')
	return strconv.AppendUint(buf, id.Seq, 10)
}

// Next returns the ID right after id and true. For MaxID there is none: it
// returns 0-0 and false, the wrap-around Redis's streamIncrID reports as an
// error.
func (id ID) Next() (ID, bool) {
	switch {
	case id.Seq != math.MaxUint64:
		return ID{id.Ms, id.Seq + 1}, true
	case id.Ms != math.MaxUint64:
		return ID{id.Ms + 1, 0}, true
	}
	return MinID, false
}

// Prev returns the ID right before id and true. For 0-0 there is none: it
// returns MaxID and false, as Redis's streamDecrID does.
func (id ID) Prev() (ID, bool) {
	switch {
	case id.Seq != 0:
		return ID{id.Ms, id.Seq - 1}, true
	case id.Ms != 0:
		return ID{id.Ms - 1, math.MaxUint64}, true
	}
	return MaxID, false
}

// text is the argument type of the parsers (string or []byte), so that
// callers holding the raw []byte of a command argument need not convert,
// and copy, it.
type text interface{ ~string | ~[]byte }

// ParseID parses "<ms>-<seq>" or "<ms>" (the sequence is then missingSeq),
// given as a string or []byte, the form Redis calls a strict ID: "-" and "+" are rejected. Use it for XDEL,
// XACK, XCLAIM, XREAD ids, XADD/XTRIM MINID, XSETID and XGROUP CREATE.
// The only error is ErrInvalidID.
//
// The number rules are Redis's string2ull, checked against redis-server
// 7.0.15, which are looser than they look: a number that is not in canonical
// form falls back to C strtoull, so " 12", "+12", "012" and "\t12" all parse
// as 12, and a sequence written "-05" wraps to 2^64-5; "-5" is rejected
// (canonical and negative), as are trailing spaces, empty parts, overflow
// and a second '-'. Like Redis, an argument longer than 127 bytes is invalid
// and parsing stops at the first NUL byte.
func ParseID[T text](s T, missingSeq uint64) (ID, error) {
	id, _, err := parseID(s, missingSeq, true, false)
	return id, err
}

// ParseRangeID parses an inclusive XRANGE/XREVRANGE bound: "-" is MinID, "+"
// is MaxID, and an ID without a sequence gets 0 as a start and 2^64-1 as an
// end. The only error is ErrInvalidID. ParseRangeID(s, true) is also Redis's
// non-strict parse used by XGROUP SETID (where "-" and "+" are accepted).
func ParseRangeID[T text](s T, isStart bool) (ID, error) {
	id, _, err := parseID(s, rangeMissingSeq(isStart), false, false)
	return id, err
}

// ParseIntervalID parses a range bound that may be exclusive, "(<id>", as
// XRANGE, XREVRANGE, XPENDING and XAUTOCLAIM accept. The returned ID is
// already the inclusive bound: for "(<id>" it is id.Next() for a start and
// id.Prev() for an end, and exclusive reports that the "(" form was used.
// "(-" and "(+" are invalid (the ID after "(" is strict). Errors:
// ErrInvalidID, ErrInvalidRangeStart for "(" on MaxID as a start,
// ErrInvalidRangeEnd for "(" on 0-0 as an end.
func ParseIntervalID[T text](s T, isStart bool) (id ID, exclusive bool, err error) {
	if len(s) > 1 && s[0] == '(' {
		id, _, err = parseID(s[1:], rangeMissingSeq(isStart), true, false)
		if err != nil {
			return ID{}, true, err
		}
		var ok bool
		if isStart {
			if id, ok = id.Next(); !ok {
				return ID{}, true, ErrInvalidRangeStart
			}
		} else if id, ok = id.Prev(); !ok {
			return ID{}, true, ErrInvalidRangeEnd
		}
		return id, true, nil
	}
	id, _, err = parseID(s, rangeMissingSeq(isStart), false, false)
	return id, false, err
}

func rangeMissingSeq(isStart bool) uint64 {
	if isStart {
		return 0
	}
	return math.MaxUint64
}

// AddIDKind says which of XADD's ID forms was used.
type AddIDKind uint8

const (
	// AddIDAuto is "*": time part from the clock, sequence generated.
	AddIDAuto AddIDKind = iota
	// AddIDAutoSeq is "<ms>-*": time part given, sequence generated.
	AddIDAutoSeq
	// AddIDExplicit is "<ms>-<seq>" or "<ms>" (sequence 0).
	AddIDExplicit
)

// AddIDSpec is a parsed XADD ID argument. For AddIDAutoSeq only ID.Ms is
// meaningful; for AddIDAuto ID is unused. Stream.ResolveAddID turns it into
// the ID the entry gets.
type AddIDSpec struct {
	Kind AddIDKind
	ID   ID
}

// ParseAddID parses XADD's ID argument: "*", "<ms>-*", "<ms>" or
// "<ms>-<seq>". The only error is ErrInvalidID; an explicit 0-0 parses, and
// Validate reports it, because Redis checks 0-0 only after the arity check
// that follows ID parsing.
func ParseAddID[T text](s T) (AddIDSpec, error) {
	if len(s) == 1 && s[0] == '*' {
		return AddIDSpec{Kind: AddIDAuto}, nil
	}
	id, autoSeq, err := parseID(s, 0, true, true)
	if err != nil {
		return AddIDSpec{}, err
	}
	if autoSeq {
		return AddIDSpec{Kind: AddIDAutoSeq, ID: ID{Ms: id.Ms}}, nil
	}
	return AddIDSpec{Kind: AddIDExplicit, ID: id}, nil
}

// Validate returns ErrIDZero for the explicit ID 0-0 and nil otherwise
// ("0-*" is valid: it resolves to 0-1 on an empty stream).
func (a AddIDSpec) Validate() error {
	if a.Kind == AddIDExplicit && a.ID.IsZero() {
		return ErrIDZero
	}
	return nil
}

// parseID follows t_stream.c streamGenericParseIDOrReply: strict rejects the
// bare "-" and "+", allowAutoSeq accepts "<ms>-*" (reported as autoSeq).
func parseID[T text](s T, missingSeq uint64, strict, allowAutoSeq bool) (id ID, autoSeq bool, err error) {
	// Redis copies the argument into a 128-byte C buffer and parses it as a
	// C string: too long is invalid, and everything after a NUL is ignored.
	if len(s) > 127 {
		return ID{}, false, ErrInvalidID
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			s = s[:i]
			break
		}
	}
	if len(s) == 1 && (s[0] == '-' || s[0] == '+') {
		if strict {
			return ID{}, false, ErrInvalidID
		}
		if s[0] == '-' {
			return MinID, false, nil
		}
		return MaxID, false, nil
	}
	dash := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			dash = i
			break
		}
	}
	if dash < 0 {
		ms, ok := string2ull(s)
		if !ok {
			return ID{}, false, ErrInvalidID
		}
		return ID{ms, missingSeq}, false, nil
	}
	ms, ok := string2ull(s[:dash])
	if !ok {
		return ID{}, false, ErrInvalidID
	}
	seqPart := s[dash+1:]
	if allowAutoSeq && len(seqPart) == 1 && seqPart[0] == '*' {
		return ID{Ms: ms}, true, nil
	}
	seq, ok := string2ull(seqPart)
	if !ok {
		return ID{}, false, ErrInvalidID
	}
	return ID{ms, seq}, false, nil
}

// string2ull mirrors Redis util.c string2ull: the strict string2ll first
// (where a negative value is an error), then C strtoull(s, &end, 10) which
// must consume the whole string.
func string2ull[T text](s T) (uint64, bool) {
	if v, ok := string2ll(s); ok {
		if v < 0 {
			return 0, false
		}
		return uint64(v), true
	}
	return strtoull(s)
}

// string2ll mirrors Redis util.c string2ll: optional '-', no leading zeros
// (except "0" itself), digits only, fits in int64, at most 20 bytes.
func string2ll[T text](s T) (int64, bool) {
	if len(s) == 0 || len(s) >= 21 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	i, negative := 0, false
	if s[0] == '-' {
		negative = true
		i++
		if i == len(s) {
			return 0, false
		}
	}
	if s[i] < '1' || s[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		if v > math.MaxUint64-uint64(c-'0') {
			return 0, false
		}
		v += uint64(c - '0')
	}
	if negative {
		if v > uint64(math.MaxInt64)+1 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// strtoull mirrors glibc strtoull in base 10 as Redis uses it: leading C
// whitespace, an optional sign ('-' negates modulo 2^64), at least one digit,
// no overflow (ERANGE), and nothing after the digits.
func strtoull[T text](s T) (uint64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	negative := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		negative = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if i == start || i != len(s) {
		return 0, false
	}
	if negative {
		v = -v
	}
	return v, true
}

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}
