package toolmaker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// The fixed texts of the prompts. Scripted-model files match on the
// phrases marked below, so they are part of the package's contract:
//
//	maker, proposing:      "Task family: NAME"
//	maker, repairing:      "did not compile" / "failed verification"
//	maker, answering:      "Answer the task directly"
//	dispatcher:            "Request to route:" followed by the request
//	user:                  "Task input:" followed by the request
const (
	markFamily    = "Task family: "
	markCompile   = "Your tool did not compile or does not follow the contract"
	markVerify    = "Your tool failed verification"
	markDirect    = "Answer the task directly"
	markRoute     = "Request to route:"
	markTaskInput = "Task input:"
	answerUnknown = "unknown"
)

// makerSystem is the Maker's system prompt: the tool contract.
func makerSystem(allow []string) string {
	return `You write tools: reusable Go functions that solve every instance of a family of tasks.

Write ONE Go file in a single ` + "```go" + ` code block:
- a package clause (any name) and imports only from this list: ` + strings.Join(allow, ", ") + `;
- func Solve(...) with typed parameters (named: they become the argument names of a JSON Schema) that
  returns the solution, optionally followed by an error;
- optionally func Parse(input string) (...) that turns a raw task input into exactly Solve's arguments,
  optionally followed by an error; write it when the inputs follow a template, so no model is needed;
- optionally func Format(...) string that takes exactly Solve's results and renders the answer exactly as
  the examples write it (without Format a string result is the answer as is).
Give each exported function a doc comment. The code is run in a sandbox: no files, network, processes,
goroutines that outlive the call, or timers. It must be general: never hard-code the examples' answers.`
}

// proposePrompt shows the family and its training examples.
func proposePrompt(f Family) string {
	var b strings.Builder
	b.WriteString(markFamily + f.Name + "\n")
	if f.Description != "" {
		b.WriteString("Description: " + f.Description + "\n")
	}
	b.WriteString("\nExamples (input, then the expected answer):\n")
	for i, ex := range f.Train {
		fmt.Fprintf(&b, "\n### Example %d\nInput:\n%s\nAnswer:\n%s\n", i+1, ex.Input, ex.Target)
	}
	b.WriteString("\nWrite the tool.")
	return b.String()
}

// compileFeedback tells the Maker why its reply was rejected before running.
func compileFeedback(reason string) string {
	return markCompile + ":\n" + reason + "\n\nReply with the whole corrected file."
}

// verifyFeedback shows the Maker a failing validation example.
func verifyFeedback(ex registry.Example, actual string, failure string, passed, total int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of %d validation examples passed. The first failure:\n", markVerify, passed, total)
	fmt.Fprintf(&b, "\nInput:\n%s\nExpected answer:\n%s\n", ex.Input, ex.Target)
	if failure != "" {
		fmt.Fprintf(&b, "The tool failed: %s\n", failure)
	} else {
		fmt.Fprintf(&b, "Your tool answered:\n%s\n", actual)
	}
	b.WriteString("\nFix the tool (Parse, Solve or Format) and reply with the whole corrected file.")
	return b.String()
}

// directSystem and directPrompt ask the Maker to answer one instance.
const directSystem = "You solve tasks. " + markDirect + ": reply with the answer only, in the format the task expects, nothing else."

func directPrompt(family, input string) string {
	var b strings.Builder
	if family != "" {
		b.WriteString(markFamily + family + "\n")
	}
	b.WriteString(markTaskInput + "\n" + input + "\n\nAnswer:")
	return b.String()
}

// dispatcherSystem is the Dispatcher's system prompt.
const dispatcherSystem = `You route requests to tools. Given the candidate tools and a request, reply with the name of
the one tool that solves the request, or "unknown" when none does (optionally followed by a
short snake_case name for the new kind of task, as in "unknown: task_name"). Reply with the name only.`

// dispatchPrompt lists the candidates, then the request.
func dispatchPrompt(cands []*registry.Tool, input string) string {
	var b strings.Builder
	b.WriteString("Candidate tools:\n")
	for _, c := range cands {
		fmt.Fprintf(&b, "\n- %s: %s\n", c.Name, oneLine(c.Description, 300))
		if len(c.Demos) > 0 {
			fmt.Fprintf(&b, "  example: %s\n", oneLine(c.Demos[0].Input, 300))
		}
	}
	b.WriteString("\n" + markRoute + "\n" + input + "\n\nThe tool's name, or unknown:")
	return b.String()
}

// userSystem is the User model's system prompt for a tool.
func userSystem(tool *registry.Tool, fn string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "You solve a task by calling the function %s of the tool %q exactly once with the right arguments.\n", fn, tool.Name)
	if tool.Description != "" {
		b.WriteString("What it does: " + tool.Description + "\n")
	}
	if len(tool.Demos) > 0 {
		b.WriteString("\nUsage examples (input, the arguments, the answer):\n")
		for _, d := range tool.Demos {
			fmt.Fprintf(&b, "\ninput: %s\narguments: %s\nanswer: %s\n", d.Input, compactJSON(d.Args), d.Answer)
		}
	}
	return b.String()
}

// userPrompt gives the User model the task and, on a retry, the error.
func userPrompt(input string, prevArgs json.RawMessage, prevErr string) string {
	var b strings.Builder
	b.WriteString(markTaskInput + "\n" + input + "\n")
	if prevErr != "" {
		fmt.Fprintf(&b, "\nYour previous call with arguments %s failed: %s\nCall the function again with corrected arguments.\n", compactJSON(prevArgs), prevErr)
	}
	return b.String()
}

// oneLine squeezes s onto one line of at most n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// compactJSON returns raw without insignificant white space ("null" for none).
func compactJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "null"
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// allowList is the import list the Maker is told about.
func allowList() []string { return sandbox.DefaultAllow() }
