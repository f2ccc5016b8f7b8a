package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, every series labelled by
// namespace, in a registry of the server's own (with the Go runtime's and
// the process's collectors). client_golang costs about 1 ms of the binary's
// start-up (docs/benchmarks/agent.md); only serve creates a registry.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec   // namespace, route, code
	turns       *prometheus.CounterVec   // namespace, status
	calls       *prometheus.CounterVec   // namespace, api, outcome
	tokens      *prometheus.CounterVec   // namespace, direction
	cost        *prometheus.CounterVec   // namespace
	limited     *prometheus.CounterVec   // namespace, limit
	storeErrors *prometheus.CounterVec   // namespace
	turnTime    *prometheus.HistogramVec // namespace
	handler     http.Handler
}

func newMetrics() *metrics {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	m := &metrics{
		reg:         prometheus.NewRegistry(),
		requests:    counter("toolsmith_http_requests_total", "HTTP requests by namespace, route and status code.", "namespace", "route", "code"),
		turns:       counter("toolsmith_turns_total", "Agent turns by namespace and resulting status.", "namespace", "status"),
		calls:       counter("toolsmith_api_calls_total", "API calls made by the agent, by namespace, API and outcome.", "namespace", "api", "outcome"),
		tokens:      counter("toolsmith_model_tokens_total", "Model tokens by namespace and direction.", "namespace", "direction"),
		cost:        counter("toolsmith_model_cost_usd_total", "Model cost in USD by namespace.", "namespace"),
		limited:     counter("toolsmith_limited_total", "Requests refused by a namespace limit (rate, concurrency, daily_cost, daily_api_calls).", "namespace", "limit"),
		storeErrors: counter("toolsmith_store_unavailable_total", "Requests answered 503 because the store was unavailable.", "namespace"),
		turnTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "toolsmith_turn_seconds", Help: "Duration of agent turns by namespace.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}, []string{"namespace"}),
	}
	m.reg.MustRegister(m.requests, m.turns, m.calls, m.tokens, m.cost, m.limited, m.storeErrors, m.turnTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// ServeHTTP writes every metric in the exposition format the scraper asks
// for.
func (m *metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.handler.ServeHTTP(w, r) }
