package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// mock is the side-effect API the replicas call: a car search (read), three
// ways of booking (write) and a booking lookup (the status check). It counts
// what it does: every booking request that acts is an effect, kept by the
// call's idempotency key.
//
//	GET  /cars      read: the offer of a city
//	POST /book      acts on every request; GET /booking tells what it did
//	POST /book-key  honours Idempotency-Key: acts once per key
//	POST /book-bare acts on every request; nothing tells what it did
//	GET  /booking   the booking of the request's Idempotency-Key, or 404
//
// While failing is set, a booking request that acted fails after acting —
// with a 500, or by dropping the connection — at the rate set.
type mock struct {
	mu       sync.Mutex
	effects  map[string]int    // idempotency key -> times acted
	endpoint map[string]string // idempotency key -> endpoint
	requests atomic.Int64
	failRate atomic.Int64 // per thousand
	failed   atomic.Int64
}

func newMock() *mock {
	return &mock{effects: map[string]int{}, endpoint: map[string]string{}}
}

// failAfterActing sets the rate (0 to 1) of booking requests that fail
// after acting.
func (m *mock) failAfterActing(rate float64) { m.failRate.Store(int64(rate * 1000)) }

func (m *mock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/cars":
		writeJSON(w, 200, map[string]any{"car_id": "CAR-" + r.URL.Query().Get("city")})
	case r.Method == http.MethodGet && r.URL.Path == "/booking":
		m.mu.Lock()
		n := m.effects[key]
		m.mu.Unlock()
		if n == 0 {
			http.Error(w, `{"error": "no such booking"}`, http.StatusNotFound)
			return
		}
		writeJSON(w, 200, map[string]any{"booking_id": "B-" + key[:8]})
	case r.Method == http.MethodPost && (r.URL.Path == "/book" || r.URL.Path == "/book-key" || r.URL.Path == "/book-bare"):
		m.requests.Add(1)
		if key == "" {
			http.Error(w, `{"error": "no idempotency key"}`, http.StatusBadRequest)
			return
		}
		m.mu.Lock()
		if r.URL.Path != "/book-key" || m.effects[key] == 0 {
			m.effects[key]++
		}
		m.endpoint[key] = r.URL.Path
		m.mu.Unlock()
		if rand.Int64N(1000) < m.failRate.Load() {
			m.failed.Add(1)
			if rand.IntN(2) == 0 {
				http.Error(w, `{"error": "internal error"}`, http.StatusInternalServerError)
				return
			}
			if hj, ok := w.(http.Hijacker); ok { // a reset connection
				if conn, _, err := hj.Hijack(); err == nil {
					if tc, ok := conn.(*net.TCPConn); ok {
						tc.SetLinger(0)
					}
					conn.Close()
					return
				}
			}
		}
		writeJSON(w, 200, map[string]any{"booking_id": "B-" + key[:8]})
	default:
		http.NotFound(w, r)
	}
}

// snapshot returns the effects by key and the endpoint of each key.
func (m *mock) snapshot() (map[string]int, map[string]string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	eff := make(map[string]int, len(m.effects))
	ep := make(map[string]string, len(m.endpoint))
	for k, v := range m.effects {
		eff[k] = v
	}
	for k, v := range m.endpoint {
		ep[k] = v
	}
	return eff, ep
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// apisYAML is the catalogue the replicas serve, calling the mock at base.
func apisYAML(base string) string {
	return fmt.Sprintf(`- name: Cars.Search
  description: The offer of a rental car in a city.
  effect: read
  inputs: [{name: city, required: true}]
  outputs: [{name: car_id, description: Id of the offer}]
  binding: {kind: http, method: GET, url: "%[1]s/cars"}
- name: Cars.Book
  description: Book a rental car offer.
  effect: write
  confirm: true
  inputs: [{name: car_id, required: true, not_askable: true}]
  outputs: [{name: booking_id}]
  binding: {kind: http, method: POST, url: "%[1]s/book", status_check: Cars.Booking}
- name: Cars.BookKeyed
  description: Book a rental car offer, honouring idempotency keys.
  effect: write
  confirm: true
  inputs: [{name: car_id, required: true, not_askable: true}]
  outputs: [{name: booking_id}]
  binding: {kind: http, method: POST, url: "%[1]s/book-key", idempotency: key}
- name: Cars.BookBare
  description: Book a rental car offer; nothing tells whether a booking was made.
  effect: write
  confirm: true
  inputs: [{name: car_id, required: true, not_askable: true}]
  outputs: [{name: booking_id}]
  binding: {kind: http, method: POST, url: "%[1]s/book-bare"}
- name: Cars.Booking
  description: The booking made by the call with the request's idempotency key.
  effect: read
  inputs: [{name: car_id}]
  outputs: [{name: booking_id}]
  binding: {kind: http, method: GET, url: "%[1]s/booking"}
`, base)
}

// kinds are the booking APIs a conversation asks for, by the words of its
// request.
var kinds = []struct{ words, api string }{
	{"book a checked car", "Cars.Book"},
	{"book a keyed car", "Cars.BookKeyed"},
	{"book a bare car", "Cars.BookBare"},
}

// scriptYAML answers the replicas' model calls.
const scriptYAML = `rules:
  - role: translator
    when: 'User request: book a checked car in (\w+)'
    tool_calls: [{name: plan_request, arguments: {goals: [Cars.Book], known: {city: Lyon}}}]
  - role: translator
    when: 'User request: book a keyed car'
    tool_calls: [{name: plan_request, arguments: {goals: [Cars.BookKeyed], known: {city: Lyon}}}]
  - role: translator
    when: 'User request: book a bare car'
    tool_calls: [{name: plan_request, arguments: {goals: [Cars.BookBare], known: {city: Lyon}}}]
  - role: user
    when: 'answer the user from the results'
    reply: Booked.
`
