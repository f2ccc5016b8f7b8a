package llm

import (
	"container/list"
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
	// Namespace is the tenant the call was made for: request and session
	// ids are counted per namespace, so two tenants' ids never mix.
	Namespace string `json:"namespace,omitempty"`
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

// DefaultMaxTracked is how many requests, and how many sessions, a Meter
// keeps totals for when MaxTracked is 0.
const DefaultMaxTracked = 10_000

// Meter records model calls and totals them per role, model, namespace, and
// (within a namespace) request and session. Its memory is bounded: the
// totals of the MaxTracked requests and sessions used most recently are
// kept, older ones are dropped; namespace totals are kept for every
// namespace. The zero value is ready to use; a Meter is safe for concurrent
// use and must not be copied after first use.
type Meter struct {
	// MaxCalls bounds the recent calls kept for Calls (totals count every
	// call); 0 means DefaultMaxCalls. Set it before first use.
	MaxCalls int
	// MaxTracked bounds the requests, and the sessions, whose totals are
	// kept; 0 means DefaultMaxTracked. Set it before first use.
	MaxTracked int
	// Scripted names the scripted-model file whose answers were metered, if
	// any; reports say so. Set it before first use.
	Scripted string

	mu         sync.Mutex
	calls      []Call // ring of recent calls, oldest at next when full
	next       int
	total      Totals
	lines      map[lineKey]*Usage
	namespaces map[string]*Totals
	requests   lru
	sessions   lru
}

type lineKey struct {
	role  Role
	model string
}

// scoped names a request or session within its namespace.
type scoped struct{ ns, id string }

// lru holds totals by key, dropping the least recently used beyond a bound.
type lru struct {
	order *list.List // of *lruEntry, most recent first
	items map[scoped]*list.Element
}

type lruEntry struct {
	key scoped
	t   Totals
}

// add adds c to the totals of k, keeping at most limit keys.
func (l *lru) add(k scoped, c Call, limit int) {
	if l.items == nil {
		l.order, l.items = list.New(), map[scoped]*list.Element{}
	}
	e, ok := l.items[k]
	if ok {
		l.order.MoveToFront(e)
	} else {
		e = l.order.PushFront(&lruEntry{key: k})
		l.items[k] = e
		for l.order.Len() > limit {
			old := l.order.Back()
			l.order.Remove(old)
			delete(l.items, old.Value.(*lruEntry).key)
		}
	}
	e.Value.(*lruEntry).t.add(c)
}

func (l *lru) get(k scoped) Totals {
	if e, ok := l.items[k]; ok {
		return e.Value.(*lruEntry).t.clone()
	}
	return Totals{}
}

// snapshot copies the totals, keyed "id" in the default namespace and
// "namespace/id" in others.
func (l *lru) snapshot() map[string]Totals {
	if len(l.items) == 0 {
		return nil
	}
	out := make(map[string]Totals, len(l.items))
	for k, e := range l.items {
		name := k.id
		if k.ns != "" {
			name = k.ns + "/" + k.id
		}
		out[name] = e.Value.(*lruEntry).t.clone()
	}
	return out
}

// Record adds a call.
func (m *Meter) Record(c Call) {
	m.mu.Lock()
	defer m.mu.Unlock()
	maxCalls := m.MaxCalls
	if maxCalls <= 0 {
		maxCalls = DefaultMaxCalls
	}
	if len(m.calls) < maxCalls {
		m.calls = append(m.calls, c)
	} else {
		m.calls[m.next] = c
		m.next = (m.next + 1) % len(m.calls)
	}
	m.total.add(c)
	if m.lines == nil {
		m.lines = map[lineKey]*Usage{}
		m.namespaces = map[string]*Totals{}
	}
	k := lineKey{c.Role, c.Model}
	if m.lines[k] == nil {
		m.lines[k] = &Usage{}
	}
	m.lines[k].add(c)
	if m.namespaces[c.Namespace] == nil {
		m.namespaces[c.Namespace] = &Totals{}
	}
	m.namespaces[c.Namespace].add(c)
	tracked := m.MaxTracked
	if tracked <= 0 {
		tracked = DefaultMaxTracked
	}
	if c.Request != "" {
		m.requests.add(scoped{c.Namespace, c.Request}, c, tracked)
	}
	if c.Session != "" {
		m.sessions.add(scoped{c.Namespace, c.Session}, c, tracked)
	}
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

// Request returns the totals of the calls made for request id of namespace
// ns (zero once the request has been dropped as least recently used).
func (m *Meter) Request(ns, id string) Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.requests.get(scoped{ns, id})
}

// Session returns the totals of the calls made in session id of namespace
// ns (zero once the session has been dropped as least recently used).
func (m *Meter) Session(ns, id string) Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sessions.get(scoped{ns, id})
}

// Namespace returns the totals of every call made for namespace ns.
func (m *Meter) Namespace(ns string) Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.namespaces[ns]; t != nil {
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
	Scripted string `json:"scripted,omitempty"`
	Total    Totals `json:"total"`
	Lines    []Line `json:"lines"`
	// Namespaces totals the calls by namespace ("" when none was given).
	Namespaces map[string]Totals `json:"namespaces,omitempty"`
	// Requests and Sessions are keyed by id in the default namespace and
	// by "namespace/id" in the others; only the most recently used are
	// kept (Meter.MaxTracked).
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
	if len(m.namespaces) > 0 {
		s.Namespaces = make(map[string]Totals, len(m.namespaces))
		for ns, t := range m.namespaces {
			s.Namespaces[ns] = t.clone()
		}
	}
	s.Requests = m.requests.snapshot()
	s.Sessions = m.sessions.snapshot()
	return s
}

func roleRank(r Role) int {
	if i := slices.Index(Roles(), r); i >= 0 {
		return i
	}
	return len(Roles())
}
