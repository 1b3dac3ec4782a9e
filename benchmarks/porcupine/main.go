// Checks the histories CheckBench writes (--histories-only DIR) with Porcupine, for a side-by-side comparison with
// zk-harness's Linearizability. Not part of the Maven build; see README.md.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

// one register operation, as CheckBench writes it
type input struct {
	kind, key, value, expected string
	unknown                   bool
}

type output struct{ result string }

const absent = "\x00absent"

func value(s string) string {
	if s == "-" {
		return absent
	}
	return s
}

func read(path string) []porcupine.Operation {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	var ops []porcupine.Operation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		process, _ := strconv.Atoi(fs[0])
		kind, key, outcome := fs[1], fs[2], fs[5]
		invoke, _ := strconv.ParseInt(fs[7], 10, 64)
		complete, _ := strconv.ParseInt(fs[8], 10, 64)
		if outcome == "FAIL" || (outcome == "UNKNOWN" && (kind == "read" || kind == "sync-read")) {
			continue // did not happen; an unknown read tells nothing
		}
		if outcome == "UNKNOWN" {
			complete = math.MaxInt64 // may take effect any time after its invocation
		}
		ops = append(ops, porcupine.Operation{
			ClientId: process,
			Input:    input{kind, key, value(fs[3]), value(fs[4]), outcome == "UNKNOWN"},
			Call:     invoke,
			Output:   output{value(fs[6])},
			Return:   complete,
		})
	}
	return ops
}

func registerStep(state string, in input, out output) (bool, string) {
	switch in.kind {
	case "read", "sync-read":
		return in.unknown || out.result == state, state
	case "write":
		return true, in.value
	case "cas":
		if in.expected != state {
			// Porcupine places every operation: an unknown CAS that did not apply is placed as a no-op
			return in.unknown, state
		}
		return true, in.value
	}
	return false, state
}

// per key: a register per key, the history partitioned by key
var perKey = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range history {
			k := op.Input.(input).key
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		sort.Strings(keys)
		var parts [][]porcupine.Operation
		for _, k := range keys {
			parts = append(parts, byKey[k])
		}
		return parts
	},
	Init: func() interface{} { return absent },
	Step: func(state, in, out interface{}) (bool, interface{}) {
		return registerStep(state.(string), in.(input), out.(output))
	},
	Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
}

// whole store: one state, a sorted "k=v;" string (comparable, immutable)
func storeGet(s, k string) string {
	for _, kv := range strings.Split(s, ";") {
		if i := strings.IndexByte(kv, '='); i > 0 && kv[:i] == k {
			return kv[i+1:]
		}
	}
	return absent
}

func storePut(s, k, v string) string {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ";") {
		if i := strings.IndexByte(kv, '='); i > 0 {
			m[kv[:i]] = kv[i+1:]
		}
	}
	m[k] = v
	var keys []string
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, key := range keys {
		b.WriteString(key + "=" + m[key] + ";")
	}
	return b.String()
}

var wholeStore = porcupine.Model{
	Init: func() interface{} { return "" },
	Step: func(state, inp, outp interface{}) (bool, interface{}) {
		s, in, out := state.(string), inp.(input), outp.(output)
		ok, next := registerStep(storeGet(s, in.key), in, out)
		if !ok {
			return false, s
		}
		if in.kind == "read" || in.kind == "sync-read" {
			return true, s
		}
		return true, storePut(s, in.key, next)
	},
	Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . DIR [ROUNDS [SCENARIO]]   (DIR from zk-bench --checks --histories-only DIR)")
		os.Exit(2)
	}
	dir, rounds, only := os.Args[1], 5, ""
	if len(os.Args) > 2 {
		rounds, _ = strconv.Atoi(os.Args[2])
	}
	if len(os.Args) > 3 {
		only = os.Args[3] // one scenario, e.g. check_linearizable_10k
	}
	cases := []struct {
		name, file string
		model      porcupine.Model
	}{
		{"check_linearizable_10k", "perkey_10k.txt", perKey},
		{"check_hard_key_invalid", "hardkey.txt", perKey},
		{"check_whole_store_1k", "store_1k.txt", wholeStore},
		{"check_minimize_10k (verdict only)", "stale_10k.txt", perKey},
		{"check_single_register_2k", "register_2k.txt", perKey},
	}
	for _, c := range cases {
		if only != "" && !strings.HasPrefix(c.name, only) {
			continue
		}
		ops := read(dir + "/" + c.file)
		var times []float64
		var res porcupine.CheckResult
		for i := 0; i <= rounds; i++ { // the first is a warm-up
			start := time.Now()
			res = porcupine.CheckOperationsTimeout(c.model, ops, 60*time.Second)
			if i > 0 {
				times = append(times, float64(time.Since(start).Microseconds())/1000)
			}
		}
		sort.Float64s(times)
		fmt.Printf("scenario=%s porcupine_ms=%.1f porcupine_min=%.1f porcupine_max=%.1f runs=%d verdict=%v operations=%d\n",
			c.name, times[len(times)/2], times[0], times[len(times)-1], rounds, res, len(ops))
	}
}
