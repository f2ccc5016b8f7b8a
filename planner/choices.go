package planner

import (
	"fmt"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Choices, not silent picks.
//
// When an identifying input of a write or destructive step, or of a goal
// (an id: a path parameter, an input the user cannot be asked for, a name
// whose last word is id, key or the like) would be bound to an output of a
// read that returns a list (registry.API.List), the plan does not take
// "the first result": it asks the user to choose, with a get_info step
// whose Options name the list step and field, and binds the input to the
// answer. Reads that only serve other reads keep their dataflow.

// identifyingWords end the names of inputs that identify a record.
var identifyingWords = map[string]bool{"id": true, "ids": true, "sid": true, "uid": true, "uuid": true, "guid": true, "key": true, "slug": true, "ref": true}

// identifying reports whether input in of a identifies the record a call
// acts on.
func identifying(a *registry.API, in registry.Input) bool {
	if in.NotAskable {
		return true
	}
	if b := a.Binding; b != nil && b.In[in.Name] == "path" {
		return true
	}
	for _, n := range []string{in.Name, in.SlotType()} {
		if w := registry.NameWords(n); len(w) > 0 && identifyingWords[w[len(w)-1]] {
			return true
		}
	}
	return false
}

// addChoices inserts a choice before every write, destructive or goal step
// whose identifying inputs come from a list; apiOf gives each step's API
// index (-1 for get_info). Choice steps get ids "choice-N", renumbered by
// orderSteps.
func (s *situation) addChoices(steps []Step, apiOf []int) []Step {
	pos := make(map[string]int, len(steps))
	for i, st := range steps {
		pos[st.ID] = i
	}
	n := len(steps)
	for i := 0; i < n; i++ {
		ai := apiOf[i]
		if ai < 0 || (!s.sideEffect(ai) && !s.isGoal[ai]) {
			continue
		}
		a := s.api(ai)
		for _, in := range a.Inputs {
			arg, ok := steps[i].Args[in.Name]
			if !ok || !arg.IsRef() || !identifying(a, in) {
				continue
			}
			from, ok := pos[arg.From]
			if !ok || apiOf[from] < 0 || !s.api(apiOf[from]).List {
				continue
			}
			id := fmt.Sprintf("choice-%d", len(steps)-n+1)
			steps = append(steps, Step{
				ID: id, API: GetInfo, Slot: in.SlotType(),
				Question: choiceQuestion(in, steps[from].API),
				Options:  &Choice{From: arg.From, Field: arg.Field},
			})
			steps[i].Args[in.Name] = Arg{From: id, Field: in.SlotType()}
		}
	}
	return steps
}

// choiceQuestion asks the user to pick the record an input names among the
// results of a list call.
func choiceQuestion(in registry.Input, list string) string {
	q := "Which " + slotWords(in.SlotType()) + "? Choose one of the results of " + list + "."
	if d := strings.TrimSpace(in.Description); d != "" {
		q += " (" + strings.TrimSuffix(d, ".") + ")"
	}
	return q
}

// slotWords reads a slot for people: "Pet.id" -> "pet id", "pickup_time"
// -> "pickup time", a resource "/accounts/{a}/pets/{id}" -> "pets id".
func slotWords(slot string) string {
	if strings.HasPrefix(slot, "/") {
		parts := strings.Split(slot, "/")
		slot = strings.Join(parts[max(0, len(parts)-2):], " ")
	}
	return strings.Join(registry.NameWords(slot), " ")
}
