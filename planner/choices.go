package planner

import (
	"fmt"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Choices, not silent picks.
//
// An identifying input of a write or destructive step (see identifying)
// comes from the user, the request, or a choice the user made — never from
// "the first result". When the plan would bind one to an output of a call
// that may return several records (see severalRecords), it asks the user
// to choose instead: a get_info step whose Options name that call's step
// (planned, or done already) and field, and the input is bound to the
// answer. Where nothing says that a call may return several records, the
// value is bound as it is, and the confirmation every write or destructive
// step waits for shows it.
//
// A goal's identifying input taken from a call the registry declares a
// list (registry.API.List) is a choice too. Reads that only serve other
// reads keep their dataflow, and so do read goals fed by calls that only
// look like searches: the user asked for what the search leads to.

// identifyingWords end the names of inputs that identify a record, an
// account or a party: ids and keys, user names, and where a message goes.
var identifyingWords = map[string]bool{
	"id": true, "ids": true, "sid": true, "uid": true, "uuid": true, "guid": true, "key": true, "slug": true, "ref": true,
	"username": true, "handle": true, "login": true, "email": true, "phone": true, "recipient": true, "recipients": true,
}

// identifyingPairs are the last two words of names that identify a record
// or a party ("phone_number", "order number", "email address").
var identifyingPairs = map[string]bool{
	"phone number": true, "mobile number": true, "account number": true, "order number": true, "booking number": true,
	"reference number": true, "confirmation number": true, "tracking number": true, "card number": true,
	"flight number": true, "room number": true, "ticket number": true, "invoice number": true, "email address": true,
	"user name": true, "account name": true,
}

// identifying reports whether input in of a identifies the record a call
// acts on (or the party it reaches): an input the user cannot be asked
// for, a path parameter, or a name (or slot) that ends in an identifying
// word — id, key, ref, username, email, phone, recipient... — or pair of
// words — phone number, order number, email address...; or that is
// "to".
func identifying(a *registry.API, in registry.Input) bool {
	if in.NotAskable {
		return true
	}
	if b := a.Binding; b != nil && b.In[in.Name] == "path" {
		return true
	}
	for _, n := range []string{in.Name, in.SlotType()} {
		w := registry.NameWords(n)
		switch {
		case len(w) == 0:
		case identifyingWords[w[len(w)-1]], len(w) == 1 && w[0] == "to":
			return true
		case len(w) >= 2 && identifyingPairs[w[len(w)-2]+" "+w[len(w)-1]]:
			return true
		}
	}
	return false
}

// listingWords, in an API's name or description, say that it searches or
// lists: its result may hold several records.
var listingWords = map[string]bool{
	"search": true, "searches": true, "list": true, "lists": true, "find": true, "query": true, "browse": true,
	"filter": true, "lookup": true, "discover": true, "recommend": true, "suggest": true, "all": true, "results": true,
}

// singularPlurals are words that end like plurals but name one record (or
// a mass): "GetUserDetails" returns one user.
var singularPlurals = map[string]bool{
	"news": true, "details": true, "settings": true, "series": true, "species": true, "stats": true,
	"statistics": true, "analytics": true, "metrics": true, "lyrics": true, "credentials": true,
	"preferences": true, "status": true, "address": true, "access": true, "business": true, "class": true,
}

// prepositions end the object of an API's name ("get_user_by_email").
var prepositions = map[string]bool{"by": true, "for": true, "of": true, "in": true, "on": true, "with": true, "from": true, "to": true, "at": true, "near": true}

// severalRecords reports whether a call of a may return several records,
// so that its output field cannot stand for the one record a write acts
// on: the registry says it returns a list (API.List: a native "list:
// true", an OpenAPI array or list-object response); the field is an
// array; or its name or description says that it searches or lists — a
// word such as search, list, find, query, browse, filter, lookup,
// recommend, all or results — or its name names a plural ("GetPets",
// "get_user_followers", "Cars.GetAvailableCars"; not "GetUserDetails",
// and not "Orders.Place": the service's name is not the operation's).
func severalRecords(a *registry.API, field string) bool {
	if a.List {
		return true
	}
	for _, o := range a.Outputs {
		if o.Name == field && strings.EqualFold(o.DataType, "array") {
			return true
		}
	}
	name, _ := splitInstance(a.Name)
	words := registry.NameWords(name)
	for _, w := range append(words, registry.NameWords(a.Description)...) {
		if listingWords[w] {
			return true
		}
	}
	// The operation's name: after the service ("Flights.Search"), up to a
	// preposition ("get_user_by_email").
	if i := strings.IndexByte(name, '.'); i > 0 {
		words = registry.NameWords(name[i+1:])
	}
	for _, w := range words {
		if prepositions[w] {
			break
		}
		if plural(w) {
			return true
		}
	}
	return false
}

// plural reports whether a word reads as a plural noun.
func plural(w string) bool {
	if len(w) <= 3 || singularPlurals[w] || !strings.HasSuffix(w, "s") {
		return false
	}
	return !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is")
}

// addChoices inserts a choice before every step whose identifying input
// would take a value that may be one of several records (see above);
// apiOf gives each step's API index (-1 for get_info). Choice steps get
// ids "choice-N", renumbered by orderSteps.
//
// A write or destructive step takes nothing else from a call the
// registry declares a list (API.List) silently either. An optional input
// is left out — the API's own default, never the first record's value,
// nor a choice the call does not need. A required input that identifies
// nothing is a value, not a record to pick (a new cluster's size, region
// and engine, which a listing of the existing clusters also shows): it is
// asked of the user. Calls that no longer feed anything are then dropped
// (see dropUnused).
//
// A read that leads to a write (feeds it, or feeds a choice it needs,
// directly or through other reads) takes the records it identifies from a
// declared list the same way: the assets offered for deletion are those
// of the release the user chose, not of the first release listed. (Where
// only its name says that a call searches, a read keeps its dataflow: the
// airport a city search finds feeds the flight search.)
func (s *situation) addChoices(steps []Step, apiOf []int) []Step {
	pos := make(map[string]int, len(steps))
	for i, st := range steps {
		pos[st.ID] = i
	}
	n := len(steps)
	dropped := false
	leads := s.leadToWrites(steps, apiOf, pos)
	for i := 0; i < n; i++ {
		ai := apiOf[i]
		if ai < 0 {
			continue
		}
		side := s.sideEffect(ai)
		if !side && !s.isGoal[ai] && !leads[i] {
			continue
		}
		a := s.api(ai)
		for _, in := range a.Inputs {
			arg, ok := steps[i].Args[in.Name]
			if !ok || !arg.IsRef() {
				continue
			}
			ident := identifying(a, in)
			if !ident && !side {
				continue
			}
			from, ok := s.producer(arg.From, steps, pos, apiOf)
			if !ok {
				continue
			}
			p := s.api(from)
			if required := in.Required && in.Default == nil; side && p.List && (!ident || !required) {
				delete(steps[i].Args, in.Name)
				dropped = true
				if required {
					steps[i].Args[in.Name] = askFor(&steps, in)
				}
				continue
			}
			if !ident || (!p.List && !(side && severalRecords(p, arg.Field))) {
				continue
			}
			if id, slot, ok := chosen(steps[n:], arg); ok {
				steps[i].Args[in.Name] = Arg{From: id, Field: slot}
				continue
			}
			list, _ := splitInstance(p.Name)
			id := fmt.Sprintf("choice-%d", len(steps)-n+1)
			steps = append(steps, Step{
				ID: id, API: GetInfo, Slot: in.SlotType(),
				Question: choiceQuestion(in, list),
				Options:  &Choice{From: arg.From, Field: arg.Field},
			})
			steps[i].Args[in.Name] = Arg{From: id, Field: in.SlotType()}
		}
	}
	// Every other call that took the same field of the same call takes
	// the user's choice too: a Twilio queue's members are listed for the
	// queue the user chose, not for the first queue.
	for _, c := range steps[n:] {
		if c.Options == nil {
			continue
		}
		for j := range steps[:n] {
			for name, a := range steps[j].Args {
				if a.IsRef() && a.From == c.Options.From && a.Field == c.Options.Field {
					steps[j].Args[name] = Arg{From: c.ID, Field: c.Slot}
				}
			}
		}
	}
	if dropped {
		steps = s.dropUnused(steps, apiOf)
	}
	return steps
}

// leadToWrites marks the read steps from which a write or destructive
// step takes a value, directly or through other steps.
func (s *situation) leadToWrites(steps []Step, apiOf []int, pos map[string]int) []bool {
	leads := make([]bool, len(steps))
	var mark func(i int)
	mark = func(i int) {
		for _, a := range steps[i].Args {
			if !a.IsRef() {
				continue
			}
			if j, ok := pos[a.From]; ok && !leads[j] {
				leads[j] = true
				mark(j)
			}
		}
	}
	for i := range steps {
		if i < len(apiOf) && apiOf[i] >= 0 && s.sideEffect(apiOf[i]) {
			mark(i)
		}
	}
	for i := range leads {
		leads[i] = leads[i] && i < len(apiOf) && apiOf[i] >= 0 && !s.sideEffect(apiOf[i])
	}
	return leads
}

// chosen returns the choice among choices that offers the value arg
// refers to (the same field of the same call), with its slot.
func chosen(choices []Step, arg Arg) (id, slot string, ok bool) {
	for _, c := range choices {
		if o := c.Options; o != nil && o.From == arg.From && o.Field == arg.Field {
			return c.ID, c.Slot, true
		}
	}
	return "", "", false
}

// askFor returns the answer to the question for in's slot: the plan's
// question for that slot if it has one, else a question added to steps.
func askFor(steps *[]Step, in registry.Input) Arg {
	slot := in.SlotType()
	for _, st := range *steps {
		if st.API == GetInfo && st.Options == nil && st.Slot == slot {
			return Arg{From: st.ID, Field: slot}
		}
	}
	q := questionText(slot, in.Description, nil, in.Allowed)
	id := fmt.Sprintf("ask-%d", len(*steps)+1)
	*steps = append(*steps, Step{ID: id, API: GetInfo, Slot: slot, Question: q})
	return Arg{From: id, Field: slot}
}

// dropUnused removes the steps, other than goals, that no step refers to
// any more (a listing whose values a write left out), and then the steps
// that only those fed. apiOf gives the API of each of the first
// len(apiOf) steps (-1 for get_info); the others are choices.
func (s *situation) dropUnused(steps []Step, apiOf []int) []Step {
	keep := make([]bool, len(steps))
	for i := range steps {
		keep[i] = true
	}
	for changed := true; changed; {
		changed = false
		used := map[string]bool{}
		for i, st := range steps {
			if !keep[i] {
				continue
			}
			for _, a := range st.Args {
				if a.IsRef() {
					used[a.From] = true
				}
			}
			if st.Options != nil {
				used[st.Options.From] = true
			}
		}
		for i, st := range steps {
			goal := i < len(apiOf) && apiOf[i] >= 0 && s.isGoal[apiOf[i]]
			if keep[i] && !goal && !used[st.ID] {
				keep[i], changed = false, true
			}
		}
	}
	out := steps[:0:0]
	for i, st := range steps {
		if keep[i] {
			out = append(out, st)
		}
	}
	return out
}

// producer returns the API of the step id: a step of the plan, or a step
// the request says is done.
func (s *situation) producer(id string, steps []Step, pos map[string]int, apiOf []int) (int, bool) {
	if i, ok := pos[id]; ok {
		return apiOf[i], apiOf[i] >= 0
	}
	for _, d := range s.req.Done {
		if d.ID == id && d.API != GetInfo {
			return s.lookup(d.name())
		}
	}
	return 0, false
}

// choiceQuestion asks the user to pick the record an input names among the
// results of a call.
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
