package toolmaker

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// sorterNoParse is a tool without Parse: the User model must supply the
// words. Solve fails on an empty list.
const sorterNoParse = `package tool

import (
	"errors"
	"sort"
	"strings"
)

// Solve sorts words alphabetically.
func Solve(words []string) ([]string, error) {
	if len(words) == 0 {
		return nil, errors.New("no words given")
	}
	out := append([]string(nil), words...)
	sort.Strings(out)
	return out, nil
}

// Format joins the words with spaces.
func Format(words []string) string { return strings.Join(words, " ") }
`

// putTool registers src as a verified tool of family ws.
func putTool(t *testing.T, f *fixture, src string) *registry.Tool {
	t.Helper()
	p, err := prepare(src)
	if err != nil {
		t.Fatal(err)
	}
	tool := f.tm.draft(Family{Name: "ws", Description: "Sort a list of words alphabetically."}, src, p)
	tool.Verification.Status = registry.VerifyPassed
	if _, err := f.store.PutTool(context.Background(), tool); err != nil {
		t.Fatal(err)
	}
	return tool
}

func TestUsePaths(t *testing.T) {
	const input = "Sort the following words alphabetically: List: pear apple fig"
	userOK := `  - role: user
    when: 'Task input:\nSort the following words'
    tool_calls:
      - name: ws
        arguments: {words: [pear, apple, fig]}
`
	userEmptyOnce := `  - role: user
    when: 'Task input:'
    times: 1
    tool_calls:
      - name: ws
        arguments: {words: []}
`
	userEmpty := `  - role: user
    when: 'Task input:'
    tool_calls:
      - name: ws
        arguments: {words: []}
`
	userText := `  - role: user
    reply: I think the answer is apple fig pear.
`
	maker := `  - role: maker
    when: 'Answer the task directly(?s).*pear apple fig'
    reply: apple fig pear
`
	tests := []struct {
		name, src, rules, input string
		path                    Path
		flagged                 bool
		userCalls, makerCalls   int
		notes                   int
	}{
		{"parse path, no model", wordSort, "", input, PathParse, false, 0, 0, 0},
		{"user path", sorterNoParse, userOK, input, PathUser, false, 1, 0, 0},
		{"parse fails, user path", wordSort, userOK, "Sort the following words alphabetically: pear apple fig", PathUser, false, 1, 0, 1},
		{"tool error, retry succeeds", sorterNoParse, userEmptyOnce + userOK, input, PathUser, false, 2, 0, 1},
		{"tool error twice, maker answers, flagged", sorterNoParse, userEmpty + maker, input, PathMaker, true, 2, 1, 2},
		{"no function call, maker answers, flagged", sorterNoParse, userText + maker, input, PathMaker, true, 2, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "rules:\n"+tc.rules+"  - role: dispatcher\n    reply: ws\n", Options{})
			tool := putTool(t, f, tc.src)
			a, err := f.tm.Use(context.Background(), tool, tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != "apple fig pear" || a.Path != tc.path || a.Flagged != tc.flagged || len(a.Notes) != tc.notes {
				t.Errorf("answer %+v; want %q via %s, flagged %v, %d notes", a, "apple fig pear", tc.path, tc.flagged, tc.notes)
			}
			if u := a.Usage.ByRole; u[llm.User].Calls != tc.userCalls || u[llm.Maker].Calls != tc.makerCalls || a.Usage.Calls != tc.userCalls+tc.makerCalls {
				t.Errorf("usage %+v; want %d user and %d maker calls", a.Usage, tc.userCalls, tc.makerCalls)
			}
			if tc.userCalls+tc.makerCalls > 0 && a.Usage.Cost <= 0 && f.models.Maker.Price.Input > 0 {
				t.Errorf("no cost reported: %+v", a.Usage)
			}
			st, err := f.store.ToolStats(context.Background(), "", "ws")
			if err != nil || st.Calls != 1 || (st.Failures == 1) != tc.flagged {
				t.Errorf("stats %+v, %v", st, err)
			}
		})
	}
}

// TestUserSeesDemosAndError checks what the User model is told: the tool's
// demos, and on the retry the failed arguments and the tool's error.
func TestUserSeesDemosAndError(t *testing.T) {
	rules := `rules:
  - role: user
    when: '(?s)Usage examples.*input: Sort the following words alphabetically: List: b a.*arguments: \{"words":\["b","a"\]\}.*failed: solve: no words given'
    tool_calls:
      - name: ws
        arguments: {words: [pear, apple, fig]}
  - role: user
    times: 1
    tool_calls:
      - name: ws
        arguments: {words: []}
`
	f := newFixture(t, rules, Options{})
	tool := putTool(t, f, sorterNoParse)
	tool.Demos = []registry.Demo{{Input: "Sort the following words alphabetically: List: b a", Args: []byte(`{"words": ["b", "a"]}`), Answer: "a b"}}
	a, err := f.tm.Use(context.Background(), tool, "List: pear apple fig")
	if err != nil || a.Text != "apple fig pear" || a.Path != PathUser {
		t.Fatalf("answer %+v, %v", a, err)
	}
}

func TestSolveRoutesAndCollects(t *testing.T) {
	rules := `rules:
  - role: dispatcher
    when: 'Request to route:\nSort the following'
    reply: ' ws.'
  - role: dispatcher
    reply: 'unknown: arithmetic'
  - role: maker
    when: 'Answer the task directly(?s).*What is 2 \+ 3'
    reply: '5'
  - role: maker
    when: 'Answer the task directly(?s).*What is 4 \+ 4'
    reply: '8'
` + arithmeticMaker
	f := newFixture(t, rules, Options{AutoMake: 2})
	putTool(t, f, wordSort)
	ctx := context.Background()

	a, err := f.tm.Solve(ctx, "Sort the following words alphabetically: List: pear apple fig", "")
	if err != nil || a.Text != "apple fig pear" || a.Path != PathParse || a.Tool != "ws" {
		t.Fatalf("routed answer %+v, %v", a, err)
	}
	if u := a.Usage.ByRole; u[llm.Dispatcher].Calls != 1 || a.Usage.Calls != 1 {
		t.Errorf("usage %+v: want exactly the dispatcher's call", a.Usage)
	}

	// A request sharing a word with the tool is offered to the Dispatcher,
	// which says unknown and names a new family.
	a, err = f.tm.Solve(ctx, "What is 2 + 3? Sort it out.", "")
	if err != nil || a.Text != "5" || a.Path != PathMaker || !a.Pending || a.Family != "arithmetic" || a.Made != "" || a.Flagged {
		t.Fatalf("unknown answer %+v, %v", a, err)
	}
	fam, err := f.store.GetFamily(ctx, "", "arithmetic")
	if err != nil || len(fam.Examples) != 1 || fam.Examples[0].Target != "5" || fam.Status != registry.FamilyCollecting {
		t.Fatalf("family %+v, %v", fam, err)
	}

	// The second answered example reaches AutoMake: a tool is made.
	a, err = f.tm.Solve(ctx, "What is 4 + 4?", "arithmetic")
	if err != nil || a.Text != "8" || a.Made != "arithmetic" {
		t.Fatalf("answer %+v, %v; want the tool made", a, err)
	}
	fam, err = f.store.GetFamily(ctx, "", "arithmetic")
	if err != nil || fam.Status != registry.FamilyReady || fam.Tool != "arithmetic" || len(fam.Examples) != 0 {
		t.Fatalf("family %+v, %v; want ready", fam, err)
	}
	a, err = f.tm.Solve(ctx, "What is 20 + 22?", "arithmetic")
	if err != nil || a.Text != "42" || a.Path != PathParse || a.Usage.Calls != 0 {
		t.Fatalf("answer %+v, %v; want 42 from the new tool with no model call", a, err)
	}
}

func TestSolveNoCandidates(t *testing.T) {
	f := newFixture(t, "rules:\n  - role: maker\n    reply: 'Paris'\n", Options{AutoMake: -1})
	a, err := f.tm.Solve(context.Background(), "What is the capital of France?", "")
	if err != nil || a.Text != "Paris" || a.Family != DefaultFamily || !a.Pending {
		t.Fatalf("answer %+v, %v", a, err)
	}
	if a.Usage.ByRole[llm.Dispatcher].Calls != 0 {
		t.Errorf("the dispatcher was asked with no candidate")
	}
	if _, err := f.tm.Solve(context.Background(), "  ", ""); err == nil {
		t.Error("empty request accepted")
	}
	if _, err := f.tm.Solve(context.Background(), "x", "no such/family"); err == nil || !strings.Contains(err.Error(), "not a valid family") {
		t.Errorf("bad family: %v", err)
	}
}

// arithmeticMaker is a Maker rule that writes an addition tool.
const arithmeticMaker = `  - role: maker
    when: '(?s)Task family: arithmetic\n.*Write the tool'
    reply: |
      ` + "```go" + `
      package tool

      import (
      	"fmt"
      	"strconv"
      )

      // Parse reads "What is A + B?".
      func Parse(input string) (int, int, error) {
      	var a, b int
      	_, err := fmt.Sscanf(input, "What is %d + %d?", &a, &b)
      	return a, b, err
      }

      // Solve adds.
      func Solve(a, b int) int { return a + b }

      // Format prints the sum.
      func Format(n int) string { return strconv.Itoa(n) }
      ` + "```" + `
`

// TestAddExampleFromUser: answered examples given by a user make a tool
// once there are enough.
func TestAddExampleFromUser(t *testing.T) {
	f := newFixture(t, "rules:\n"+arithmeticMaker, Options{AutoMake: 3})
	ctx := context.Background()
	for i, ex := range []registry.Example{{Input: "What is 1 + 1?", Target: "2"}, {Input: "What is 2 + 5?", Target: "7"}, {Input: "What is 10 + 0?", Target: "10"}} {
		n, made, err := f.tm.AddExample(ctx, "arithmetic", ex)
		if err != nil || n != i+1 || (made != nil) != (i == 2) {
			t.Fatalf("example %d: %d pending, made %v, %v", i, n, made, err)
		}
	}
	if _, _, err := f.tm.AddExample(ctx, "bad name", registry.Example{Input: "x"}); err == nil {
		t.Error("bad family name accepted")
	}
}

// TestMakeFamilyFailureKeepsExamples: when making from pending examples
// fails, the examples are put back and the family is failed.
func TestMakeFamilyFailureKeepsExamples(t *testing.T) {
	f := newFixture(t, "rules:\n  - role: maker\n    reply: no code\n", Options{AutoMake: -1, ProposeRounds: 1})
	ctx := context.Background()
	for _, ex := range []registry.Example{{Input: "What is 1 + 1?", Target: "2"}, {Input: "What is 2 + 5?", Target: "7"}} {
		if _, _, err := f.tm.AddExample(ctx, "arithmetic", ex); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.tm.MakeFamily(ctx, "arithmetic")
	var me *MakeError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want a *MakeError", err)
	}
	fam, err := f.store.GetFamily(ctx, "", "arithmetic")
	if err != nil || fam.Status != registry.FamilyFailed || len(fam.Examples) != 2 || !strings.Contains(fam.Message, "no Go code") {
		t.Fatalf("family %+v, %v", fam, err)
	}
	if _, err := f.tm.MakeFamily(ctx, "no_such_family"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("unknown family: %v", err)
	}
}
