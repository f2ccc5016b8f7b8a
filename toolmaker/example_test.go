package toolmaker_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

// A scripted Maker writes a word-sorting tool; later requests are answered
// by the tool's Parse path with no model call.
func Example() {
	ctx := context.Background()
	script, _ := llm.ParseScript([]byte("rules:\n  - role: maker\n    reply: |\n" +
		"      ```go\n" +
		"      package tool\n" +
		"      import (\"sort\"; \"strings\")\n" +
		"      // Parse reads the words after \"List:\".\n" +
		"      func Parse(input string) []string { return strings.Fields(input[strings.Index(input, \"List:\")+5:]) }\n" +
		"      // Solve sorts words alphabetically.\n" +
		"      func Solve(words []string) []string { sort.Strings(words); return words }\n" +
		"      ```\n"))
	models, _ := llm.Open(ctx, llm.Config{Script: script})
	dir, _ := os.MkdirTemp("", "toolmaker-example")
	defer os.RemoveAll(dir)
	store, _ := registry.Open(ctx, filepath.Join(dir, "reg.db"), registry.Options{})
	defer store.Close()
	runner, _ := sandbox.NewInProcess(sandbox.Options{}) // use sandbox.NewPool for untrusted code
	defer runner.Close()

	tm := toolmaker.New(store, runner, models, toolmaker.Options{})
	tool, err := tm.Make(ctx, toolmaker.Family{
		Name:  "word_sorting",
		Train: []registry.Example{{Input: "Sort: List: b a", Target: "a b"}},
		Valid: []registry.Example{{Input: "Sort: List: pear fig", Target: "fig pear"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("made", tool.Name, "version", tool.Version, "in", tool.Provenance.Attempts, "reply")

	ans, _ := tm.Solve(ctx, "Sort: List: cherry apple banana", "word_sorting")
	fmt.Println(ans.Text, "via", ans.Path, "with", ans.Usage.Calls, "model calls")
	// Output:
	// made word_sorting version 1 in 1 reply
	// apple banana cherry via parse with 0 model calls
}
