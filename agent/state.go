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
	// StatusOutcomeUnknown: a call with side effects was sent but whether
	// it took effect is unknown (a crash, a timeout, a reset connection, a
	// server error after sending), and the API does not honour idempotency
	// keys. The reply's Unknown names the call; the user answers "check"
	// (when a status-check API is declared), "retry" or "skip".
	StatusOutcomeUnknown Status = "outcome_unknown"
	// StatusClarify: the message could not be understood; the reply asks
	// the user to rephrase.
	StatusClarify Status = "clarify"
	// StatusFailed: the request cannot be carried out; the reply says why.
	StatusFailed Status = "failed"

	// statusRunning is stored while a turn is under way: a session loaded
	// in this status was interrupted (its replica crashed or timed out).
	statusRunning Status = "running"
)

// Question asks the user for one missing value.
type Question struct {
	// ID identifies the question within the session ("q1").
	ID string `json:"id"`
	// Slot is the semantic type of the value asked for.
	Slot string `json:"slot"`
	// Text is the question as put to the user.
	Text string `json:"text"`
	// DataType is the JSON type expected ("string", "number", "integer",
	// "boolean", "array", "object").
	DataType string `json:"type"`
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

// Call states.
const (
	// CallCalling: the intent is saved and the call is being made; found
	// on a later turn, the call was interrupted and its outcome is unknown.
	CallCalling = "calling"
	// CallDone: the call returned its outputs.
	CallDone = "done"
	// CallFailed: the call failed without taking effect (it was never
	// sent, or the API refused it), or it has no side effects.
	CallFailed = "failed"
	// CallUnknown: a call with side effects was sent and its outcome is
	// unknown; the user was asked what to do.
	CallUnknown = "unknown"
	// CallSkipped: the user chose to go on without a call whose outcome
	// was unknown.
	CallSkipped = "skipped"
)

// CallRecord is one API call made for the session.
type CallRecord struct {
	Step     string         `json:"step"`
	API      string         `json:"api"`
	Instance string         `json:"instance,omitempty"`
	Args     map[string]any `json:"args"`
	Outputs  map[string]any `json:"outputs,omitempty"`
	Error    string         `json:"error,omitempty"`
	// State is where the call stands: calling, done, failed, unknown or
	// skipped (see the Call constants).
	State string `json:"state,omitempty"`
	// SideEffect is set for calls that change the world (write or
	// destructive APIs): they are made at most once per confirmed step.
	SideEffect bool `json:"side_effect,omitempty"`
	// Request numbers the session's request the call belongs to.
	Request  int    `json:"request,omitempty"`
	Attempts int    `json:"attempts"`
	Key      string `json:"idempotency_key"`
	// ArgsHash is a hash of the arguments, kept with the intent.
	ArgsHash   string    `json:"args_hash,omitempty"`
	At         time.Time `json:"at"`
	DurationMS float64   `json:"duration_ms"`
}

// settled reports whether the call's outcome is known.
func (c *CallRecord) settled() bool { return c.State != CallCalling && c.State != CallUnknown }

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
	// EventIntent records a call with side effects about to be made.
	EventIntent = "intent"
	// EventOutcome records how a call whose outcome was unknown was
	// settled (checked, retried, skipped, or learnt late).
	EventOutcome = "outcome"
)

// RecentEvents is how many of the latest history events a session's state
// keeps; the whole history is in the store, paged by Agent.History.
const RecentEvents = 20

// maxReplies is how many replies to identified messages a state keeps, so
// that a repeated message gets the same reply.
const maxReplies = 4

// State is a session's conversation state, stored as JSON in the registry.
type State struct {
	// Request is the plan request so far: goals, known values (answers
	// included), and the APIs that failed.
	Request planner.Request `json:"request"`
	// Requests numbers the requests of the session; the calls of each
	// request have keys of their own.
	Requests int `json:"requests,omitempty"`
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
	// Unknown is the idempotency key of the call whose outcome is unknown
	// and waits for the user's choice.
	Unknown string `json:"unknown,omitempty"`
	// Confirmed holds the idempotency keys of calls the user approved, and
	// "plan:HASH" for each call of a plan approved as a whole.
	Confirmed map[string]bool `json:"confirmed,omitempty"`
	// Calls records the calls of the current request (and of earlier ones
	// until a new request starts; the history keeps them all).
	Calls []CallRecord `json:"calls,omitempty"`
	// History holds the latest RecentEvents events of the conversation;
	// HistoryTotal counts them all (the store keeps the full log).
	History      []Event `json:"history,omitempty"`
	HistoryTotal int     `json:"history_total,omitempty"`
	// Status is the status of the last turn ("running" while a turn is
	// under way).
	Status Status `json:"status,omitempty"`
	// Running is the message of the turn under way.
	Running *RunningTurn `json:"running,omitempty"`
	// Replies are the replies to the latest identified messages.
	Replies []SeenReply `json:"replies,omitempty"`
	// Elicited holds the user's answers to APIs' requests for input, by
	// request key, so that the call made again gets them; Eliciting is the
	// request whose questions are pending.
	Elicited  map[string]ElicitResult `json:"elicited,omitempty"`
	Eliciting *Elicitation            `json:"eliciting,omitempty"`
	// Turns counts the turns taken; questions are numbered across them.
	Turns     int `json:"turns"`
	Questions int `json:"questions"`
	// Writer identifies the save that wrote this state, so that a writer
	// whose save timed out can tell whether it landed.
	Writer string `json:"writer,omitempty"`
}

// RunningTurn is the message a turn under way is handling.
type RunningTurn struct {
	ID   string `json:"id,omitempty"`
	Text string `json:"text"`
}

// SeenReply is the reply given to an identified message.
type SeenReply struct {
	ID    string          `json:"id"`
	Reply json.RawMessage `json:"reply"`
}

// stateJSON is State with its request kept raw, so that a request
// without goals (a first message not understood) still loads.
type stateJSON struct {
	*stateAlias
	Request json.RawMessage `json:"request"`
}

type stateAlias State

// UnmarshalJSON decodes a stored state. An empty or null document, or a
// request without goals, decodes to an idle state, never an error.
func (s *State) UnmarshalJSON(data []byte) error {
	*s = State{}
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	raw := stateJSON{stateAlias: (*stateAlias)(s)}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	req, err := decodeRequest(raw.Request)
	if err != nil {
		return err
	}
	s.Request = req
	return nil
}

// decodeRequest reads a stored request. Unlike planner.ParseRequest it
// accepts one without goals, which an idle session holds.
func decodeRequest(raw json.RawMessage) (planner.Request, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return planner.Request{}, nil
	}
	req, err := planner.ParseRequest(raw)
	if err == nil {
		return req, nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return req, err
	}
	var goals []string
	_ = json.Unmarshal(fields["goals"], &goals)
	if len(goals) > 0 {
		return req, err // a request with goals that does not parse
	}
	// No goals: parse the rest with a stand-in goal, then drop it.
	fields["goals"] = json.RawMessage(`["-"]`)
	withGoal, merr := json.Marshal(fields)
	if merr != nil {
		return planner.Request{}, merr
	}
	req, err = planner.ParseRequest(withGoal)
	req.Goals = nil
	return req, err
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

// call returns the record of the call with idempotency key key, or nil.
func (s *State) call(key string) *CallRecord {
	for i := len(s.Calls) - 1; i >= 0; i-- {
		if s.Calls[i].Key == key {
			return &s.Calls[i]
		}
	}
	return nil
}

// confirm records the user's approval of key.
func (s *State) confirm(key string) {
	if s.Confirmed == nil {
		s.Confirmed = map[string]bool{}
	}
	s.Confirmed[key] = true
}

// seen returns the reply given to message id, if it is kept.
func (s *State) seen(id string) (json.RawMessage, bool) {
	if id == "" {
		return nil, false
	}
	for _, r := range s.Replies {
		if r.ID == id {
			return r.Reply, true
		}
	}
	return nil, false
}

// remember keeps the reply to message id, dropping the oldest beyond
// maxReplies.
func (s *State) remember(id string, reply json.RawMessage) {
	if id == "" {
		return
	}
	s.Replies = append(s.Replies, SeenReply{ID: id, Reply: reply})
	if n := len(s.Replies) - maxReplies; n > 0 {
		s.Replies = append([]SeenReply(nil), s.Replies[n:]...)
	}
}
