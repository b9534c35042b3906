// Command spoolbench runs one load scenario against any RESP server
// (Spool or redis-server) and prints throughput and latency percentiles.
//
//	spoolbench -addr 127.0.0.1:6379 -scenario xadd -clients 50 -pipeline 16 -duration 5s
//	spoolbench -scenario consume -clients 2 -consumers 4 -count 50
//	spoolbench -scenario consume -count 10 -policy "ACKWAIT 30000 MAXDELIVER 5"
//	spoolbench -scenario fanout -subscribers 8
//	spoolbench -scenario mixed -mix xadd=50,xrange=15,xlen=10,xreadgroup=15,publish=10
//
// Zero-valued flags take the scenario's defaults (bench/load.Defaults). The
// exit status is 1 when the scenario fails, with the server's error text.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spool-dev/spool/bench/load"
)

func main() {
	var (
		o        load.Options
		scenario string
		asJSON   bool
	)
	flag.StringVar(&scenario, "scenario", "xadd", "one of "+strings.Join(load.Scenarios, ", "))
	flag.StringVar(&o.Addr, "addr", "127.0.0.1:6379", "server address (host:port)")
	flag.StringVar(&o.Password, "password", "", "AUTH password")
	flag.DurationVar(&o.Duration, "duration", 5*time.Second, "how long to run")
	flag.Int64Var(&o.Requests, "requests", 0, "stop after this many primary operations (0 = duration only)")
	flag.StringVar(&o.Key, "key", "", "key/channel prefix (default spoolbench:<scenario>)")
	flag.BoolVar(&o.Keep, "keep", false, "keep the keys afterwards")
	flag.IntVar(&o.Clients, "clients", 0, "connections sending the primary command (producers, publishers)")
	flag.IntVar(&o.Pipeline, "pipeline", 0, "commands per round trip")
	flag.Float64Var(&o.Rate, "rate", 0, "target primary operations per second over all clients (0 = unthrottled)")
	flag.IntVar(&o.Fields, "fields", 0, "field/value pairs per entry")
	flag.IntVar(&o.ValueSize, "value-size", 0, "bytes per value (and per published message body)")
	flag.IntVar(&o.Streams, "streams", 0, "stream keys to spread XADD over (xadd)")
	flag.Int64Var(&o.MaxLen, "maxlen", 0, "XADD MAXLEN ~ n (0 = no trimming)")
	flag.IntVar(&o.Consumers, "consumers", 0, "consumers in the group (consume)")
	flag.IntVar(&o.Count, "count", 0, "XREADGROUP COUNT (consume, mixed)")
	flag.DurationVar(&o.Block, "block", 0, "XREADGROUP BLOCK (consume)")
	flag.StringVar(&o.Policy, "policy", "", `queue policy for the group (consume, Spool only): XQ.POLICY SET options, e.g. "ACKWAIT 30000 MAXDELIVER 5"`)
	flag.IntVar(&o.Subscribers, "subscribers", 0, "subscribers (fanout)")
	flag.StringVar(&o.Mix, "mix", "", "operation weights (mixed), default "+load.DefaultMix)
	flag.BoolVar(&asJSON, "json", false, "print the result as JSON")
	flag.Parse()

	res, err := load.Run(scenario, o)
	if asJSON {
		out := map[string]any{"scenario": scenario, "addr": o.Addr}
		if o.Policy != "" {
			out["policy"] = o.Policy
		}
		if res != nil {
			out["ops"] = res.Ops
			out["seconds"] = res.Elapsed.Seconds()
			out["ops_per_sec"] = res.Throughput()
			out["p50_ns"] = res.Latency.Percentile(50)
			out["p99_ns"] = res.Latency.Percentile(99)
			out["p999_ns"] = res.Latency.Percentile(99.9)
			out["max_ns"] = res.Latency.Max()
			extra := map[string]float64{}
			for _, m := range res.Extra {
				extra[m.Name] = m.Value
			}
			out["extra"] = extra
		}
		if err != nil {
			out["error"] = err.Error()
		}
		json.NewEncoder(os.Stdout).Encode(out)
	} else if res != nil {
		fmt.Print(res.String())
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "spoolbench: %s: %v\n", scenario, err)
		os.Exit(1)
	}
}
