package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
)

// Limits bound what each namespace may use; a zero field sets no limit.
// The counters live in the store, so replicas sharing a Redis share them. A
// request over a limit is answered 429 with Retry-After and the time the
// limit resets.
type Limits struct {
	// Rate is the requests a second a namespace may send to /v1, with
	// bursts of Burst (default: Rate rounded up, at least 1) — a token
	// bucket.
	Rate  float64
	Burst int
	// ConcurrentTurns bounds the turns of a namespace running at once.
	ConcurrentTurns int
	// DailyCost bounds a namespace's model spend in USD per UTC day, and
	// DailyAPICalls its API calls. A turn is refused once the day's
	// spending reached the budget (the turn that crosses it completes).
	DailyCost     float64
	DailyAPICalls int64
}

// limitError is a 429 for limit, resetting at reset.
func limitError(limit, msg string, reset time.Time) error {
	wait := max(int(math.Ceil(time.Until(reset).Seconds())), 1)
	return &httpError{code: http.StatusTooManyRequests, msg: msg,
		header: map[string]string{"Retry-After": strconv.Itoa(wait)},
		extra:  map[string]any{"limit": limit, "reset": reset.UTC().Format(time.RFC3339)}}
}

// limitRate takes a token of the namespace's request bucket.
func (s *Server) limitRate(ctx context.Context, ns string) error {
	l := s.Limits
	if l.Rate <= 0 {
		return nil
	}
	burst := l.Burst
	if burst <= 0 {
		burst = max(int(math.Ceil(l.Rate)), 1)
	}
	wait, err := s.Store.TakeToken(ctx, ns, "requests", l.Rate, burst)
	if err != nil {
		return err
	}
	if wait > 0 {
		s.metrics.limited.WithLabelValues(ns, "rate").Inc()
		return limitError("rate", fmt.Sprintf("namespace %q sends more than %g requests a second", ns, l.Rate), time.Now().Add(wait))
	}
	return nil
}

// day returns the UTC day of t and the start of the next one.
func day(t time.Time) (string, time.Time) {
	t = t.UTC()
	start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return start.Format(time.DateOnly), start.Add(24 * time.Hour)
}

// admitTurn checks the namespace's daily budget and takes one of its turn
// slots; release gives the slot back.
func (s *Server) admitTurn(ctx context.Context, ns string) (release func(), err error) {
	l := s.Limits
	if l.DailyCost > 0 || l.DailyAPICalls > 0 {
		today, reset := day(time.Now())
		sp, err := s.Store.AddSpend(ctx, ns, today, 0, 0)
		if err != nil {
			return nil, err
		}
		if l.DailyCost > 0 && sp.Cost >= l.DailyCost {
			s.metrics.limited.WithLabelValues(ns, "daily_cost").Inc()
			return nil, limitError("daily_cost", fmt.Sprintf("namespace %q spent its model budget of %g USD for today", ns, l.DailyCost), reset)
		}
		if l.DailyAPICalls > 0 && sp.Calls >= l.DailyAPICalls {
			s.metrics.limited.WithLabelValues(ns, "daily_api_calls").Inc()
			return nil, limitError("daily_api_calls", fmt.Sprintf("namespace %q made its %d API calls for today", ns, l.DailyAPICalls), reset)
		}
	}
	if l.ConcurrentTurns <= 0 {
		return func() {}, nil
	}
	// A replica that dies frees its slots once a turn could have ended.
	hold := s.TurnTimeout + agent.DefaultLeaseTTL
	token, ok, err := s.Store.AcquireSlot(ctx, ns, "turns", l.ConcurrentTurns, hold)
	if err != nil {
		return nil, err
	}
	if !ok {
		s.metrics.limited.WithLabelValues(ns, "concurrency").Inc()
		return nil, limitError("concurrency", fmt.Sprintf("namespace %q already runs %d turns at once", ns, l.ConcurrentTurns), time.Now().Add(time.Second))
	}
	return func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if err := s.Store.ReleaseSlot(rctx, ns, "turns", token); err != nil {
			s.errLog.log("slot", "turn slot not released; it expires on its own", "namespace", ns, "err", err)
		}
	}, nil
}

// spend adds a completed turn's model cost and API calls to the namespace's
// day.
func (s *Server) spend(ns string, reply *agent.Reply) {
	if reply == nil || reply.Repeated {
		return
	}
	s.charge(ns, reply.Cost.Cost, len(reply.Calls))
}

// spendFailed charges what a failed turn spent (an *agent.TurnError): a turn
// that timed out after calling APIs or the models costs as much as one that
// completed, so failing turns cannot get round the daily budget.
func (s *Server) spendFailed(ns string, err error) {
	var te *agent.TurnError
	if errors.As(err, &te) {
		s.charge(ns, te.Cost.Cost, len(te.Calls))
	}
}

// charge adds cost (USD) and calls to the namespace's spending of today.
func (s *Server) charge(ns string, cost float64, calls int) {
	l := s.Limits
	if l.DailyCost <= 0 && l.DailyAPICalls <= 0 || cost == 0 && calls == 0 {
		return
	}
	today, _ := day(time.Now())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := s.Store.AddSpend(ctx, ns, today, cost, int64(calls)); err != nil {
		s.errLog.log("spend", "spending not recorded", "namespace", ns, "err", err)
	}
}
