package toolmaker

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// wordSort is a correct word-sorting tool; the tests derive broken ones
// from it.
const wordSort = `package tool

import (
	"errors"
	"sort"
	"strings"
)

// Parse reads the words after "List:".
func Parse(input string) ([]string, error) {
	i := strings.Index(input, "List:")
	if i < 0 {
		return nil, errors.New("no List:")
	}
	return strings.Fields(input[i+5:]), nil
}

// Solve sorts words alphabetically.
func Solve(words []string) []string {
	out := append([]string(nil), words...)
	sort.Strings(out)
	return out
}

// Format joins the words with spaces.
func Format(words []string) string { return strings.Join(words, " ") }
`

// script renders a scripted-model file: pairs of (when, reply) for the
// Maker, in order.
func script(pairs ...string) string {
	var b strings.Builder
	b.WriteString("rules:\n")
	for i := 0; i+1 < len(pairs); i += 2 {
		b.WriteString("  - role: maker\n    when: '" + strings.ReplaceAll(pairs[i], "'", "''") + "'\n    reply: |\n")
		for _, line := range strings.Split(pairs[i+1], "\n") {
			b.WriteString("      " + line + "\n")
		}
	}
	return b.String()
}

// withEmptyCall adds a User rule that calls the tool with no arguments.
func withEmptyCall(script string) string {
	return script + "  - role: user\n    tool_calls:\n      - name: word_sorting\n        arguments: {}\n"
}

func fenced(src string) string { return "```go\n" + src + "```" }

func TestMakeRepairs(t *testing.T) {
	broken := strings.Replace(wordSort, "\t\"sort\"\n", "", 1)
	wrong := strings.Replace(wordSort, `strings.Join(words, " ")`, `strings.Join(words, ",")`, 1)
	tests := []struct {
		name    string
		script  string
		replies int
		events  []string // stages reported, in order
	}{
		{"first reply", script("Write the tool", fenced(wordSort)), 1, []string{"propose", "verify", "register"}},
		{"compile error repaired", script("did not compile", fenced(wordSort), "Write the tool", fenced(broken)), 2,
			[]string{"propose", "compile", "propose", "verify", "register"}},
		{"verification failure repaired", script("failed verification", fenced(wordSort), "Write the tool", fenced(wrong)), 2,
			[]string{"propose", "verify", "verify", "propose", "verify", "register"}},
		{"no package clause, prose around", script("Write the tool", "Sure! Here it is:\n\n"+fenced(strings.TrimPrefix(wordSort, "package tool\n"))+"\nHope this helps."), 1,
			[]string{"propose", "verify", "register"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.script, Options{})
			tool, err := f.tm.Make(context.Background(), family(loadTask(t, "word_sorting")))
			if err != nil {
				t.Fatal(err)
			}
			if tool.Provenance.Attempts != tc.replies || tool.Version != 1 || tool.Verification.Status != registry.VerifyPassed {
				t.Errorf("made in %d replies (version %d, %s), want %d", tool.Provenance.Attempts, tool.Version, tool.Verification.Status, tc.replies)
			}
			var stages []string
			for _, e := range f.events {
				stages = append(stages, e.Stage)
			}
			if strings.Join(stages, ",") != strings.Join(tc.events, ",") {
				t.Errorf("progress stages %v, want %v", stages, tc.events)
			}
			u := f.models.Meter.Total().ByRole[llm.Maker]
			if u.Calls != tc.replies || tool.Provenance.CostUSD != u.Cost && u.Cost > 0 {
				t.Errorf("meter: %d maker calls costing %v; provenance %+v", u.Calls, u.Cost, tool.Provenance)
			}
		})
	}
}

func TestRemakeIsNewVersion(t *testing.T) {
	f := newFixture(t, script("Write the tool", fenced(wordSort)), Options{})
	fam := family(loadTask(t, "word_sorting"))
	for want := 1; want <= 2; want++ {
		tool, err := f.tm.Make(context.Background(), fam)
		if err != nil || tool.Version != want {
			t.Fatalf("make %d: version %v, %v", want, tool, err)
		}
	}
}

// TestMakeHostile: a Maker that never produces a verified tool leaves the
// family failed with one reason per reply, and nothing registered.
func TestMakeHostile(t *testing.T) {
	noSolve := strings.Replace(wordSort, "func Solve(", "func Sort(", 1)
	noSolve = strings.Replace(noSolve, "func Format(words []string) string { return strings.Join(words, \" \") }", "", 1)
	tests := []struct {
		name, reply, reason string
	}{
		{"no code", "I am sorry, I cannot write code for this.", "no Go code"},
		{"forbidden import", fenced(strings.Replace(wordSort, "\"sort\"\n", "\"sort\"\n\t\"os/exec\"\n", 1) + "\nfunc init() { exec.Command(\"rm\", \"-rf\", \"/\").Run() }\n"), "forbidden"},
		{"reads files", fenced("package tool\n\nimport \"os\"\n\nfunc Solve(p string) string { b, _ := os.ReadFile(p); return string(b) }\n"), "forbidden"},
		{"linkname", fenced("package tool\n\nimport _ \"strings\"\n\n//go:linkname f runtime.exit\nfunc f(int)\n\nfunc Solve() int { f(1); return 0 }\n"), "forbidden"},
		{"never passes", fenced(strings.Replace(wordSort, "sort.Strings(out)", "", 1)), "verification: 0 of 3 passed"},
		{"hard-coded wrong answer", fenced("package tool\n\nfunc Solve() string { return \"42\" }\n"), "answered \"42\""},
		{"no Solve", fenced(noSolve), "no exported function Solve"},
		{"Parse does not fit Solve", fenced(strings.Replace(wordSort, "func Parse(input string) ([]string, error) {", "func Parse(input string) ([]string, int, error) {", 1)), "Parse returns 2 values but Solve takes 1"},
		{"panics", fenced("package tool\n\nfunc Solve() string { var m map[string]int; m[\"x\"] = 1; return \"\" }\n"), "panic"},
		{"reserved name", fenced(wordSort + "\nfunc ToolsmithPipeline() {}\n"), "reserved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, withEmptyCall(script("", tc.reply)), Options{ProposeRounds: 2, VerifyRounds: 2})
			_, err := f.tm.Make(context.Background(), family(loadTask(t, "word_sorting")))
			var me *MakeError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want a *MakeError", err)
			}
			if len(me.Reasons) != 2 || !strings.Contains(me.Reasons[0], tc.reason) {
				t.Errorf("reasons %q, want 2 mentioning %q", me.Reasons, tc.reason)
			}
			if me.Usage.ByRole[llm.Maker].Calls != 2 {
				t.Errorf("usage %+v, want 2 maker calls", me.Usage)
			}
			assertFailedNothingRegistered(t, f, "word_sorting", tc.reason)
		})
	}
}

// assertFailedNothingRegistered checks the family is failed with reason in
// its message and no tool was registered.
func assertFailedNothingRegistered(t *testing.T, f *fixture, name, reason string) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.store.GetTool(ctx, "", name); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("GetTool = %v, want not found: nothing unverified is registered", err)
	}
	fam, err := f.store.GetFamily(ctx, "", name)
	if err != nil || fam.Status != registry.FamilyFailed || !strings.Contains(fam.Message, reason) {
		t.Errorf("family %+v, %v; want failed with %q", fam, err, reason)
	}
}

// TestMakeHostileIsolated runs code that loops forever and code that
// allocates without bound in the worker pool: the calls are killed at the
// time limit and the memory budget, the family fails, nothing is registered.
func TestMakeHostileIsolated(t *testing.T) {
	pool, err := sandbox.NewPool(context.Background(), sandbox.Options{Workers: 1, Timeout: 10 * time.Second, MemoryBytes: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// Each case has the limit it tests: the memory bomb gets a time limit
	// it cannot reach first, however loaded the machine.
	tests := []struct {
		name, src, reason string
		timeout           time.Duration
	}{
		{"loops forever", "package tool\n\nfunc Parse(s string) (string, error) { for { s += \"\" } }\n\nfunc Solve(s string) string { return s }\n", "timeout", 300 * time.Millisecond},
		// A worker killed for memory is reported as memory, or as a crash
		// when the kernel's kill cannot be told apart from one.
		{"allocates without bound", "package tool\n\nfunc Solve() string {\n\tvar keep [][]byte\n\tfor {\n\t\tkeep = append(keep, make([]byte, 1<<20))\n\t\tkeep[len(keep)-1][0] = 1\n\t}\n}\n", "memory|crash", 10 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, withEmptyCall(script("", fenced(tc.src))), Options{ProposeRounds: 1, VerifyRounds: 1, Timeout: tc.timeout})
			f.tm.runner = pool
			_, err := f.tm.Make(context.Background(), family(loadTask(t, "word_sorting")))
			var me *MakeError
			if !errors.As(err, &me) || !regexp.MustCompile(tc.reason).MatchString(me.Reasons[0]) {
				t.Fatalf("err = %v, want a *MakeError for %s", err, tc.reason)
			}
			assertFailedNothingRegistered(t, f, "word_sorting", "")
		})
	}
}

func TestMakeBadInput(t *testing.T) {
	f := newFixture(t, script("", fenced(wordSort)), Options{})
	task := loadTask(t, "word_sorting")
	for _, fam := range []Family{
		{Name: "bad name!", Train: task.Examples[:1], Valid: task.Examples[1:2]},
		{Name: "ws", Train: task.Examples[:1]},
		{Name: "ws", Train: []registry.Example{{Input: "x"}}, Valid: task.Examples[:1]},
	} {
		if _, err := f.tm.Make(context.Background(), fam); err == nil {
			t.Errorf("Make(%+v) succeeded", fam)
		}
	}
	if n := f.models.Meter.Total().Calls; n != 0 {
		t.Errorf("%d model calls for bad input", n)
	}
}

// TestMakeSandboxUnavailable: when the sandbox cannot run the tool the
// error says so; it is not blamed on the Maker's code.
func TestMakeSandboxUnavailable(t *testing.T) {
	f := newFixture(t, script("", fenced(wordSort)), Options{})
	f.tm.runner.Close()
	_, err := f.tm.Make(context.Background(), family(loadTask(t, "word_sorting")))
	var me *MakeError
	if err == nil || errors.As(err, &me) || !errors.Is(err, sandbox.ErrClosed) {
		t.Fatalf("err = %v, want the sandbox's ErrClosed", err)
	}
}
