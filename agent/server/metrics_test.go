package server

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetricsExposition(t *testing.T) {
	m := newMetrics()
	m.requests.add(1, "POST /v1/plan", "200")
	m.requests.add(2, "POST /v1/plan", "200")
	m.calls.add(1, `we"ird\api`, "error")
	m.turnTime.observe(0.0015)
	m.turnTime.observe(10)
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		"# TYPE toolsmith_http_requests_total counter",
		`toolsmith_http_requests_total{route="POST /v1/plan",code="200"} 3`,
		`toolsmith_api_calls_total{api="we\"ird\\api",outcome="error"} 1`,
		"toolsmith_model_cost_usd_total 0",
		`toolsmith_turn_seconds_bucket{le="0.001"} 0`,
		`toolsmith_turn_seconds_bucket{le="0.002"} 1`,
		`toolsmith_turn_seconds_bucket{le="+Inf"} 2`,
		"toolsmith_turn_seconds_count 2",
		"# TYPE go_goroutines gauge",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
}
