package planner

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// openAPIPlanner reads one of the real OpenAPI documents in
// testdata/openapi and returns a planner over its operations.
func openAPIPlanner(t testing.TB, file string) (*Planner, []registry.API) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "registry", "testdata", "openapi", file))
	if err != nil {
		t.Fatal(err)
	}
	apis, err := registry.ParseAPIs(file, data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(apis, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, apis
}

// TestOpenAPIDocumentsPlanSafely is issue 12's acceptance test: every
// operation of every real document (all 460 of Stripe's), planned as the
// only goal with nothing known, gives a plan that is ok or needs_info,
// calls no write or destructive API but the goal, waits for confirmation
// before a write or destructive goal, binds every required input, and
// asks for a choice — never takes the first result — where an identifying
// input of a write, or of a read that leads to one, comes from a list.
func TestOpenAPIDocumentsPlanSafely(t *testing.T) {
	for _, file := range []string{"stripe.yaml", "petstore.yaml", "petstore-expanded.yaml", "link-example.yaml", "uspto.yaml", "callback-example.yaml",
		"twilio-api-v2010.json", "asana.json", "digitalocean.json", "discourse.json"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			p, apis := openAPIPlanner(t, file)
			work := make(chan registry.API)
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for a := range work {
						plan, err := p.Plan(context.Background(), Request{Goals: []string{a.Name}})
						if err != nil {
							t.Errorf("%s: %v", a.Name, err)
							continue
						}
						checkSafePlan(t, p, a, plan)
					}
				}()
			}
			for _, a := range apis {
				work <- a
			}
			close(work)
			wg.Wait()
		})
	}
}

// checkSafePlan checks one plan of goal against the safety rules.
func checkSafePlan(t *testing.T, p *Planner, goal registry.API, plan *Plan) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Errorf("%s: "+format+"\n%s", append([]any{goal.Name}, append(args, plan.Text())...)...)
	}
	if plan.Status != StatusOK && plan.Status != StatusNeedsInfo {
		fail("status %s", plan.Status)
		return
	}
	// leads: the steps a write or destructive step takes a value from,
	// directly or through others.
	leads := map[string]bool{}
	var mark func(s Step)
	mark = func(s Step) {
		for _, arg := range s.Args {
			for _, src := range plan.Steps {
				if arg.IsRef() && src.ID == arg.From && !leads[src.ID] {
					leads[src.ID] = true
					mark(src)
				}
			}
		}
	}
	for _, s := range plan.Steps {
		if s.Effect.SideEffect() {
			mark(s)
		}
	}
	pos := map[string]int{}
	for i, s := range plan.Steps {
		pos[s.ID] = i
		if s.API == GetInfo {
			if c := s.Options; c != nil {
				if j, ok := pos[c.From]; !ok || j >= i {
					fail("choice %s offers the results of %s, which is not an earlier step", s.ID, c.From)
				}
			}
			continue
		}
		a, ok := p.API(s.API)
		if !ok {
			fail("step %s calls unknown API %s", s.ID, s.API)
			continue
		}
		effect := registry.EffectOf(&a)
		if s.Effect != effect {
			fail("step %s: effect %q, want %q", s.ID, s.Effect, effect)
		}
		if effect.SideEffect() {
			if s.API != goal.Name {
				fail("step %s calls %s (%s), which is not a goal", s.ID, s.API, effect)
			}
			if !s.Confirm {
				fail("step %s (%s) does not wait for confirmation", s.ID, effect)
			}
		}
		for _, in := range a.Inputs {
			arg, bound := s.Args[in.Name]
			if in.Required && in.Default == nil && !bound {
				fail("step %s: required input %s is not bound", s.ID, in.Name)
			}
			if !bound || !arg.IsRef() {
				continue
			}
			j, ok := pos[arg.From]
			if !ok || j >= i {
				fail("step %s: input %s refers to %s, not an earlier step", s.ID, in.Name, arg.From)
				continue
			}
			src := plan.Steps[j]
			if src.API == GetInfo {
				continue
			}
			if sa, _ := p.API(src.API); (effect.SideEffect() || leads[s.ID]) && sa.List && identifying(&a, in) {
				fail("step %s: identifying input %s taken from the list of %s without a choice", s.ID, in.Name, src.ID)
			}
		}
	}
}

// TestDeletePetAsksWhichPet: deleting a pet with nothing known lists the
// pets and asks the user to choose one — never deletes the first.
func TestDeletePetAsksWhichPet(t *testing.T) {
	p, _ := openAPIPlanner(t, "petstore-expanded.yaml")
	plan, err := p.Plan(context.Background(), Request{Goals: []string{"deletePet"}})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != StatusNeedsInfo || len(plan.Steps) != 3 {
		t.Fatalf("want findPets, a choice, deletePet:\n%s", plan.Text())
	}
	list, choice, del := plan.Steps[0], plan.Steps[1], plan.Steps[2]
	if list.API != "findPets" || list.Effect != registry.EffectRead || list.Confirm {
		t.Errorf("first step: %+v", list)
	}
	if choice.API != GetInfo || choice.Options == nil || *choice.Options != (Choice{From: list.ID, Field: "id"}) ||
		!strings.HasPrefix(choice.Question, "Which pet id?") {
		t.Errorf("second step is not a choice among the pets' ids: %+v", choice)
	}
	if a := del.Args["id"]; del.API != "deletePet" || a.From != choice.ID || !del.Confirm || del.Effect != registry.EffectDestructive {
		t.Errorf("delete step: %+v", del)
	}
	// Once the user chose, the plan deletes that pet.
	_, next, err := p.Replan(context.Background(), Request{Goals: []string{"deletePet"}}, Update{
		Done: []Done{{ID: list.ID, API: "findPets"}, {ID: choice.ID, API: GetInfo, Slot: choice.Slot, Outputs: map[string]any{choice.Slot: 7}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Steps) != 1 || next.Steps[0].Args["id"].Value != 7 {
		t.Fatalf("after the choice:\n%s", next.Text())
	}
}
