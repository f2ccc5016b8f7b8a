package llm

import (
	"slices"
	"sync"
	"time"
)

// Call is the record of one model call (all its attempts).
type Call struct {
	Time    time.Time `json:"time"`
	Role    Role      `json:"role"`
	Model   string    `json:"model"`
	Request string    `json:"request,omitempty"`
	Session string    `json:"session,omitempty"`
	// InputTokens and OutputTokens come from the provider's usage report;
	// when it reports none, they are estimated (about four characters a
	// token) and Estimated is set.
	InputTokens  int           `json:"input_tokens"`
	OutputTokens int           `json:"output_tokens"`
	Estimated    bool          `json:"estimated,omitempty"`
	Latency      time.Duration `json:"latency_ns"`
	Cost         float64       `json:"cost_usd"`
	Attempts     int           `json:"attempts"`
	// Err is the error the call ended with, or "".
	Err string `json:"error,omitempty"`
}

// Usage totals a set of calls.
type Usage struct {
	Calls          int           `json:"calls"`
	InputTokens    int64         `json:"input_tokens"`
	OutputTokens   int64         `json:"output_tokens"`
	EstimatedCalls int           `json:"estimated_calls,omitempty"`
	Errors         int           `json:"errors,omitempty"`
	Cost           float64       `json:"cost_usd"`
	Latency        time.Duration `json:"latency_ns"`
}

func (u *Usage) add(c Call) {
	u.Calls++
	u.InputTokens += int64(c.InputTokens)
	u.OutputTokens += int64(c.OutputTokens)
	if c.Estimated {
		u.EstimatedCalls++
	}
	if c.Err != "" {
		u.Errors++
	}
	u.Cost += c.Cost
	u.Latency += c.Latency
}

// Totals is a Usage with its breakdown by role.
type Totals struct {
	Usage
	ByRole map[Role]Usage `json:"by_role,omitempty"`
}

func (t *Totals) add(c Call) {
	t.Usage.add(c)
	if t.ByRole == nil {
		t.ByRole = map[Role]Usage{}
	}
	u := t.ByRole[c.Role]
	u.add(c)
	t.ByRole[c.Role] = u
}

func (t Totals) clone() Totals {
	if t.ByRole != nil {
		m := make(map[Role]Usage, len(t.ByRole))
		for k, v := range t.ByRole {
			m[k] = v
		}
		t.ByRole = m
	}
	return t
}

// DefaultMaxCalls is how many recent calls a Meter keeps when MaxCalls is 0.
const DefaultMaxCalls = 1000

// Meter records model calls and totals them per role, model, request and
// session. The zero value is ready to use; a Meter is safe for concurrent
// use and must not be copied after first use.
type Meter struct {
	// MaxCalls bounds the recent calls kept for Calls (totals count every
	// call); 0 means DefaultMaxCalls. Set it before first use.
	MaxCalls int
	// Scripted names the scripted-model file whose answers were metered, if
	// any; reports say so. Set it before first use.
	Scripted string

	mu       sync.Mutex
	calls    []Call // ring of recent calls, oldest at next when full
	next     int
	total    Totals
	lines    map[lineKey]*Usage
	requests map[string]*Totals
	sessions map[string]*Totals
}

type lineKey struct {
	role  Role
	model string
}

// Record adds a call.
func (m *Meter) Record(c Call) {
	m.mu.Lock()
	defer m.mu.Unlock()
	max := m.MaxCalls
	if max <= 0 {
		max = DefaultMaxCalls
	}
	if len(m.calls) < max {
		m.calls = append(m.calls, c)
	} else {
		m.calls[m.next] = c
		m.next = (m.next + 1) % len(m.calls)
	}
	m.total.add(c)
	if m.lines == nil {
		m.lines = map[lineKey]*Usage{}
		m.requests = map[string]*Totals{}
		m.sessions = map[string]*Totals{}
	}
	k := lineKey{c.Role, c.Model}
	if m.lines[k] == nil {
		m.lines[k] = &Usage{}
	}
	m.lines[k].add(c)
	addTo := func(tab map[string]*Totals, id string) {
		if id == "" {
			return
		}
		if tab[id] == nil {
			tab[id] = &Totals{}
		}
		tab[id].add(c)
	}
	addTo(m.requests, c.Request)
	addTo(m.sessions, c.Session)
}

// Calls returns the recent calls, oldest first.
func (m *Meter) Calls() []Call {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Call, 0, len(m.calls))
	out = append(out, m.calls[m.next:]...)
	return append(out, m.calls[:m.next]...)
}

// Total returns the totals of every call recorded.
func (m *Meter) Total() Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.total.clone()
}

// Request returns the totals of the calls made for request id.
func (m *Meter) Request(id string) Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.requests[id]; t != nil {
		return t.clone()
	}
	return Totals{}
}

// Session returns the totals of the calls made in session id.
func (m *Meter) Session(id string) Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.sessions[id]; t != nil {
		return t.clone()
	}
	return Totals{}
}

// Line is the usage of one model in one role.
type Line struct {
	Role  Role   `json:"role"`
	Model string `json:"model"`
	Usage
}

// Snapshot is everything a Meter knows, for reports and JSON output.
type Snapshot struct {
	// Scripted names the scripted-model file in use, if any: no model was
	// called and every token count is an estimate.
	Scripted string            `json:"scripted,omitempty"`
	Total    Totals            `json:"total"`
	Lines    []Line            `json:"lines"`
	Requests map[string]Totals `json:"requests,omitempty"`
	Sessions map[string]Totals `json:"sessions,omitempty"`
	Calls    []Call            `json:"calls,omitempty"`
}

// Snapshot returns a copy of the meter's totals and recent calls. Lines are
// ordered by role (maker, user, dispatcher, translator) then model.
func (m *Meter) Snapshot() Snapshot {
	calls := m.Calls()
	m.mu.Lock()
	defer m.mu.Unlock()
	s := Snapshot{Scripted: m.Scripted, Total: m.total.clone(), Calls: calls, Lines: []Line{}}
	for k, u := range m.lines {
		s.Lines = append(s.Lines, Line{Role: k.role, Model: k.model, Usage: *u})
	}
	slices.SortFunc(s.Lines, func(a, b Line) int {
		if c := roleRank(a.Role) - roleRank(b.Role); c != 0 {
			return c
		}
		switch {
		case a.Model < b.Model:
			return -1
		case a.Model > b.Model:
			return 1
		}
		return 0
	})
	copyTab := func(tab map[string]*Totals) map[string]Totals {
		if len(tab) == 0 {
			return nil
		}
		out := make(map[string]Totals, len(tab))
		for id, t := range tab {
			out[id] = t.clone()
		}
		return out
	}
	s.Requests = copyTab(m.requests)
	s.Sessions = copyTab(m.sessions)
	return s
}

func roleRank(r Role) int {
	if i := slices.Index(Roles(), r); i >= 0 {
		return i
	}
	return len(Roles())
}
