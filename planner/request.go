package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Request is what the user asks for: goal APIs and the values already known.
// Its JSON form is {"query": "...", "goals": ["Api.Name"], "known": {"slot":
// value, "Api.input": value}}; the extensions "done" and "failed" carry the
// state of an execution for replanning.
type Request struct {
	// Query is the user's words, kept for questions and logs.
	Query string
	// Goals name the APIs whose results the user wants.
	Goals []string
	// Known lists the values given, in order. A key is a slot (a semantic
	// type) or "Api.input"; the same key may appear twice, which is reported
	// as a conflict rather than silently overwritten. A null value for
	// "Api.input" says the user means that API but gave no value: the API
	// is planned and the value asked for.
	Known []Known
	// Done lists steps already executed: their outputs are available to later
	// steps, and a done goal is achieved.
	Done []Done
	// Failed names APIs that failed; plans avoid them.
	Failed []string
}

// Known is one known value.
type Known struct {
	Key   string
	Value any
}

// Done is a step that has been executed.
type Done struct {
	// ID is the step's id in the plan that contained it ("s2"); later steps
	// refer to its outputs with {"from": ID, "field": output}.
	ID string `json:"id"`
	// API is the API called, or "get_info" for an answered question.
	API string `json:"api"`
	// Instance is the step's instance tag, when it had one.
	Instance string `json:"instance,omitempty"`
	// Slot is the slot a get_info step asked for.
	Slot string `json:"slot,omitempty"`
	// Outputs holds the results by output name (for get_info, by slot);
	// optional for API steps.
	Outputs map[string]any `json:"outputs,omitempty"`
}

type requestJSON struct {
	Query  string          `json:"query,omitempty"`
	Goals  []string        `json:"goals"`
	Known  json.RawMessage `json:"known,omitempty"`
	Done   []Done          `json:"done,omitempty"`
	Failed []string        `json:"failed,omitempty"`
}

// ParseRequest decodes one request in its JSON form. Numbers keep their
// literal text (json.Number). Duplicate keys in "known" are kept.
func ParseRequest(data []byte) (Request, error) {
	var r Request
	err := r.UnmarshalJSON(data)
	return r, err
}

// UnmarshalJSON decodes the JSON form of a request.
func (r *Request) UnmarshalJSON(data []byte) error {
	var raw requestJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return &InputError{Msg: "request: " + err.Error()}
	}
	if dec.More() {
		return &InputError{Msg: "request: trailing data after the JSON object"}
	}
	*r = Request{Query: raw.Query, Goals: raw.Goals, Done: raw.Done, Failed: raw.Failed}
	if len(raw.Known) > 0 && string(raw.Known) != "null" {
		known, err := decodeKnown(raw.Known)
		if err != nil {
			return err
		}
		r.Known = known
	}
	return r.validate()
}

func (r *Request) validate() error {
	if len(r.Goals) == 0 {
		return &InputError{Msg: "request: no goals"}
	}
	for _, g := range r.Goals {
		if strings.TrimSpace(g) == "" {
			return &InputError{Msg: "request: empty goal name"}
		}
	}
	for _, k := range r.Known {
		if strings.TrimSpace(k.Key) == "" {
			return &InputError{Msg: "request: empty key in known"}
		}
	}
	for _, d := range r.Done {
		if d.ID == "" || d.API == "" {
			return &InputError{Msg: "request: a done step needs an id and an api"}
		}
	}
	return nil
}

// decodeKnown reads a JSON object keeping every key in order, duplicates too.
func decodeKnown(data []byte) ([]Known, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &InputError{Msg: "request: known: " + err.Error()}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &InputError{Msg: "request: known must be an object"}
	}
	var out []Known
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &InputError{Msg: "request: known: " + err.Error()}
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, &InputError{Msg: fmt.Sprintf("request: known[%q]: %v", key, err)}
		}
		out = append(out, Known{Key: key, Value: v})
	}
	return out, nil
}

// MarshalJSON encodes the request in its JSON form (a duplicated known key
// is written twice, as it was read).
func (r Request) MarshalJSON() ([]byte, error) {
	var kb bytes.Buffer
	kb.WriteByte('{')
	for i, k := range r.Known {
		if i > 0 {
			kb.WriteByte(',')
		}
		key, _ := json.Marshal(k.Key)
		val, err := json.Marshal(k.Value)
		if err != nil {
			return nil, err
		}
		kb.Write(key)
		kb.WriteByte(':')
		kb.Write(val)
	}
	kb.WriteByte('}')
	goals := r.Goals
	if goals == nil {
		goals = []string{}
	}
	return json.Marshal(requestJSON{Query: r.Query, Goals: goals, Known: kb.Bytes(), Done: r.Done, Failed: r.Failed})
}

// InputError reports a malformed request or API specification; plans for
// such input have status invalid.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }
