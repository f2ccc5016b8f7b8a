package toolmaker

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/llm/llmtest"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// TestMain lets the test binary serve as the sandbox worker of the Pool
// used by the hostile-code tests.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == sandbox.WorkerCommand {
		if err := sandbox.ServeWorker(os.Args[2:]); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// bigbenchScript is the example's scripted-model file (generated from
// examples/bigbench/tools).
const bigbenchScript = "../examples/bigbench/scripted.yaml"

// fixture is a Toolmaker over a fresh bbolt store, an in-process sandbox
// and a scripted model.
type fixture struct {
	tm     *Toolmaker
	store  registry.Store
	models *llm.Models
	events []Event
}

// newFixture builds a fixture whose models answer from script (YAML text)
// or, when script names a .yaml file, from that file.
func newFixture(t testing.TB, script string, opts Options) *fixture {
	t.Helper()
	var ms *llm.Models
	if filepath.Ext(script) == ".yaml" && !strings.Contains(script, "\n") {
		ms = llmtest.File(t, script, "")
	} else {
		ms = llmtest.Models(t, script)
	}
	f := &fixture{store: registrytest.Bolt(t), models: ms}
	opts.Progress = func(e Event) { f.events = append(f.events, e) }
	f.tm = New(f.store, newRunner(t), ms, opts)
	return f
}

// newRunner returns an in-process sandbox, closed when the test ends.
func newRunner(t testing.TB) sandbox.Runner {
	t.Helper()
	runner, err := sandbox.NewInProcess(sandbox.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { runner.Close() })
	return runner
}

// testTask is a BIG-Bench task of testdata/bbh.
type testTask struct {
	Name     string
	Examples []registry.Example `json:"examples"`
}

// loadTask reads a task of testdata/bbh.
func loadTask(t testing.TB, name string) testTask {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "bbh", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	task := testTask{Name: name}
	if err := json.Unmarshal(data, &task); err != nil {
		t.Fatal(err)
	}
	return task
}

// loadTasks reads every task of testdata/bbh, sorted by name.
func loadTasks(t testing.TB) []testTask {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "bbh", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test tasks: %v", err)
	}
	var tasks []testTask
	for _, p := range paths {
		tasks = append(tasks, loadTask(t, strings.TrimSuffix(filepath.Base(p), ".json")))
	}
	return tasks
}

// family makes the LATM family of a test task: examples 0-2 train, 5-7
// validate.
func family(task testTask) Family {
	return Family{Name: task.Name, Train: task.Examples[0:3], Valid: task.Examples[5:8]}
}
