package streams

import (
	"errors"
	"math"
	"strings"
	"testing"
)

const maxU = uint64(math.MaxUint64)

func TestIDOrder(t *testing.T) {
	tests := []struct {
		a, b ID
		want int
	}{
		{ID{0, 0}, ID{0, 0}, 0},
		{ID{0, 1}, ID{0, 0}, 1},
		{ID{1, 0}, ID{0, maxU}, 1},
		{ID{5, 5}, ID{5, 6}, -1},
		{MaxID, ID{maxU, maxU - 1}, 1},
		{MinID, MaxID, -1},
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := tt.a.Less(tt.b); got != (tt.want < 0) {
			t.Errorf("%v.Less(%v) = %v", tt.a, tt.b, got)
		}
	}
}

func TestIDString(t *testing.T) {
	if got := MaxID.String(); got != "18446744073709551615-18446744073709551615" {
		t.Errorf("MaxID.String() = %q", got)
	}
	if got := (ID{1526919030474, 55}).String(); got != "1526919030474-55" {
		t.Errorf("String() = %q", got)
	}
	if got := string(MinID.AppendTo([]byte("id:"))); got != "id:0-0" {
		t.Errorf("AppendTo = %q", got)
	}
}

func TestIDNextPrev(t *testing.T) {
	tests := []struct {
		id       ID
		next     ID
		nextOK   bool
		prev     ID
		prevOK   bool
		describe string
	}{
		{ID{5, 5}, ID{5, 6}, true, ID{5, 4}, true, "plain"},
		{ID{5, maxU}, ID{6, 0}, true, ID{5, maxU - 1}, true, "seq at max carries into ms"},
		{ID{5, 0}, ID{5, 1}, true, ID{4, maxU}, true, "seq at 0 borrows from ms"},
		{MaxID, MinID, false, ID{maxU, maxU - 1}, true, "no successor of MaxID (wraps like streamIncrID)"},
		{MinID, ID{0, 1}, true, MaxID, false, "no predecessor of 0-0 (wraps like streamDecrID)"},
	}
	for _, tt := range tests {
		t.Run(tt.describe, func(t *testing.T) {
			if got, ok := tt.id.Next(); got != tt.next || ok != tt.nextOK {
				t.Errorf("Next(%v) = %v, %v; want %v, %v", tt.id, got, ok, tt.next, tt.nextOK)
			}
			if got, ok := tt.id.Prev(); got != tt.prev || ok != tt.prevOK {
				t.Errorf("Prev(%v) = %v, %v; want %v, %v", tt.id, got, ok, tt.prev, tt.prevOK)
			}
		})
	}
}

// The odd-looking accepted forms were checked against redis-server 7.0.15
// with XADD: its string2ull falls back to strtoull.
func TestParseID(t *testing.T) {
	tests := []struct {
		in      string
		missing uint64
		want    ID
		err     error
	}{
		{"1-2", 0, ID{1, 2}, nil},
		{"1", 0, ID{1, 0}, nil},
		{"1", maxU, ID{1, maxU}, nil},
		{"0-0", 0, ID{0, 0}, nil},
		{"18446744073709551615-18446744073709551615", 0, MaxID, nil},
		{"18446744073709551615", 7, ID{maxU, 7}, nil},
		{"18446744073709551616", 0, ID{}, ErrInvalidID},
		{"1-18446744073709551616", 0, ID{}, ErrInvalidID},
		{"-", 0, ID{}, ErrInvalidID}, // strict: no "-" and "+"
		{"+", 0, ID{}, ErrInvalidID},
		{"", 0, ID{}, ErrInvalidID},
		{"abc", 0, ID{}, ErrInvalidID},
		{"1-", 0, ID{}, ErrInvalidID},
		{"-5", 0, ID{}, ErrInvalidID},
		{"1-2-3", 0, ID{}, ErrInvalidID},
		{"1--5", 0, ID{}, ErrInvalidID}, // canonical negative seq
		{"1-*", 0, ID{}, ErrInvalidID},  // only XADD takes ms-*
		{"0x16", 0, ID{}, ErrInvalidID},
		{"16-1 ", 0, ID{}, ErrInvalidID},
		{"17\t", 0, ID{}, ErrInvalidID},
		{"11 -1", 0, ID{}, ErrInvalidID},
		{"1-+", 0, ID{}, ErrInvalidID},
		{"+-5", 0, ID{}, ErrInvalidID},
		// strtoull fallbacks, as redis-server 7.0.15 accepts them:
		{" 12", 0, ID{12, 0}, nil},
		{"\t18", 0, ID{18, 0}, nil},
		{"+19-+1", 0, ID{19, 1}, nil},
		{"015-1", 0, ID{15, 1}, nil},
		{"14-00", 0, ID{14, 0}, nil},
		{"13- 3", 0, ID{13, 3}, nil},
		{"8--05", 0, ID{8, maxU - 4}, nil}, // strtoull negates modulo 2^64
		{"8--0", 0, ID{8, 0}, nil},
		{strings.Repeat(" ", 126) + "9", 0, ID{9, 0}, nil}, // 127 bytes is still fine
		// C-string handling: NUL ends the argument, long arguments fail.
		{"5\x00abc", 0, ID{5, 0}, nil},
		{"6-\x001", 0, ID{}, ErrInvalidID},
		{"7" + strings.Repeat("0", 127), 0, ID{}, ErrInvalidID}, // 128 bytes
	}
	for _, tt := range tests {
		got, err := ParseID(tt.in, tt.missing)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseID(%q, %d) = %v, %v; want %v, %v", tt.in, tt.missing, got, err, tt.want, tt.err)
		}
		// The []byte form must agree.
		gotB, errB := ParseID([]byte(tt.in), tt.missing)
		if gotB != got || errB != err {
			t.Errorf("ParseID([]byte(%q)) = %v, %v; string form gave %v, %v", tt.in, gotB, errB, got, err)
		}
	}
}

func TestParseRangeID(t *testing.T) {
	tests := []struct {
		in      string
		isStart bool
		want    ID
		err     error
	}{
		{"-", true, MinID, nil},
		{"+", true, MaxID, nil},
		{"-", false, MinID, nil},
		{"+", false, MaxID, nil},
		{"5", true, ID{5, 0}, nil},
		{"5", false, ID{5, maxU}, nil},
		{"5-3", false, ID{5, 3}, nil},
		{"(5", true, ID{}, ErrInvalidID},
		{"--", true, ID{}, ErrInvalidID},
		{"-\x00x", true, MinID, nil},
	}
	for _, tt := range tests {
		got, err := ParseRangeID(tt.in, tt.isStart)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseRangeID(%q, %v) = %v, %v; want %v, %v", tt.in, tt.isStart, got, err, tt.want, tt.err)
		}
	}
}

// Expected values checked with XRANGE/XREVRANGE on redis-server 7.0.15.
func TestParseIntervalID(t *testing.T) {
	tests := []struct {
		in        string
		isStart   bool
		want      ID
		exclusive bool
		err       error
	}{
		{"(1-1", true, ID{1, 2}, true, nil},
		{"(1", true, ID{1, 1}, true, nil}, // missing seq is 0 for a start
		{"(2", false, ID{2, maxU - 1}, true, nil},
		{"(2-0", false, ID{1, maxU}, true, nil},
		{"(1-18446744073709551615", true, ID{2, 0}, true, nil},
		{"(18446744073709551615", true, ID{maxU, 1}, true, nil},
		{"(0", false, ID{0, maxU - 1}, true, nil},
		{"(18446744073709551615-18446744073709551615", true, ID{}, true, ErrInvalidRangeStart},
		{"(0-0", false, ID{}, true, ErrInvalidRangeEnd},
		{"(-", true, ID{}, true, ErrInvalidID},
		{"(+", false, ID{}, true, ErrInvalidID},
		{"(", true, ID{}, false, ErrInvalidID},
		{"-", true, MinID, false, nil},
		{"+", false, MaxID, false, nil},
		{"7", false, ID{7, maxU}, false, nil},
	}
	for _, tt := range tests {
		got, excl, err := ParseIntervalID(tt.in, tt.isStart)
		if !errors.Is(err, tt.err) || got != tt.want || excl != tt.exclusive {
			t.Errorf("ParseIntervalID(%q, %v) = %v, %v, %v; want %v, %v, %v",
				tt.in, tt.isStart, got, excl, err, tt.want, tt.exclusive, tt.err)
		}
	}
}

func TestParseAddID(t *testing.T) {
	tests := []struct {
		in       string
		want     AddIDSpec
		err      error
		validate error
	}{
		{"*", AddIDSpec{Kind: AddIDAuto}, nil, nil},
		{"5-*", AddIDSpec{Kind: AddIDAutoSeq, ID: ID{Ms: 5}}, nil, nil},
		{"0-*", AddIDSpec{Kind: AddIDAutoSeq}, nil, nil},
		{"5", AddIDSpec{Kind: AddIDExplicit, ID: ID{5, 0}}, nil, nil},
		{"5-7", AddIDSpec{Kind: AddIDExplicit, ID: ID{5, 7}}, nil, nil},
		{"0-0", AddIDSpec{Kind: AddIDExplicit}, nil, ErrIDZero},
		{"0", AddIDSpec{Kind: AddIDExplicit}, nil, ErrIDZero},
		{"**", AddIDSpec{}, ErrInvalidID, nil},
		{"*-1", AddIDSpec{}, ErrInvalidID, nil},
		{"5-**", AddIDSpec{}, ErrInvalidID, nil},
		{"-", AddIDSpec{}, ErrInvalidID, nil},
		{"+", AddIDSpec{}, ErrInvalidID, nil},
		{"+1", AddIDSpec{Kind: AddIDExplicit, ID: ID{1, 0}}, nil, nil},
	}
	for _, tt := range tests {
		got, err := ParseAddID(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseAddID(%q) = %+v, %v; want %+v, %v", tt.in, got, err, tt.want, tt.err)
			continue
		}
		if err == nil {
			if v := got.Validate(); !errors.Is(v, tt.validate) {
				t.Errorf("ParseAddID(%q).Validate() = %v, want %v", tt.in, v, tt.validate)
			}
		}
	}
}

// Each case starts from a stream whose last ID is last (set with XSETID
// semantics) and resolves one XADD ID at clock now. Redis behaviour checked
// against redis-server 7.0.15.
func TestResolveAddID(t *testing.T) {
	tests := []struct {
		name string
		last ID
		spec string
		now  uint64
		want ID
		err  error
	}{
		{"star on empty stream uses the clock", ID{}, "*", 1000, ID{1000, 0}, nil},
		{"star keeps increasing when the clock goes back", ID{2000, 5}, "*", 1000, ID{2000, 6}, nil},
		{"star in the same millisecond", ID{1000, 5}, "*", 1000, ID{1000, 6}, nil},
		{"star carries into ms when seq is full", ID{1000, maxU}, "*", 5, ID{1001, 0}, nil},
		{"star on a stream at MaxID", MaxID, "*", 5, ID{}, ErrStreamExhausted},
		{"ms-star on a new ms starts at 0", ID{5, 9}, "6-*", 0, ID{6, 0}, nil},
		{"ms-star in the last ms bumps seq", ID{5, 9}, "5-*", 0, ID{5, 10}, nil},
		{"ms-star on an empty stream at 0", ID{}, "0-*", 0, ID{0, 1}, nil},
		{"ms-star with seq exhausted", ID{5, maxU}, "5-*", 0, ID{}, ErrSeqExhausted},
		{"ms-star in the past", ID{5, 9}, "4-*", 0, ID{}, ErrIDTooSmall},
		{"ms-star reaching MaxID", ID{maxU, maxU - 1}, "18446744073709551615-*", 0, MaxID, nil},
		{"ms-star on a stream at MaxID", MaxID, "18446744073709551615-*", 0, ID{}, ErrStreamExhausted},
		{"explicit greater", ID{5, 9}, "5-10", 0, ID{5, 10}, nil},
		{"explicit equal", ID{5, 9}, "5-9", 0, ID{}, ErrIDTooSmall},
		{"explicit smaller ms", ID{5, 9}, "5", 0, ID{}, ErrIDTooSmall},
		{"explicit MaxID", ID{1, 1}, "18446744073709551615-18446744073709551615", 0, MaxID, nil},
		{"explicit on a stream at MaxID", MaxID, "5", 0, ID{}, ErrStreamExhausted},
		{"explicit 0-0 beats exhausted", MaxID, "0-0", 0, ID{}, ErrIDZero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			if err := s.SetID(tt.last, -1, ID{}); err != nil {
				t.Fatal(err)
			}
			spec, err := ParseAddID(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.ResolveAddID(spec, tt.now)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("ResolveAddID(%q) = %v, %v; want %v, %v", tt.spec, got, err, tt.want, tt.err)
			}
		})
	}
}

// FuzzParseID checks that parsing never panics, that the string and []byte
// forms agree, and that a parsed ID prints back to a form that parses to it.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1-2", "0", "-", "+", "(5", " 12", "8--05", "18446744073709551615-18446744073709551615", "5-*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s, 7)
		idB, errB := ParseID([]byte(s), 7)
		if id != idB || err != errB {
			t.Fatalf("string and []byte forms differ for %q", s)
		}
		if err == nil {
			if back, err := ParseID(id.String(), 0); err != nil || back != id {
				t.Fatalf("%q parsed to %v, which reparses to %v, %v", s, id, back, err)
			}
		}
		_, _, _ = ParseIntervalID(s, true)
		_, _ = ParseAddID(s)
	})
}
