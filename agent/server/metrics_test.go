package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetricsExposition: the exposition parses with Prometheus's own text
// parser, and every toolsmith series carries its namespace.
func TestMetricsExposition(t *testing.T) {
	m := newMetrics()
	m.requests.WithLabelValues("travel", "POST /v1/plan", "200").Add(3)
	m.calls.WithLabelValues("other", `we"ird\api`, "error").Inc()
	m.turnTime.WithLabelValues("travel").Observe(0.0015)
	m.turnTime.WithLabelValues("travel").Observe(10)
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %q", ct)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, rec.Body.String())
	}
	for name, f := range families {
		if !strings.HasPrefix(name, "toolsmith_") {
			continue
		}
		for _, s := range f.GetMetric() {
			found := false
			for _, l := range s.GetLabel() {
				found = found || l.GetName() == "namespace"
			}
			if !found {
				t.Errorf("%s has a series without a namespace label", name)
			}
		}
	}
	got := func(name string, labels map[string]string) float64 {
		for _, s := range families[name].GetMetric() {
			match := true
			for _, l := range s.GetLabel() {
				if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
					match = false
				}
			}
			if match {
				if c := s.GetCounter(); c != nil {
					return c.GetValue()
				}
				return float64(s.GetHistogram().GetSampleCount())
			}
		}
		return -1
	}
	if v := got("toolsmith_http_requests_total", map[string]string{"namespace": "travel", "route": "POST /v1/plan", "code": "200"}); v != 3 {
		t.Errorf("requests = %v", v)
	}
	if v := got("toolsmith_api_calls_total", map[string]string{"namespace": "other", "api": `we"ird\api`}); v != 1 {
		t.Errorf("calls with an odd API name = %v", v)
	}
	if v := got("toolsmith_turn_seconds", map[string]string{"namespace": "travel"}); v != 2 {
		t.Errorf("turn histogram count = %v", v)
	}
	if families["go_goroutines"] == nil || families["process_resident_memory_bytes"] == nil {
		t.Error("runtime and process metrics missing")
	}
}
