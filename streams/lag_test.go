package streams

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
)

// lagScenarios drive a stream and its groups through XADD, XDEL, XTRIM,
// XSETID, XGROUP CREATE/SETID and XREADGROUP, and CHECK a group's
// entries-read and lag ("nil" when XINFO shows null) as Redis 7.2 computes
// them from t_stream.c (with the 7.2.7 lag fixes #13338 and #13473, and
// #13958; the first five are Redis's own tests in stream-cgroups.tcl).
// IDs are written as their ms part (5 is 5-0).
//
// A CHECK ending in "!70" is one where redis-server 7.0.15, which lacks
// those fixes, answers differently; TestLagScenariosOracle checks all the
// other CHECKs against a live 7.0.15.
var lagScenarios = []struct {
	name  string
	steps string
}{
	{"read counter and lag in empty streams", `
		CREATE g1 0
		CHECK g1 nil 0
		XADD 1
		XDEL 1
		CHECK g1 nil 0`},
	{"read counter and lag sanity", `
		XADD 1; XADD 2; XADD 3; XADD 4; XADD 5
		CREATE g1 0
		CHECK g1 nil 5
		READ g1 c11 1
		CHECK g1 1 4
		READ g1 c12 10
		CHECK g1 5 0
		XADD 6
		CHECK g1 5 1`},
	{"lag with XDELs", `
		XADD 1; XADD 2; XADD 3; XADD 4; XADD 5
		XDEL 3
		CREATE g1 0
		CREATE g2 0
		CHECK g1 nil nil
		READ g1 c11 1
		CHECK g1 nil nil
		READ g1 c11 1
		CHECK g1 nil nil
		READ g1 c11 1
		CHECK g1 nil nil
		READ g1 c11 1
		CHECK g1 5 0
		XADD 6
		CHECK g1 5 1
		XTRIM MINID 3
		CHECK g1 5 1
		CHECK g2 nil 3
		XTRIM MINID 5
		CHECK g1 5 1
		CHECK g2 nil 2`},
	{"lag with a tombstone after last-delivered-id", `
		CREATE g1 $
		XADD 1
		READ g1 alice 0
		XADD 2; XADD 3
		XDEL 2
		CHECK g1 1 nil
		XDEL 1
		CHECK g1 1 1 !70
		READ g1 alice 0
		CHECK g1 3 0 !70`},
	{"lag with XTRIM", `
		CREATE g $
		XADD 1; XADD 2; XADD 3; XADD 4; XADD 5
		READ g alice 1
		CHECK g 1 4
		XTRIM MAXLEN 1
		CHECK g 1 1 !70
		READ g alice 0
		CHECK g 5 0 !70
		XADD 6
		CHECK g 5 1 !70
		XTRIM MAXLEN 0
		CHECK g 5 0 !70`},
	{"trimming past a group with a known counter", `
		XADD 1; XADD 2; XADD 3; XADD 4; XADD 5
		CREATE g 0
		READ g c 1
		XTRIM MAXLEN 2
		CHECK g 1 2 !70
		READ g c 1
		CHECK g 4 1 !70`},
	{"XGROUP SETID", `
		XADD 1; XADD 2; XADD 3; XADD 4; XADD 5
		CREATE g 0
		READ g c 0
		CHECK g 5 0
		SETID g 3
		CHECK g nil nil
		SETID g 3 3
		CHECK g 3 2
		SETID g $
		CHECK g nil 0
		SETID g 0
		CHECK g nil 5
		SETID g 1
		CHECK g nil 4
		SETID g 9
		CHECK g nil nil
		READ g c 0
		CHECK g nil nil
		SETID g 5 10
		CHECK g 10 -5
		SETID g 2 2
		READ g c 1
		CHECK g 3 2`},
	{"XGROUP CREATE with ENTRIESREAD and $", `
		XADD 1; XADD 2; XADD 3; XADD 4; XADD 5
		CREATE g 2 2
		CHECK g 2 3
		CREATE h $
		CHECK h nil 0
		CREATE k 0 0
		CHECK k 0 5`},
	{"XSETID moves the last ID", `
		XADD 1; XADD 2; XADD 3
		CREATE g 0
		READ g c 0
		CHECK g 3 0
		XSETID 10
		CHECK g 3 0
		XADD 11
		CHECK g 3 1
		READ g c 0
		CHECK g 4 0`},
	{"XSETID ENTRIESADDED", `
		XADD 1; XADD 2; XADD 3
		CREATE g 0
		READ g c 1
		CHECK g 1 2
		XSETID 3 ENTRIESADDED 10
		CHECK g 1 9
		READ g c 1
		CHECK g 2 8`},
	{"XSETID MAXDELETEDID", `
		XADD 1; XADD 2; XADD 3
		CREATE g 0
		READ g c 1
		XSETID 3 MAXDELETEDID 2
		CHECK g 1 nil
		READ g c 0
		CHECK g 3 0`},
	{"a stream emptied by XDEL, then refilled", `
		XADD 1; XADD 2
		CREATE g 0
		XDEL 1; XDEL 2
		CHECK g nil 0
		XADD 3
		CHECK g nil 1
		READ g c 0
		CHECK g 3 0`},
	{"XDEL of the last entry", `
		XADD 1; XADD 2; XADD 3
		CREATE g 0
		READ g c 2
		CHECK g 2 1
		XDEL 3
		CHECK g 2 nil
		READ g c 0
		XADD 4
		CHECK g 2 nil
		READ g c 0
		CHECK g 4 0 !70`},
	{"XDEL before last-delivered-id", `
		XADD 1; XADD 2; XADD 3; XADD 4; XADD 5
		CREATE g 0
		READ g c 3
		XDEL 2
		CHECK g 3 2
		READ g c 0
		CHECK g 5 0`},
	{"NOACK reads count", `
		XADD 1; XADD 2; XADD 3
		CREATE g 0
		READ g c 2 NOACK
		CHECK g 2 1`},
}

// lagStep is one parsed scenario step.
type lagStep struct {
	op   string
	args []string
	no70 bool // CHECK only: 7.0.15 differs
}

func parseLagSteps(t *testing.T, text string) []lagStep {
	var steps []lagStep
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' }) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		st := lagStep{op: f[0], args: f[1:]}
		if n := len(st.args); n > 0 && st.args[n-1] == "!70" {
			st.no70, st.args = true, st.args[:n-1]
		}
		steps = append(steps, st)
	}
	return steps
}

// lagID turns "5" into 5-0; "$" stays "$".
func lagID(t *testing.T, s string) ID {
	t.Helper()
	ms, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("bad ID %q", s)
	}
	return mid(ms)
}

func TestLagScenarios(t *testing.T) {
	for _, sc := range lagScenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := New()
			now := int64(1000)
			for i, st := range parseLagSteps(t, sc.steps) {
				now++
				where := fmt.Sprintf("step %d %s %v", i+1, st.op, st.args)
				switch st.op {
				case "XADD":
					mustAdd(t, s, lagID(t, st.args[0]), DefaultNodeLimits, "f", st.args[0])
				case "XDEL":
					s.Delete(lagID(t, st.args[0]))
				case "XTRIM":
					n, _ := strconv.ParseUint(st.args[1], 10, 64)
					spec := TrimSpec{MaxLen: n}
					if st.args[0] == "MINID" {
						spec = TrimSpec{ByMinID: true, MinID: mid(n)}
					}
					s.Trim(spec, DefaultNodeLimits)
				case "XSETID":
					added, maxDel := int64(-1), ID{}
					for j := 1; j+1 < len(st.args); j += 2 {
						if st.args[j] == "ENTRIESADDED" {
							added, _ = strconv.ParseInt(st.args[j+1], 10, 64)
						} else {
							maxDel = lagID(t, st.args[j+1])
						}
					}
					if err := s.SetID(lagID(t, st.args[0]), added, maxDel); err != nil {
						t.Fatalf("%s: %v", where, err)
					}
				case "CREATE", "SETID":
					id := s.LastID()
					if st.args[1] != "$" {
						id = lagID(t, st.args[1])
					}
					er := int64(-1)
					if len(st.args) > 2 {
						er, _ = strconv.ParseInt(st.args[2], 10, 64)
					}
					if st.op == "CREATE" {
						mustCreateGroup(t, s, st.args[0], id, er)
					} else {
						s.Group(st.args[0]).SetID(id, er)
					}
				case "READ":
					g := s.Group(st.args[0])
					c, _ := g.CreateConsumer(st.args[1], now)
					count, _ := strconv.Atoi(st.args[2])
					g.ReadNew(c, count, len(st.args) > 3, now)
				case "CHECK":
					g := s.Group(st.args[0])
					er, lag := lagStrings(g)
					if er != st.args[1] || lag != st.args[2] {
						t.Fatalf("%s: entries-read %s lag %s", where, er, lag)
					}
				default:
					t.Fatalf("unknown step %q", st.op)
				}
			}
		})
	}
}

func lagStrings(g *Group) (entriesRead, lag string) {
	entriesRead = "nil"
	if n := g.EntriesRead(); n != UnknownEntriesRead {
		entriesRead = strconv.FormatInt(n, 10)
	}
	lag = "nil"
	if n, ok := g.Lag(); ok {
		lag = strconv.FormatInt(n, 10)
	}
	return entriesRead, lag
}

// TestLagScenariosOracle runs lagScenarios against a live redis-server
// (7.0.15 here) and compares every CHECK not marked "!70". It runs only when
// SPOOL_ORACLE_ADDR names a disposable server (it uses the key
// "spool:lag"):
//
//	redis-server --port 7407 --save '' --appendonly no --daemonize yes
//	SPOOL_ORACLE_ADDR=127.0.0.1:7407 go test ./streams -run LagScenariosOracle -v
func TestLagScenariosOracle(t *testing.T) {
	addr := os.Getenv("SPOOL_ORACLE_ADDR")
	if addr == "" {
		t.Skip("set SPOOL_ORACLE_ADDR to a disposable redis-server")
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	o := &oracle{t: t, r: bufio.NewReader(conn), w: bufio.NewWriter(conn)}
	const key = "spool:lag"
	for _, sc := range lagScenarios {
		t.Run(sc.name, func(t *testing.T) {
			o.t = t
			o.do("DEL", key)
			for i, st := range parseLagSteps(t, sc.steps) {
				id := func(s string) string {
					if s == "$" {
						return s
					}
					return s + "-0"
				}
				switch st.op {
				case "XADD":
					o.do("XADD", key, id(st.args[0]), "f", st.args[0])
				case "XDEL":
					o.do("XDEL", key, id(st.args[0]))
				case "XTRIM":
					arg := st.args[1]
					if st.args[0] == "MINID" {
						arg = id(arg)
					}
					o.do("XTRIM", key, st.args[0], "=", arg)
				case "XSETID":
					args := []string{"XSETID", key, id(st.args[0])}
					for j := 1; j+1 < len(st.args); j += 2 {
						v := st.args[j+1]
						if st.args[j] == "MAXDELETEDID" {
							v = id(v)
						}
						args = append(args, st.args[j], v)
					}
					o.do(args...)
				case "CREATE", "SETID":
					args := []string{"XGROUP", st.op, key, st.args[0], id(st.args[1])}
					if st.op == "CREATE" {
						args = append(args, "MKSTREAM")
					}
					if len(st.args) > 2 {
						args = append(args, "ENTRIESREAD", st.args[2])
					}
					o.do(args...)
				case "READ":
					args := []string{"XREADGROUP", "GROUP", st.args[0], st.args[1], "COUNT", st.args[2]}
					if len(st.args) > 3 {
						args = append(args, "NOACK")
					}
					o.do(append(args, "STREAMS", key, ">")...)
				case "CHECK":
					er, lag := oracleGroupLag(o.do("XINFO", "GROUPS", key), st.args[0])
					same := er == st.args[1] && lag == st.args[2]
					if !st.no70 && !same {
						t.Errorf("step %d CHECK %s: redis entries-read %s lag %s, want %s %s",
							i+1, st.args[0], er, lag, st.args[1], st.args[2])
					}
					if st.no70 {
						t.Logf("step %d CHECK %s (7.0 differs): redis %s %s, 7.2 %s %s",
							i+1, st.args[0], er, lag, st.args[1], st.args[2])
					}
				}
			}
		})
	}
}

// oracleGroupLag extracts entries-read and lag of group name from an XINFO
// GROUPS reply.
func oracleGroupLag(reply any, name string) (entriesRead, lag string) {
	str := func(v any) string {
		switch v := v.(type) {
		case nil:
			return "nil"
		case int64:
			return strconv.FormatInt(v, 10)
		}
		return fmt.Sprint(v)
	}
	groups, _ := reply.([]any)
	for _, g := range groups {
		kv, _ := g.([]any)
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		if fmt.Sprint(m["name"]) == name {
			return str(m["entries-read"]), str(m["lag"])
		}
	}
	return "missing", "missing"
}
