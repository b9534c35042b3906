package streams

import (
	"bufio"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// TestOracle replays random XADD / XDEL / XTRIM / XSETID / CONFIG SET
// scripts against a real redis-server and against Stream, and compares
// every reply and, after every step, the XINFO STREAM counters (including
// radix-tree-keys and radix-tree-nodes) and first/last entries; now and then
// whole XRANGE/XREVRANGE results too. It only runs when SPOOL_ORACLE_ADDR
// names a disposable redis-server (it uses key "spool:oracle" and changes
// stream-node-max-* with CONFIG SET), for example:
//
//	redis-server --port 7777 --save '' --appendonly no --daemonize yes
//	SPOOL_ORACLE_ADDR=127.0.0.1:7777 SPOOL_ORACLE_SEED=3 go test ./streams -run Oracle -v
//
// redis-server 7.0.15 has a use-after-free when XADD starts a node
// (valkey-io/valkey#4705: after lpShrinkToFit moves the old tail listpack,
// the rax can keep a dangling pointer). The test reads back every entry that
// starts a node; if Redis cannot return it, or dies, the oracle is corrupt
// and the test skips the rest of that run instead of reporting a mismatch.
func TestOracle(t *testing.T) {
	addr := os.Getenv("SPOOL_ORACLE_ADDR")
	if addr == "" {
		t.Skip("set SPOOL_ORACLE_ADDR to a disposable redis-server")
	}
	seed, _ := strconv.ParseInt(os.Getenv("SPOOL_ORACLE_SEED"), 10, 64)
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d", seed)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	o := &oracle{t: t, r: bufio.NewReader(conn), w: bufio.NewWriter(conn)}
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(oracleCorrupt); ok {
				t.Skipf("redis-server corrupted itself (%v); rerun with another seed", e)
			}
			panic(e)
		}
	}()
	defer o.do("CONFIG", "SET", "stream-node-max-entries", "100")
	defer o.do("CONFIG", "SET", "stream-node-max-bytes", "4096")
	for round := 0; round < 10; round++ {
		o.round(rand.New(rand.NewSource(seed+int64(round))), 1500)
		if t.Failed() {
			t.Fatalf("round %d failed (seed %d)", round, seed)
		}
	}
}

type oracleCorrupt string

type oracle struct {
	t    *testing.T
	r    *bufio.Reader
	w    *bufio.Writer
	s    *Stream
	lim  NodeLimits
	ids  []ID // every ID added, deleted or not
	last ID
}

const oracleKey = "spool:oracle"

var (
	oracleLimits = []NodeLimits{DefaultNodeLimits, {10, 200}, {0, 4096}, {5, 0}, {3, 100}, {1, 4096}, {7, 300}, {100, 1000}, {0, 0}, {50, 64}}
	oracleValues = []string{"0", "1", "127", "128", "-1", "4095", "4096", "-4097", "32768", "8388608",
		"2147483648", "-9223372036854775808", "9223372036854775808", "01", "-0", "+5", " 5", "1e3"}
	oracleFields = []string{"f", "field", "a", "b", "123", "-5", "01", ""}
	oracleLens   = []int{0, 1, 5, 20, 63, 64, 100, 127, 128, 1000, 4095, 4096, 5000}
)

func (o *oracle) setLimits(l NodeLimits) {
	o.lim = l
	o.do("CONFIG", "SET", "stream-node-max-entries", strconv.Itoa(l.MaxEntries))
	o.do("CONFIG", "SET", "stream-node-max-bytes", strconv.Itoa(l.MaxBytes))
}

func (o *oracle) round(r *rand.Rand, ops int) {
	o.s, o.ids, o.last = New(), nil, ID{Ms: uint64(r.Intn(1000))}
	o.do("DEL", oracleKey)
	o.setLimits(oracleLimits[r.Intn(len(oracleLimits))])
	shape := []string{"f"}
	for op := 0; op < ops && !o.t.Failed(); op++ {
		var step string
		switch k := r.Intn(100); {
		case k < 70:
			if r.Intn(20) == 0 {
				shape = shape[:0]
				for n := 1 + r.Intn(3); n > 0; n-- {
					shape = append(shape, oracleFields[r.Intn(len(oracleFields))])
				}
			}
			step = o.xadd(r, shape)
		case k < 80:
			step = o.xdel(r)
		case k < 92:
			step = o.xtrim(r)
		case k < 95:
			o.setLimits(oracleLimits[r.Intn(len(oracleLimits))])
			step = fmt.Sprintf("limits %+v", o.lim)
		case k < 97:
			id := ID{o.last.Ms + uint64(r.Intn(3)), o.last.Seq + uint64(r.Intn(1000))}
			step = "XSETID " + id.String()
			got := o.do("XSETID", oracleKey, id.String())
			if o.do("EXISTS", oracleKey) == int64(0) {
				continue
			}
			err := o.s.SetID(id, -1, ID{})
			if (err == nil) != (got == "OK") {
				o.t.Errorf("%s: redis %v, ours %v", step, got, err)
			}
			if err == nil {
				o.last = id
			}
		default:
			o.compareRanges(r)
			step = "ranges"
		}
		if o.do("EXISTS", oracleKey) == int64(1) {
			o.compareInfo(step)
		}
	}
	o.compareRanges(r)
}

func (o *oracle) xadd(r *rand.Rand, shape []string) string {
	var id ID
	switch r.Intn(6) {
	case 0, 1:
		id = ID{o.last.Ms, o.last.Seq + 1 + uint64(r.Intn(3))}
	case 2:
		id = ID{o.last.Ms + 1 + uint64(r.Intn(100)), uint64(r.Intn(3))}
	case 3:
		id = ID{o.last.Ms + 1 + uint64(r.Intn(100000)), uint64(r.Int63())}
	case 4:
		id = ID{o.last.Ms + 1 + uint64(r.Int63n(1<<45)), uint64(r.Intn(1000))}
	default:
		id = ID{o.last.Ms, o.last.Seq + 1 + uint64(r.Intn(5000))}
	}
	if r.Intn(10) == 0 {
		shape = []string{oracleFields[r.Intn(len(oracleFields))]}
	}
	args := []string{"XADD", oracleKey, id.String()}
	for _, f := range shape {
		v := oracleValues[r.Intn(len(oracleValues))]
		if r.Intn(2) == 0 {
			n := oracleLens[r.Intn(len(oracleLens))]
			if n > 100 && r.Intn(4) != 0 {
				n = r.Intn(100)
			}
			b := make([]byte, n)
			for i := range b {
				b[i] = byte('a' + r.Intn(26))
			}
			v = string(b)
		}
		args = append(args, f, v)
	}
	step := "XADD " + id.String()
	got := o.do(args...)
	nodes := o.s.NodeCount()
	err := o.s.Add(id, pairs(args[3:]...), o.lim)
	if err != nil || got != id.String() {
		o.t.Errorf("%s: redis %v, ours %v", step, got, err)
	}
	o.last = id
	o.ids = append(o.ids, id)
	if o.s.NodeCount() > nodes {
		// See valkey-io/valkey#4705 above: make sure Redis still has it.
		e, _ := o.s.Get(id)
		want := []any{oracleEntry(e)}
		if !reflect.DeepEqual(o.do("XRANGE", oracleKey, id.String(), id.String()), want) ||
			!reflect.DeepEqual(o.do("XREVRANGE", oracleKey, "+", "-", "COUNT", "1"), want) {
			panic(oracleCorrupt("cannot read back " + step))
		}
	}
	return step
}

func (o *oracle) xdel(r *rand.Rand) string {
	args := []string{"XDEL", oracleKey}
	var ours int64
	for n := 1 + r.Intn(3); n > 0; n-- {
		id := ID{uint64(r.Intn(1000)), uint64(r.Intn(3))}
		if len(o.ids) > 0 && r.Intn(5) != 0 {
			id = o.ids[r.Intn(len(o.ids))]
		}
		args = append(args, id.String())
		if o.s.Delete(id) {
			ours++
		}
	}
	if got := o.do(args...); got != ours {
		o.t.Errorf("%v: redis %v, ours %d", args, got, ours)
	}
	return fmt.Sprint(args)
}

func (o *oracle) xtrim(r *rand.Rand) string {
	spec := TrimSpec{Limit: -1}
	args := []string{"XTRIM", oracleKey}
	if r.Intn(2) == 0 {
		spec.MaxLen = uint64(max(0, int64(o.s.Len())-int64(r.Intn(300))))
		args = append(args, "MAXLEN")
	} else {
		spec.ByMinID = true
		spec.MinID = ID{Ms: uint64(r.Int63n(int64(o.last.Ms) + 1))}
		if len(o.ids) > 0 && r.Intn(4) != 0 {
			spec.MinID = o.ids[len(o.ids)-1-r.Intn(min(len(o.ids), 400))]
			spec.MinID.Seq += uint64(r.Intn(2))
		}
		args = append(args, "MINID")
	}
	if r.Intn(2) == 0 {
		spec.Approx = true
		args = append(args, "~")
	}
	if spec.ByMinID {
		args = append(args, spec.MinID.String())
	} else {
		args = append(args, strconv.FormatUint(spec.MaxLen, 10))
	}
	if spec.Approx && r.Intn(2) == 0 {
		spec.Limit = int64(r.Intn(500))
		args = append(args, "LIMIT", strconv.FormatInt(spec.Limit, 10))
	}
	ours := o.s.Trim(spec, o.lim)
	if got := o.do(args...); got != ours {
		o.t.Errorf("%v: redis %v, ours %d", args, got, ours)
	}
	return fmt.Sprint(args)
}

func (o *oracle) compareRanges(r *rand.Rand) {
	pick := func() ID {
		if len(o.ids) == 0 || r.Intn(5) == 0 {
			return ID{uint64(r.Intn(2000)), uint64(r.Intn(3))}
		}
		id := o.ids[r.Intn(len(o.ids))]
		id.Seq += uint64(r.Intn(2))
		return id
	}
	for i := 0; i < 4; i++ {
		start, end := MinID, MaxID
		if i > 0 {
			start, end = pick(), pick()
			if end.Less(start) && r.Intn(4) != 0 {
				start, end = end, start
			}
		}
		count := 0
		if r.Intn(2) == 0 {
			count = 1 + r.Intn(30)
		}
		for _, reverse := range []bool{false, true} {
			args := []string{"XRANGE", oracleKey, start.String(), end.String()}
			if reverse {
				args = []string{"XREVRANGE", oracleKey, end.String(), start.String()}
			}
			if count > 0 {
				args = append(args, "COUNT", strconv.Itoa(count))
			}
			ours := []any{}
			o.s.Range(start, end, count, reverse, func(e Entry) bool {
				ours = append(ours, oracleEntry(e))
				return true
			})
			if got := o.do(args...); !reflect.DeepEqual(got, ours) {
				o.t.Errorf("%v: redis %v\nours %v", args, got, ours)
			}
		}
	}
}

func (o *oracle) compareInfo(step string) {
	reply, ok := o.do("XINFO", "STREAM", oracleKey).([]any)
	if !ok {
		o.t.Errorf("after %s: XINFO STREAM replied %v", step, reply)
		return
	}
	got := map[string]any{}
	for i := 0; i+1 < len(reply); i += 2 {
		got[reply[i].(string)] = reply[i+1]
	}
	info := o.s.Info()
	want := map[string]any{
		"length":                  int64(info.Length),
		"radix-tree-keys":         int64(info.RadixTreeKeys),
		"radix-tree-nodes":        int64(info.RadixTreeNodes),
		"last-generated-id":       info.LastGeneratedID.String(),
		"max-deleted-entry-id":    info.MaxDeletedEntryID.String(),
		"entries-added":           int64(info.EntriesAdded),
		"recorded-first-entry-id": info.RecordedFirstEntryID.String(),
		"first-entry":             nil,
		"last-entry":              nil,
	}
	if e, ok := o.s.FirstEntry(); ok {
		want["first-entry"] = oracleEntry(e)
	}
	if e, ok := o.s.LastEntry(); ok {
		want["last-entry"] = oracleEntry(e)
	}
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			o.t.Errorf("after %s: %s: redis %v, ours %v", step, k, got[k], v)
		}
	}
}

func oracleEntry(e Entry) any {
	fields := make([]any, len(e.Fields))
	for i, f := range e.Fields {
		fields[i] = string(f)
	}
	return []any{e.ID.String(), fields}
}

// do sends one command and returns its reply: string, int64, nil, []any, or
// oracleError. A lost connection means Redis died: see TestOracle.
func (o *oracle) do(args ...string) any {
	fmt.Fprintf(o.w, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(o.w, "$%d\r\n%s\r\n", len(a), a)
	}
	if err := o.w.Flush(); err != nil {
		panic(oracleCorrupt(err.Error()))
	}
	return o.read()
}

type oracleError string

func (o *oracle) read() any {
	line, err := o.r.ReadString('\n')
	if err != nil {
		panic(oracleCorrupt(err.Error()))
	}
	line = line[:len(line)-2]
	switch line[0] {
	case '+':
		return line[1:]
	case '-':
		return oracleError(line[1:])
	case ':':
		n, _ := strconv.ParseInt(line[1:], 10, 64)
		return n
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(o.r, b); err != nil {
			panic(oracleCorrupt(err.Error()))
		}
		return string(b[:n])
	case '*':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil
		}
		out := make([]any, n)
		for i := range out {
			out[i] = o.read()
		}
		return out
	}
	o.t.Fatalf("unexpected reply %q", line)
	return nil
}
