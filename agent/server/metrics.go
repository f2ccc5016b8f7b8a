package server

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// metrics are the server's Prometheus metrics, written in the text
// exposition format. (Written here rather than with client_golang, whose
// package initialisation registers collectors at every start of the binary.)
type metrics struct {
	start    time.Time
	requests *counterVec // route, code
	turns    *counterVec // status
	calls    *counterVec // api, outcome
	tokens   *counterVec // direction
	cost     *counterVec // (none)
	turnTime *histogram
}

func newMetrics() *metrics {
	return &metrics{
		start:    time.Now(),
		requests: newCounterVec("toolsmith_http_requests_total", "HTTP requests by route and status code.", "route", "code"),
		turns:    newCounterVec("toolsmith_turns_total", "Agent turns by resulting status.", "status"),
		calls:    newCounterVec("toolsmith_api_calls_total", "API calls made by the agent, by API and outcome.", "api", "outcome"),
		tokens:   newCounterVec("toolsmith_model_tokens_total", "Model tokens by direction.", "direction"),
		cost:     newCounterVec("toolsmith_model_cost_usd_total", "Model cost in USD."),
		turnTime: newHistogram("toolsmith_turn_seconds", "Duration of agent turns.", 0.001, 2, 16),
	}
}

// ServeHTTP writes every metric.
func (m *metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	for _, c := range []*counterVec{m.requests, m.turns, m.calls, m.tokens, m.cost} {
		c.write(w)
	}
	m.turnTime.write(w)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge(w, "go_goroutines", "Number of goroutines.", float64(runtime.NumGoroutine()))
	gauge(w, "go_memstats_heap_alloc_bytes", "Heap bytes allocated and in use.", float64(ms.HeapAlloc))
	gauge(w, "process_uptime_seconds", "Seconds since the server started.", time.Since(m.start).Seconds())
}

func gauge(w io.Writer, name, help string, v float64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", name, help, name, name, num(v))
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}

// counterVec is a counter with labels.
type counterVec struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	values     map[string]float64 // by joined label values
}

func newCounterVec(name, help string, labels ...string) *counterVec {
	return &counterVec{name: name, help: help, labels: labels, values: map[string]float64{}}
}

// add adds v to the counter of the label values.
func (c *counterVec) add(v float64, labelValues ...string) {
	key := strings.Join(labelValues, "\x00")
	c.mu.Lock()
	c.values[key] += v
	c.mu.Unlock()
}

func (c *counterVec) write(w io.Writer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
	keys := make([]string, 0, len(c.values))
	for k := range c.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s%s %s\n", c.name, labelText(c.labels, strings.Split(k, "\x00")), num(c.values[k]))
	}
	if len(c.labels) == 0 && len(keys) == 0 {
		fmt.Fprintf(w, "%s 0\n", c.name)
	}
}

func labelText(names, values []string) string {
	if len(names) == 0 {
		return ""
	}
	parts := make([]string, len(names))
	for i, n := range names {
		v := ""
		if i < len(values) {
			v = values[i]
		}
		v = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
		parts[i] = n + `="` + v + `"`
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// histogram has exponential buckets.
type histogram struct {
	name, help string
	bounds     []float64
	mu         sync.Mutex
	counts     []uint64 // per bucket (not cumulative), last is +Inf
	sum        float64
	n          uint64
}

func newHistogram(name, help string, start, factor float64, count int) *histogram {
	h := &histogram{name: name, help: help}
	for b := start; len(h.bounds) < count; b *= factor {
		h.bounds = append(h.bounds, b)
	}
	h.counts = make([]uint64, count+1)
	return h
}

func (h *histogram) observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v)
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.n++
	h.mu.Unlock()
}

func (h *histogram) write(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i]
		fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", h.name, b, cum)
	}
	cum += h.counts[len(h.bounds)]
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %g\n%s_count %d\n", h.name, cum, h.name, h.sum, h.name, h.n)
}
