package toolmaker

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Task is one BIG-Bench task: its name (the file's stem), its description if
// the file has one, and its examples.
type Task struct {
	Name        string
	Description string
	Examples    []registry.Example
}

// bbhFile is the layout of a BIG-Bench Hard task file.
type bbhFile struct {
	Description string             `json:"description"`
	Examples    []registry.Example `json:"examples"`
}

// LoadBBH reads every *.json task file of dir ({"examples": [{"input",
// "target"}], "description"?}), sorted by name.
func LoadBBH(dir string) ([]Task, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no task files (*.json) in %s", dir)
	}
	slices.Sort(paths)
	tasks := make([]Task, 0, len(paths))
	for _, p := range paths {
		t, err := LoadTask(p)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, t)
	}
	return tasks, nil
}

// LoadTask reads one BIG-Bench task file.
func LoadTask(path string) (Task, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Task{}, err
	}
	var f bbhFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return Task{}, fmt.Errorf("%s: %w", path, err)
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if !registry.ValidName(name) {
		return Task{}, fmt.Errorf("%s: %q is not a valid family name", path, name)
	}
	if len(f.Examples) == 0 {
		return Task{}, fmt.Errorf("%s: no examples", path)
	}
	for i, ex := range f.Examples {
		if strings.TrimSpace(ex.Input) == "" || strings.TrimSpace(ex.Target) == "" {
			return Task{}, fmt.Errorf("%s: example %d has no input or no target", path, i+1)
		}
	}
	return Task{Name: name, Description: f.Description, Examples: f.Examples}, nil
}

// SplitLATM splits a task's examples as LATM does: 3 of the first 5 for
// training, 3 of the next 5 for validation, chosen with rng (nil: the first
// 3 of each five). Fewer examples
// give smaller splits (at least one of each when there are two).
func SplitLATM(exs []registry.Example, rng *rand.Rand) (train, valid []registry.Example) {
	pick := func(from []registry.Example, k int) []registry.Example {
		idx := make([]int, len(from))
		for i := range idx {
			idx[i] = i
		}
		if rng != nil {
			idx = rng.Perm(len(from))
		}
		idx = idx[:min(k, len(from))]
		slices.Sort(idx)
		out := make([]registry.Example, len(idx))
		for i, j := range idx {
			out[i] = from[j]
		}
		return out
	}
	if len(exs) < 10 {
		t, v := Split(exs)
		return t, v
	}
	return pick(exs[:5], 3), pick(exs[5:10], 3)
}
