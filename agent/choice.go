package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/toolsmith-dev/toolsmith/planner"
)

// Choices: a get_info step with Options asks the user to pick one of the
// values an earlier step returned (which pet to delete, say), instead of
// taking the first. The read runs first; the question then offers its
// actual values, and the answer must be one of them — given as the value,
// its label, or a pick such as "the second one".

// Option is one value a choice offers.
type Option struct {
	// Value is what the answer fills in: the earlier step's output value.
	Value any `json:"value"`
	// Label describes the value for people (the other fields of the item
	// it came from: "name: Rex, tag: dog"); empty when the value says it
	// all.
	Label string `json:"label,omitempty"`
}

// maxOptions bounds the options one choice offers.
const maxOptions = 100

// valueQuestions returns the get_info steps of plan that ask for a value
// (not a choice): they are asked at once, before any call.
func valueQuestions(plan *planner.Plan) []planner.Step {
	var qs []planner.Step
	for _, s := range plan.Questions() {
		if s.Options == nil {
			qs = append(qs, s)
		}
	}
	return qs
}

// askChoice ends the turn asking the user to choose among the values the
// step's Options name, which the earlier step has returned.
func (t *turn) askChoice(ctx context.Context, step planner.Step) error {
	from := step.Options.From
	outs, ok := t.st.outputsOf(from)
	if !ok {
		return t.finish(ctx, StatusFailed, fmt.Sprintf("I cannot ask which %s: step %s has not run.", step.Slot, from))
	}
	opts := optionsFrom(outs, step.Options.Field)
	api := from
	if i := stepIndex(t.st.Plan, from); i >= 0 {
		api = t.st.Plan.Steps[i].API
	}
	if len(opts) == 0 {
		return t.finish(ctx, StatusFailed, fmt.Sprintf("There is nothing to choose from: %s returned no %s, so nothing more was called.", api, step.Options.Field))
	}
	id := ""
	for _, q := range t.st.Pending {
		if q.Slot == step.Slot {
			id = q.ID
		}
	}
	if id == "" {
		t.st.Questions++
		id = fmt.Sprintf("q%d", t.st.Questions)
	}
	values := make([]any, len(opts))
	for i, o := range opts {
		values[i] = o.Value
	}
	typ := t.a.cat.slots[step.Slot].Type
	if typ == "" {
		typ = valuesType(values)
	}
	text := step.Question
	if text == "" {
		text = "Which " + step.Slot + "?"
	}
	q := Question{ID: id, Slot: step.Slot, Text: text, DataType: typ, Allowed: values, Options: opts}
	if phrased, err := t.phrase(ctx, []Question{q}); err == nil {
		q.Text = phrased[q.Slot]
	} else {
		t.a.log.Warn("choice not phrased by the model; using the planner's question", "err", err)
		t.reply.Degraded = true
	}
	t.st.Pending = []Question{q}
	t.reply.Questions = t.st.Pending
	t.record(ctx, EventQuestions, t.st.Pending)
	return t.finish(ctx, StatusNeedsInfo, questionsText(t.st.Pending))
}

// onlyOption returns the one value a choice offers when every call that
// takes the answer waits for the user's yes: the confirmation shows the
// value, so a choice of one is that confirmation, and the choice is not
// asked. The value is not kept as a known value: when an earlier answer
// changes, the read runs again and offers what it then finds.
func (t *turn) onlyOption(step planner.Step, plan *planner.Plan) (any, bool) {
	outs, ok := t.st.outputsOf(step.Options.From)
	if !ok {
		return nil, false
	}
	opts := optionsFrom(outs, step.Options.Field)
	if len(opts) != 1 {
		return nil, false
	}
	takers := 0
	for _, s := range plan.Steps {
		for _, a := range s.Args {
			if a.IsRef() && a.From == step.ID {
				if !s.Confirm {
					return nil, false
				}
				takers++
			}
		}
	}
	return opts[0].Value, takers > 0
}

// onlyChoice returns the value of the plan's choice step id when it has one
// option to take (see onlyOption).
func (t *turn) onlyChoice(id string) (any, bool) {
	i := stepIndex(t.st.Plan, id)
	if i < 0 {
		return nil, false
	}
	step := t.st.Plan.Steps[i]
	if step.API != planner.GetInfo || step.Options == nil {
		return nil, false
	}
	return t.onlyOption(step, t.st.Plan)
}

// valuesType is the JSON type of a choice's values when the catalogue
// does not give its slot's: integer, number or boolean when all are, else
// string.
func valuesType(values []any) string {
	typ := ""
	for _, v := range values {
		t := "string"
		switch x := v.(type) {
		case float64:
			t = "number"
			if x == float64(int64(x)) {
				t = "integer"
			}
		case bool:
			t = "boolean"
		}
		switch {
		case typ == "" || typ == t:
			typ = t
		case typ == "integer" && t == "number" || typ == "number" && t == "integer":
			typ = "number"
		default:
			return "string"
		}
	}
	if typ == "" {
		return "string"
	}
	return typ
}

func stepIndex(p *planner.Plan, id string) int {
	if p == nil {
		return -1
	}
	for i, s := range p.Steps {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// optionsFrom collects the values of field in a step's outputs: the field
// itself (a value or a list of them), else the field of each item of a
// list of objects among the outputs (an HTTP API returning a JSON array
// gives output "result"; many wrap their list in "data" or "items").
// Duplicates are dropped; at most maxOptions are kept.
func optionsFrom(outs map[string]any, field string) []Option {
	var opts []Option
	seen := map[string]bool{}
	add := func(v any, label string) {
		if v == nil || len(opts) >= maxOptions {
			return
		}
		k := canonical(v)
		if !seen[k] {
			seen[k] = true
			opts = append(opts, Option{Value: v, Label: label})
		}
	}
	fromList := func(list []any) {
		for _, e := range list {
			if obj, ok := e.(map[string]any); ok {
				if v, ok := obj[field]; ok {
					add(v, itemLabel(obj, field))
				}
				continue
			}
			add(e, "")
		}
	}
	if v, ok := outs[field]; ok {
		if list, ok := v.([]any); ok {
			fromList(list)
		} else {
			add(v, "")
		}
		return opts
	}
	keys := make([]string, 0, len(outs))
	for k := range outs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		list, ok := outs[k].([]any)
		if !ok || !hasField(list, field) {
			continue
		}
		fromList(list)
		return opts
	}
	return opts
}

func hasField(list []any, field string) bool {
	for _, e := range list {
		if obj, ok := e.(map[string]any); ok {
			if _, ok := obj[field]; ok {
				return true
			}
		}
	}
	return false
}

// labelFields are the fields that best describe an item, in order.
var labelFields = []string{"name", "title", "display_name", "label", "email", "description", "status", "type", "tag"}

// itemLabel describes an item by up to three of its short scalar fields
// other than the one chosen: the usual descriptive ones first.
func itemLabel(obj map[string]any, field string) string {
	var parts []string
	used := map[string]bool{field: true}
	take := func(k string) {
		if used[k] || len(parts) >= 3 {
			return
		}
		v, ok := obj[k]
		if !ok {
			return
		}
		switch v.(type) {
		case string, float64, bool, json.Number:
		default:
			return
		}
		s := scalarText(v)
		if s == "" || len(s) > 60 {
			return
		}
		used[k] = true
		parts = append(parts, k+": "+s)
	}
	for _, k := range labelFields {
		take(k)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		take(k)
	}
	return strings.Join(parts, ", ")
}

// canonical is a value's JSON text, for comparing values of any type.
func canonical(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(raw)
}

// sameValue reports whether an answer denotes the option value v: equal
// JSON, or equal text ("2" for 2, "Rex" for "rex").
func sameValue(answer, v any) bool {
	if canonical(answer) == canonical(v) {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(scalarText(answer)), strings.TrimSpace(scalarText(v)))
}

// ordinals are the words for a position in a list.
var ordinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}

var (
	pickWords  = regexp.MustCompile(`[\p{L}\p{N}_@.+-]+`)
	numberPick = regexp.MustCompile(`^(?:#|no\.?\s*|number\s+|option\s+)?(\d+)(?:st|nd|rd|th)?$`)
	nthWord    = regexp.MustCompile(`^(\d+)(?:st|nd|rd|th)$`)
)

// pick reads a choice from a message without a model: a value or label as
// the whole message, a position ("2", "#2", "the second one", "last"), or
// the one option whose value or label the message names. ok is false when
// the message is none of these or fits several options.
func pick(q Question, message string) (any, bool) {
	m := strings.ToLower(strings.Trim(strings.TrimSpace(message), ".!?\"'"))
	if m == "" {
		return nil, false
	}
	for _, o := range q.Options {
		if sameValue(m, o.Value) || o.Label != "" && strings.EqualFold(m, o.Label) {
			return o.Value, true
		}
	}
	if sub := numberPick.FindStringSubmatch(m); sub != nil {
		if n, err := strconv.Atoi(sub[1]); err == nil && n >= 1 && n <= len(q.Options) {
			return q.Options[n-1].Value, true
		}
		return nil, false
	}
	// A position in words: "the second one", "the 2nd", "the last".
	var positions []int
	for _, w := range pickWords.FindAllString(m, -1) {
		switch {
		case w == "last":
			positions = append(positions, len(q.Options))
		case ordinals[w] > 0:
			positions = append(positions, ordinals[w])
		case nthWord.MatchString(w):
			n, _ := strconv.Atoi(nthWord.FindStringSubmatch(w)[1])
			positions = append(positions, n)
		}
	}
	if len(positions) == 1 && positions[0] >= 1 && positions[0] <= len(q.Options) {
		return q.Options[positions[0]-1].Value, true
	}
	// The one option the message names by value or by a label field.
	var found []any
	for _, o := range q.Options {
		if mentions(m, scalarText(o.Value)) || labelNamed(m, o.Label) {
			found = append(found, o.Value)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return nil, false
}

// mentions reports whether message contains s as a whole word or phrase.
func mentions(message, s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 2 {
		return false
	}
	for i := 0; ; {
		j := strings.Index(message[i:], s)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(s)
		if (start == 0 || !isWordByte(message[start-1])) && (end == len(message) || !isWordByte(message[end])) {
			return true
		}
		i = start + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}

// labelNamed reports whether message names one of the label's values
// ("name: Rex" named by "delete Rex").
func labelNamed(message, label string) bool {
	for _, part := range strings.Split(label, ", ") {
		if _, v, ok := strings.Cut(part, ": "); ok && len(v) >= 3 && mentions(message, v) {
			return true
		}
	}
	return false
}

// checkChoices rejects an answer to a pending choice that is not one of
// its options, and gives the option's own value (42, not "42") otherwise.
func (t *turn) checkChoices(answers map[string]any) error {
	for _, q := range t.st.Pending {
		v, ok := answers[q.Slot]
		if !ok || len(q.Options) == 0 {
			continue
		}
		matched := false
		for _, o := range q.Options {
			if sameValue(v, o.Value) {
				answers[q.Slot], matched = o.Value, true
				break
			}
		}
		if !matched {
			return fmt.Errorf("%v is not one of the values offered for %s (%s)", v, q.Slot, optionValues(q.Options))
		}
	}
	return nil
}

// notChoices returns the answers that are not to pending choices (which
// checkChoices has checked against their options).
func (s *State) notChoices(answers map[string]any) map[string]any {
	out := make(map[string]any, len(answers))
	for k, v := range answers {
		out[k] = v
	}
	for _, q := range s.Pending {
		if len(q.Options) > 0 {
			delete(out, q.Slot)
		}
	}
	return out
}

// optionValues lists the options' values for a message.
func optionValues(opts []Option) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = scalarText(o.Value)
	}
	return strings.Join(parts, ", ")
}

// choicesFirst takes the answers to pending choices that the message
// gives without a model. It reports whether every pending question was
// answered that way.
func (t *turn) choicesFirst(message string) (map[string]any, bool) {
	answers := map[string]any{}
	for _, q := range t.st.Pending {
		if len(q.Options) == 0 {
			return nil, false
		}
		v, ok := pick(q, message)
		if !ok {
			return nil, false
		}
		answers[q.Slot] = v
	}
	return answers, len(answers) > 0
}
