package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// reply is what the driver reads of an agent reply.
type reply struct {
	Status   string   `json:"status"`
	Text     string   `json:"text"`
	Choices  []string `json:"choices"`
	Repeated bool     `json:"repeated"`
	Calls    []struct {
		API   string `json:"api"`
		State string `json:"state"`
		Key   string `json:"idempotency_key"`
	} `json:"calls"`
}

// booked reports whether the reply says a booking call was made in its turn.
func (r reply) booked(api string) bool {
	for _, c := range r.Calls {
		if c.API == api && c.State == "done" {
			return true
		}
	}
	return false
}

// conversation is one session the driver carries to its end.
type conversation struct {
	id, api, words string
	final          string // answered or failed once finished
	turns, retries int
	unexpected     []string // statuses the conversation should not see
	outcomes       int      // outcome_unknown replies
	lastErr        string
}

// driver talks to the replicas as a careful client does: every message has
// an id, and a message that gets no reply (a dead replica, 409, 429, 5xx)
// is sent again, with its id, to the next replica.
type driver struct {
	replicas []*replica
	client   *http.Client
	run      string
	next     atomic.Int64
	codes    sync.Map // "code" -> *atomic.Int64

	mu    sync.Mutex
	convs []*conversation
	// doubles counts confirmations sent to both replicas whose two replies
	// both reported the booking as made in their turn.
	doubles int
}

func newDriver(replicas []*replica, run string) *driver {
	return &driver{replicas: replicas, run: run, client: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

func (d *driver) count(code string) {
	v, _ := d.codes.LoadOrStore(code, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// post sends one message to one replica.
func (d *driver) post(ctx context.Context, r *replica, session, text, id string) (reply, int, error) {
	body, _ := json.Marshal(map[string]string{"text": text, "id": id})
	if id == "" {
		body, _ = json.Marshal(map[string]string{"text": text})
	}
	req, err := http.NewRequestWithContext(ctx, "POST", "http://"+r.addr+"/v1/sessions/"+session+"/messages", bytes.NewReader(body))
	if err != nil {
		return reply{}, 0, err
	}
	resp, err := d.client.Do(req)
	if err != nil {
		d.count("error")
		return reply{}, 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	d.count(fmt.Sprint(resp.StatusCode))
	var rep reply
	if resp.StatusCode == 200 {
		if err := json.Unmarshal(raw, &rep); err != nil {
			return rep, resp.StatusCode, fmt.Errorf("reply: %v", err)
		}
	}
	return rep, resp.StatusCode, nil
}

// send delivers a message, trying the replicas in turn until one replies
// or ctx ends.
func (d *driver) send(ctx context.Context, c *conversation, text string) (reply, error) {
	c.turns++
	id := fmt.Sprintf("%s-m%d", c.id, c.turns)
	delay := 50 * time.Millisecond
	for i := int(d.next.Add(1)); ; i++ {
		rep, code, err := d.post(ctx, d.replicas[i%len(d.replicas)], c.id, text, id)
		if err == nil && code == 200 {
			return rep, nil
		}
		c.retries++
		if err != nil {
			c.lastErr = err.Error()
		} else {
			c.lastErr = fmt.Sprintf("HTTP %d", code)
		}
		select {
		case <-ctx.Done():
			return reply{}, fmt.Errorf("%s: no reply: %s", c.id, c.lastErr)
		case <-time.After(delay):
		}
		delay = min(2*delay, time.Second)
	}
}

// newConversation starts the next session.
func (d *driver) newConversation() *conversation {
	n := d.next.Add(1)
	k := kinds[n%int64(len(kinds))]
	c := &conversation{id: fmt.Sprintf("chaos-%s-%d", d.run, n), api: k.api, words: k.words + " in Lyon"}
	d.mu.Lock()
	d.convs = append(d.convs, c)
	d.mu.Unlock()
	return c
}

// converse carries c from its reply r to its end: yes to a confirmation,
// check (when offered) or skip for an unknown outcome.
func (d *driver) converse(ctx context.Context, c *conversation, r reply) {
	for steps := 0; steps < 10; steps++ {
		var next string
		switch r.Status {
		case "answered", "failed":
			c.final = r.Status
			return
		case "needs_confirmation":
			next = "yes"
		case "outcome_unknown":
			c.outcomes++
			next = "skip"
			if slices.Contains(r.Choices, "check") {
				next = "check"
			}
		default:
			c.unexpected = append(c.unexpected, r.Status+": "+r.Text)
			return
		}
		var err error
		if r, err = d.send(ctx, c, next); err != nil {
			return
		}
	}
	c.unexpected = append(c.unexpected, "no end after 10 turns")
}

// one runs a whole conversation.
func (d *driver) one(ctx context.Context) {
	c := d.newConversation()
	r, err := d.send(ctx, c, c.words)
	if err != nil {
		return
	}
	d.converse(ctx, c, r)
}

// load runs workers conversations at a time until stop is closed; each
// conversation runs to its end within ctx.
func (d *driver) load(ctx context.Context, workers int, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				d.one(ctx)
			}
		}()
	}
	return &wg
}

// bothReplicas brings n sessions to their confirmation, then sends the
// "yes" to every replica at once: with one message id (a client resending
// a request it got no reply to) for half of them, without ids for the
// others. It then carries each session to its end.
func (d *driver) bothReplicas(ctx context.Context, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := d.newConversation()
			r, err := d.send(ctx, c, c.words)
			if err != nil || r.Status != "needs_confirmation" {
				d.converse(ctx, c, r)
				return
			}
			c.turns++
			id := ""
			if i%2 == 0 {
				id = fmt.Sprintf("%s-m%d", c.id, c.turns)
			}
			replies := make([]reply, len(d.replicas))
			codes := make([]int, len(d.replicas))
			var both sync.WaitGroup
			for j, rep := range d.replicas {
				both.Add(1)
				go func() {
					defer both.Done()
					replies[j], codes[j], _ = d.post(ctx, rep, c.id, "yes", id)
				}()
			}
			both.Wait()
			made := 0
			var last *reply
			for j := range replies {
				if codes[j] == 200 {
					if replies[j].booked(c.api) && !replies[j].Repeated {
						made++
					}
					last = &replies[j]
				}
			}
			if made > 1 {
				d.mu.Lock()
				d.doubles++
				d.mu.Unlock()
			}
			if last == nil || last.Status == "needs_confirmation" {
				// Neither got through: go on as a plain client.
				if r, err = d.send(ctx, c, "yes"); err != nil {
					return
				}
				last = &r
			}
			d.converse(ctx, c, *last)
		}(i)
	}
	wg.Wait()
}

// conversations returns every conversation started.
func (d *driver) conversations() []*conversation {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*conversation(nil), d.convs...)
}

// statusCodes returns the HTTP status codes seen, with their counts.
func (d *driver) statusCodes() map[string]int64 {
	out := map[string]int64{}
	d.codes.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}
