package commands

import (
	"strconv"
	"strings"
	"testing"
)

// TestIncrbyfloatAgainstRedis: every expected reply below was produced by
// redis-server 7.0.15 (x86-64, glibc) for SET k value; INCRBYFLOAT k incr.
// Errors are written "-" + the error text.
func TestIncrbyfloatAgainstRedis(t *testing.T) {
	cases := []struct{ value, incr, want string }{
		{"0", "0.1", "0.1"},
		{"0.1", "0.2", "0.3"},
		{"10.5", "0.1", "10.6"},
		{"3.0e3", "200", "3200"},
		{"1.1", "-1.1", "0"},
		{"-0", "0", "0"},
		{"0", "-0.0", "0"},
		{"9007199254740993", "0", "9007199254740993"},
		{"9223372036854775807", "1", "9223372036854775808"},
		{"0", "1.23456789012345678901234567890", "1.23456789012345679"},
		{"0", "3.14159265358979323846", "3.14159265358979324"},
		{"0", "123456789.123456789", "123456789.12345678899873747"},
		{"0", "-0.0000000000000000001", "0"},
		{"0", "0.000000000000000005", "0"},
		{"0", "0.000000000000000015", "0.00000000000000002"},
		{"0", "0.000000000000000025", "0.00000000000000002"},
		{"0", "0.000003814697265625", "0.00000381469726562"},
		{"0", "0.000011444091796875", "0.00001144409179688"},
		{"0", "-0.000011444091796875", "-0.00001144409179688"},
		{"0", "1e-17", "0.00000000000000001"},
		{"0", "-1e-17", "-0.00000000000000001"},
		{"0", "1.5e17", "150000000000000000"},
		{"0", "1e18", "1000000000000000000"},
		{"0", "0x1p3", "8"},
		{"0", "0X1P-3", "0.125"},
		{"0", "0xA.8p1", "21"},
		{"0", "0x.8", "0.5"},
		{"0", "+.5", "0.5"},
		{"0", "5.", "5"},
		{"0", "1.e1", "10"},
		{"0", "00012", "12"},
		{"0", "12345678901234567890123", "12345678901234567889920"},
		{"1000000000000000000000", "0.1", "1000000000000000000000"},
		{"0.3", "-0.1", "0.2"},
		{"1.0000000000000000001", "0", "1"},
		{"2.5", "2.5", "5"},
		{"0", "100000000000000000.5", "100000000000000000.5"},
		{"0", "1e-10", "0.0000000001"},
		{"0", "3.3333333333333333", "3.3333333333333333"},
		{"0", "2e-4951", "0"},
		{"0", "0x1p-16445", "0"},
		{"0", "1.7976931348623157e308", "179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384"},
		{"0", "1e30", "1000000000000000000024696061952"},
		{"1e400", "1", "10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880"},
		{"0", "inf", "-ERR increment would produce NaN or Infinity"},
		{"0", "-inf", "-ERR increment would produce NaN or Infinity"},
		{"0", "Infinity", "-ERR increment would produce NaN or Infinity"},
		{"inf", "1", "-ERR increment would produce NaN or Infinity"},
		{"0", "nan", "-ERR value is not a valid float"},
		{"0", " 1", "-ERR value is not a valid float"},
		{"0", "1 ", "-ERR value is not a valid float"},
		{"0", "\t1", "-ERR value is not a valid float"},
		{"0", "1\x00", "-ERR value is not a valid float"},
		{"0", "", "-ERR value is not a valid float"},
		{"0", "abc", "-ERR value is not a valid float"},
		{"0", "1_0", "-ERR value is not a valid float"},
		{"0", "1e", "-ERR value is not a valid float"},
		{"0", "1e+", "-ERR value is not a valid float"},
		{"0", "e1", "-ERR value is not a valid float"},
		{"0", ".e1", "-ERR value is not a valid float"},
		{"0", ".", "-ERR value is not a valid float"},
		{"0", "-", "-ERR value is not a valid float"},
		{"0", "0x", "-ERR value is not a valid float"},
		{"0", "0x.p1", "-ERR value is not a valid float"},
		{"0", "0x1p", "-ERR value is not a valid float"},
		{"0", "infinit", "-ERR value is not a valid float"},
		{"0", "nan(1)", "-ERR value is not a valid float"},
		{"abc", "1", "-ERR value is not a valid float"},
		{"1 ", "1", "-ERR value is not a valid float"},
		{"0", "1e5000", "-ERR value is not a valid float"},
		{"0", "1e-5000", "-ERR value is not a valid float"},
		{"0", "1.19e4932", "-ERR value is not a valid float"},
		{"0", "1e-4951", "-ERR value is not a valid float"},
		{"0", "0x1p-16446", "-ERR value is not a valid float"},
		{"0", "0x1.0000000000000001p-16446", "-ERR value is not a valid float"},
		{"0", "0x1.ffffffffffffffffp16383", "-ERR value is not a valid float"},
		{"0", "1e99999999999999999999", "-ERR value is not a valid float"},
		{"0", "1e-99999999999999999999", "-ERR value is not a valid float"},
		{"0", "0e99999999999999999999", "0"},
		{"1.18e4932", "1.18e4932", "-ERR increment would produce NaN or Infinity"},
		{"0", "1." + strings.Repeat("0", 5117), "1"},
		{"0", "1." + strings.Repeat("0", 5118), "-ERR value is not a valid float"},
	}
	for _, c := range cases {
		env := newStringsEnv(t)
		env.do("SET", "k", c.value)
		got := env.do("INCRBYFLOAT", "k", c.incr)
		want := "$" + strconv.Itoa(len(c.want)) + "\r\n" + c.want + "\r\n"
		if strings.HasPrefix(c.want, "-ERR") {
			want = c.want + "\r\n"
		}
		if got != want {
			t.Errorf("%q + %q: got %q, want %q", c.value, c.incr, got, want)
		}
	}
}
