package eval

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner"
)

const nestfulTestdata = "testdata/nestful"

func TestNestful(t *testing.T) {
	rep, err := Nestful(context.Background(), nestfulTestdata, NestfulOptions{ListFailures: 1})
	if err != nil {
		t.Fatal(err)
	}
	type score struct{ right, total int }
	want := map[string]map[string]score{
		"executable": {
			"complete/" + catDiffer:   {2, 3}, // #4: Instagram_Followers' username is optional in the spec
			"incomplete/" + catDiffer: {1, 2}, // #2: the dropped name was the only mention of the country lookup
			// #0 (two airports): "type" is a generic name, so the location
			// search's "type" output no longer feeds the hotel search's
			// optional filter; without an airport's query its instance
			// disappears (3 of 6).
			"complete/" + catRepeated:   {1, 1},
			"incomplete/" + catRepeated: {3, 6},
			// Keeping the key (null) keeps the country lookup in #2 and the
			// airport's instance in #0.
			variantKept + "/" + catDiffer:   {2, 2},
			variantKept + "/" + catRepeated: {6, 6},
			// Without the aliases, differing names are asked for, not bound.
			variantRaw + "/" + catDiffer:   {0, 3},
			variantRaw + "/" + catRepeated: {0, 1},
		},
		"glaive": {
			"complete/" + catMatch:        {2, 2},
			"complete/" + catDiffer:       {5, 5},
			"incomplete/" + catMatch:      {11, 11},
			"incomplete/" + catDiffer:     {28, 28},
			variantKept + "/" + catMatch:  {11, 11},
			variantKept + "/" + catDiffer: {28, 28},
			variantRaw + "/" + catDiffer:  {0, 5},
		},
	}
	wantCats := map[string]map[string]int{
		"executable": {catRepeated: 1, catArgMissing: 1, catDiffer: 3, catNested: 1},
		"glaive":     {catOutside: 1, catOmits: 1, catDiffer: 5, catMatch: 2, catEmbedded: 1},
	}
	if len(rep.Sets) != 2 {
		t.Fatalf("sets = %d, want 2", len(rep.Sets))
	}
	for _, s := range rep.Sets {
		got := map[string]score{}
		for _, r := range s.Rows {
			got[r.Variant+"/"+r.Group] = score{r.Right, r.Total}
			if len(r.Failures) != r.Total-r.Right {
				t.Errorf("%s %s/%s: %d failures listed for %d wrong", s.Set, r.Variant, r.Group, len(r.Failures), r.Total-r.Right)
			}
		}
		if len(got) != len(want[s.Set]) {
			t.Errorf("%s: rows %v, want %v", s.Set, got, want[s.Set])
		}
		for k, w := range want[s.Set] {
			if got[k] != w {
				t.Errorf("%s %s: %v, want %v", s.Set, k, got[k], w)
			}
		}
		for c, n := range wantCats[s.Set] {
			if s.Categories[c] != n {
				t.Errorf("%s: category %q = %d, want %d", s.Set, c, s.Categories[c], n)
			}
		}
		if s.PlanP50 <= 0 {
			t.Errorf("%s: plan p50 %v", s.Set, s.PlanP50)
		}
	}
	text := reportText(t, rep)
	for _, want := range []string{
		"## executable: 6 samples",
		"| complete                    | names differ (gold aliases)     |     2 |     3 |  66.7% |",
		"- names differ: 3",
		"complete / names differ failures: leaves a gold argument unbound (1);\n  executable#4: leaves a gold argument unbound\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	// One failing sample listed per row: the second of a row is left out.
	if strings.Contains(text, "executable#0-SkyScrapperSearchAirport.query: 2 questions instead of 1\n  executable#0") {
		t.Errorf("more failures listed than asked:\n%s", text)
	}
}

func TestNestfulBadInput(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, dir string
		opts      NestfulOptions
		want      string
	}{
		{"missing directory", filepath.Join(t.TempDir(), "nestful"), NestfulOptions{}, "does not exist"},
		{"empty directory", t.TempDir(), NestfulOptions{}, "executable-spec.json: no such file"},
		{"unknown set", nestfulTestdata, NestfulOptions{Sets: []string{"rapid"}}, `unknown set "rapid"`},
	} {
		_, err := Nestful(ctx, tt.dir, tt.opts)
		if !isInputErr(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an input error with %q", tt.name, err, tt.want)
		}
	}
}

// TestTraceNestful plans one sample as the evaluation does and shows every
// variant's plan and verdict.
func TestTraceNestful(t *testing.T) {
	ctx := context.Background()
	tr, err := TraceNestful(ctx, nestfulTestdata, "glaive#6")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Category != catDiffer || tr.Plan == nil || tr.Verdict != "" || len(tr.Incomplete) == 0 {
		t.Fatalf("trace %+v", tr)
	}
	for _, v := range tr.Incomplete {
		if v.Verdict != "" || len(v.Plan.Questions()) != 1 {
			t.Errorf("without %s: %q\n%s", v.Without, v.Verdict, v.Plan.Text())
		}
	}
	text := reportText(t, tr)
	if !strings.Contains(text, "- category: names differ\n- request: {") || !strings.Contains(text, "## without ") || !strings.Contains(text, `verdict: ""`) {
		t.Errorf("report:\n%s", text)
	}
	// A sample the evaluation only counts is shown, not planned.
	tr, err = TraceNestful(ctx, nestfulTestdata, "executable#5")
	if err != nil || tr.Plan != nil || tr.Verdict != "not planned: "+catArgMissing {
		t.Errorf("executable#5: %+v, %v", tr, err)
	}
	for _, id := range []string{"glaive", "glaive#x", "rapid#1", "glaive#99", "glaive#-1"} {
		if _, err := TraceNestful(ctx, nestfulTestdata, id); !isInputErr(err) {
			t.Errorf("%s: %v, want an input error", id, err)
		}
	}
}

// TestNestfulCompare checks that the comparison rejects plans that differ
// from the gold in each way it knows.
func TestNestfulCompare(t *testing.T) {
	apis, _, err := loadNestfulSpecs(nestfulTestdata + "/non-executable-glaive-spec.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(apis, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// glaive sample 90: calculate_distance -> calculate_shipping_cost -> calculate_sales_tax.
	var sample nestfulSample
	data := `{"input":"x","output":[
	 {"name":"calculate_distance","arguments":{"origin":"New York","destination":"Los Angeles","mode":"driving"},"label":"var1"},
	 {"name":"calculate_shipping_cost","arguments":{"weight":2000,"distance":"$var1.distance$"},"label":"var2"},
	 {"name":"var_result","arguments":{"shipping_cost":"$var2$"}}]}`
	if err := json.Unmarshal([]byte(data), &sample); err != nil {
		t.Fatal(err)
	}
	g := parseGold(sample)
	plan, err := p.Plan(context.Background(), g.request(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := g.compare(p, plan, nil); got != "" {
		t.Fatalf("the planner's own plan: %q\n%s", got, plan.Text())
	}
	mutate := func(f func(pl *planner.Plan)) *planner.Plan {
		raw, _ := json.Marshal(plan)
		var cp planner.Plan
		if err := json.Unmarshal(raw, &cp); err != nil {
			t.Fatal(err)
		}
		f(&cp)
		return &cp
	}
	for _, tt := range []struct {
		name string
		plan *planner.Plan
		want string
	}{
		{"literal", mutate(func(pl *planner.Plan) { pl.Steps[0].Args["origin"] = planner.Arg{Value: "Boston"} }), "binds a literal differently"},
		{"reference", mutate(func(pl *planner.Plan) { pl.Steps[1].Args["distance"] = planner.Arg{From: "s1", Field: "time"} }), "binds an output differently"},
		{"missing call", mutate(func(pl *planner.Plan) { pl.Steps = pl.Steps[1:] }), "misses a gold call"},
		{"extra argument", mutate(func(pl *planner.Plan) { pl.Steps[1].Args["express"] = planner.Arg{Value: true} }), "binds an argument the gold leaves out"},
		{"question", mutate(func(pl *planner.Plan) {
			pl.Steps = append([]planner.Step{{ID: "s9", API: planner.GetInfo, Slot: "weight"}}, pl.Steps...)
		}), "asks for a value it was given"},
		{"infeasible", &planner.Plan{Status: planner.StatusInfeasible}, "status infeasible"},
	} {
		if got := g.compare(p, tt.plan, nil); got != tt.want {
			t.Errorf("%s: compare = %q, want %q", tt.name, got, tt.want)
		}
	}
	// Incomplete: without the weight the plan must ask for it once.
	drop := dropped{call: 1, arg: "weight"}
	asked, err := p.Plan(context.Background(), g.request(&drop))
	if err != nil {
		t.Fatal(err)
	}
	if got := g.compare(p, asked, &drop); got != "" {
		t.Errorf("incomplete: %q\n%s", got, asked.Text())
	}
	if got := g.compare(p, plan, &drop); got != "0 questions instead of 1" {
		t.Errorf("incomplete against the complete plan: %q", got)
	}
}
