package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// findings are what the suite checks: all three counts must be zero.
type findings struct {
	// Duplicated counts effects beyond the first: a booking acting twice
	// for one key, or a session whose bookings acted under two keys.
	Duplicated int
	// Unrecorded counts booking requests the mock received whose key no
	// session records (as an intent or a call).
	Unrecorded int
	// Stuck counts conversations that did not end (answered or failed).
	Stuck int
	// Double counts confirmations sent to both replicas that both
	// replied having made the booking.
	Double int

	Sessions, Effects, Unknown, Failpoints int
	Statuses                               map[string]int
	Codes                                  map[string]int64
	Details                                []string
}

func (f findings) ok() bool {
	return f.Duplicated == 0 && f.Unrecorded == 0 && f.Stuck == 0 && f.Double == 0
}

// sessionKeys reads the idempotency keys a session records — in its state
// and its whole history (intents, calls, outcomes) — from any replica.
func sessionKeys(ctx context.Context, client *http.Client, addr, id string) (map[string]bool, error) {
	keys := map[string]bool{}
	get := func(path string, v any) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+path, nil)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, raw)
		}
		return json.Unmarshal(raw, v)
	}
	var state struct {
		State struct {
			Calls []struct {
				Key string `json:"idempotency_key"`
			} `json:"calls"`
		} `json:"state"`
	}
	if err := get("/v1/sessions/"+id, &state); err != nil {
		return nil, err
	}
	for _, c := range state.State.Calls {
		keys[c.Key] = true
	}
	cursor := ""
	for {
		var page struct {
			Events []struct {
				Kind string          `json:"kind"`
				Data json.RawMessage `json:"data"`
			} `json:"events"`
			Next *string `json:"next_cursor"`
		}
		if err := get("/v1/sessions/"+id+"/history?limit=1000&cursor="+cursor, &page); err != nil {
			return nil, err
		}
		for _, e := range page.Events {
			var d struct {
				Key string `json:"idempotency_key"`
			}
			if json.Unmarshal(e.Data, &d) == nil && d.Key != "" {
				keys[d.Key] = true
			}
		}
		if page.Next == nil {
			return keys, nil
		}
		cursor = *page.Next
	}
}

// audit compares what the mock did with what the sessions record.
func audit(ctx context.Context, d *driver, m *mock, addr string) (findings, error) {
	f := findings{Statuses: map[string]int{}, Codes: d.statusCodes(), Double: d.doubles}
	effects, endpoints := m.snapshot()
	owner := map[string]string{} // key -> session
	keysOf := map[string][]string{}
	for _, c := range d.conversations() {
		f.Sessions++
		f.Unknown += c.outcomes
		switch {
		case c.final == "":
			f.Stuck++
			f.Details = append(f.Details, fmt.Sprintf("stuck: %s (%s, %d turns, %d retries, last error %q, unexpected %v)", c.id, c.api, c.turns, c.retries, c.lastErr, c.unexpected))
		case len(c.unexpected) > 0:
			f.Details = append(f.Details, fmt.Sprintf("unexpected replies in %s: %v", c.id, c.unexpected))
		}
		f.Statuses[c.final]++
		keys, err := sessionKeys(ctx, d.client, addr, c.id)
		if err != nil {
			if strings.Contains(err.Error(), ": 404 ") && c.turns == 0 {
				continue
			}
			return f, fmt.Errorf("session %s: %w", c.id, err)
		}
		for k := range keys {
			owner[k] = c.id
			keysOf[c.id] = append(keysOf[c.id], k)
		}
	}
	for k, n := range effects {
		f.Effects += n
		if n > 1 {
			f.Duplicated += n - 1
			f.Details = append(f.Details, fmt.Sprintf("duplicated: key %s acted %d times (%s, session %s)", k, n, endpoints[k], owner[k]))
		}
		if owner[k] == "" {
			f.Unrecorded++
			f.Details = append(f.Details, fmt.Sprintf("unrecorded: key %s (%s) acted %d times; no session knows it", k, endpoints[k], n))
		}
	}
	for s, keys := range keysOf {
		acted := 0
		for _, k := range keys {
			if effects[k] > 0 {
				acted++
			}
		}
		if acted > 1 {
			f.Duplicated += acted - 1
			f.Details = append(f.Details, fmt.Sprintf("duplicated: session %s booked under %d keys", s, acted))
		}
	}
	sort.Strings(f.Details)
	return f, nil
}

// write prints the findings as a table.
func (f findings) write(w io.Writer) {
	fmt.Fprintf(w, "| check | count |\n| --- | --- |\n")
	fmt.Fprintf(w, "| duplicated calls | %d |\n| calls no session knows | %d |\n| stuck sessions | %d |\n| confirmations reported made twice | %d |\n",
		f.Duplicated, f.Unrecorded, f.Stuck, f.Double)
	fmt.Fprintf(w, "\nsessions %d (%v), bookings made %d, outcome unknown asked %d, replica crashes at failpoints %d\n",
		f.Sessions, f.Statuses, f.Effects, f.Unknown, f.Failpoints)
	codes := make([]string, 0, len(f.Codes))
	for c := range f.Codes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%s: %d", c, f.Codes[c]))
	}
	fmt.Fprintf(w, "HTTP answers: %s\n", strings.Join(parts, ", "))
	for _, d := range f.Details {
		fmt.Fprintln(w, "  "+d)
	}
}
