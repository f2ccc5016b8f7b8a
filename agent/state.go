package agent

import (
	"encoding/json"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner"
)

// Status says where a conversation stands after a turn.
type Status string

// Turn statuses.
const (
	// StatusAnswered: the request was carried out and answered.
	StatusAnswered Status = "answered"
	// StatusNeedsInfo: questions are pending; the next message answers them.
	StatusNeedsInfo Status = "needs_info"
	// StatusNeedsConfirmation: a call with side effects (or, with Approve,
	// the whole plan) waits for the user's yes or no.
	StatusNeedsConfirmation Status = "needs_confirmation"
	// StatusClarify: the message could not be understood; the reply asks
	// the user to rephrase.
	StatusClarify Status = "clarify"
	// StatusFailed: the request cannot be carried out; the reply says why.
	StatusFailed Status = "failed"
)

// Question asks the user for one missing value.
type Question struct {
	// ID identifies the question within the session ("q1").
	ID string `json:"id"`
	// Slot is the semantic type of the value asked for.
	Slot string `json:"slot"`
	// Text is the question as put to the user.
	Text string `json:"text"`
	// Type is the JSON type expected ("string", "number", "integer",
	// "boolean", "array", "object").
	Type string `json:"type"`
	// Allowed lists the values accepted, when the API restricts them or
	// the question is a choice (an enum for clients that render forms).
	Allowed []any `json:"allowed,omitempty"`
	// Options, set on a choice, are the values an earlier call returned,
	// each with a label: the answer must be one of them.
	Options []Option `json:"options,omitempty"`
	// Elicit is set on the questions of an API's request for input made
	// during a call (see Elicitation): the request's key in the session.
	// Slot is then the name of the field asked for.
	Elicit string `json:"elicit,omitempty"`
	// Optional marks a field of such a request the user may leave out.
	Optional bool `json:"optional,omitempty"`
	// Default is the value the request suggests, if any.
	Default any `json:"default,omitempty"`
}

// CallRecord is one API call made for the session.
type CallRecord struct {
	Step       string         `json:"step"`
	API        string         `json:"api"`
	Args       map[string]any `json:"args"`
	Outputs    map[string]any `json:"outputs,omitempty"`
	Error      string         `json:"error,omitempty"`
	Attempts   int            `json:"attempts"`
	Key        string         `json:"idempotency_key"`
	At         time.Time      `json:"at"`
	DurationMS float64        `json:"duration_ms"`
}

// Event is one entry of a session's history: a user message, a plan, the
// questions asked, the answers given, a call, or the agent's reply.
type Event struct {
	At   time.Time       `json:"at"`
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// Event kinds.
const (
	EventMessage   = "message"
	EventPlan      = "plan"
	EventQuestions = "questions"
	EventAnswers   = "answers"
	EventConfirm   = "confirm"
	EventCall      = "call"
	EventReply     = "reply"
)

// State is a session's conversation state, stored as JSON in the registry.
type State struct {
	// Request is the plan request so far: goals, known values (answers
	// included), and the APIs that failed.
	Request planner.Request `json:"request"`
	// Done holds the steps executed, with their outputs, for replanning.
	Done []planner.Done `json:"done,omitempty"`
	// Plan is the latest plan.
	Plan *planner.Plan `json:"plan,omitempty"`
	// Pending lists the questions waiting for an answer.
	Pending []Question `json:"pending,omitempty"`
	// Confirm is the step waiting for the user's confirmation, if any;
	// ConfirmPlan is set when the whole plan waits for approval.
	Confirm     *planner.Step `json:"confirm,omitempty"`
	ConfirmPlan bool          `json:"confirm_plan,omitempty"`
	// Confirmed holds the idempotency keys of calls the user approved, and
	// "plan:HASH" for each call of a plan approved as a whole.
	Confirmed map[string]bool `json:"confirmed,omitempty"`
	// Calls records every API call, in order.
	Calls []CallRecord `json:"calls,omitempty"`
	// History is the inspectable record of the conversation.
	History []Event `json:"history,omitempty"`
	// Status is the status of the last turn.
	Status Status `json:"status,omitempty"`
	// Elicited holds the user's answers to APIs' requests for input, by
	// request key, so that the call made again gets them; Eliciting is the
	// request whose questions are pending.
	Elicited  map[string]ElicitResult `json:"elicited,omitempty"`
	Eliciting *Elicitation            `json:"eliciting,omitempty"`
	// Turns counts the turns taken; questions are numbered across them.
	Turns     int `json:"turns"`
	Questions int `json:"questions"`
}

func (s *State) record(kind string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		raw, _ = json.Marshal(err.Error())
	}
	s.History = append(s.History, Event{At: time.Now().UTC(), Kind: kind, Data: raw})
}

// active reports whether a request is under way (planned, not finished).
func (s *State) active() bool {
	return len(s.Request.Goals) > 0 && s.Status != StatusAnswered && s.Status != StatusFailed
}

// outputsOf returns the outputs of the executed step id.
func (s *State) outputsOf(id string) (map[string]any, bool) {
	for i := len(s.Done) - 1; i >= 0; i-- {
		if s.Done[i].ID == id {
			return s.Done[i].Outputs, true
		}
	}
	return nil, false
}

// setKnown sets a known value, replacing every earlier value of the key: an
// answer (or a changed answer) settles the slot.
func (s *State) setKnown(key string, value any) {
	out := s.Request.Known[:0]
	for _, k := range s.Request.Known {
		if k.Key != key {
			out = append(out, k)
		}
	}
	s.Request.Known = append(out, planner.Known{Key: key, Value: value})
}
