package pddl

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sharedData finds the benchmark data outside the repository, the folder
// shared/data in a parent of the package's folder (a clone at /work/main and
// a worktree at /work/wt/NAME both see /work/shared/data); the corpus test
// runs only on a development machine that has it and never in CI.
func sharedData(t testing.TB) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "shared", "data")
		if fi, err := os.Stat(cand); err == nil && fi.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no shared/data folder above the package")
		}
		dir = parent
	}
}

// corpusPairs lists (domain, problem) file pairs of an IPC-style directory:
// every .pddl file that is not a domain is a problem of domain.pddl, or of
// its own NAME-domain.pddl / domain_NAME.pddl when there is one.
func corpusPairs(t testing.TB, dir string) [][2]string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".pddl") {
			files = append(files, e.Name())
		}
	}
	sort.Strings(files)
	isDomain := func(f string) bool { return strings.Contains(f, "domain") }
	var pairs [][2]string
	for _, f := range files {
		if isDomain(f) {
			continue
		}
		base := strings.TrimSuffix(f, ".pddl")
		dom := "domain.pddl"
		for _, cand := range []string{
			strings.SplitN(base, "-", 2)[0] + "-domain.pddl",
			base + "-domain.pddl",
			"domain_" + base + ".pddl",
		} {
			if _, err := os.Stat(filepath.Join(dir, cand)); err == nil {
				dom = cand
				break
			}
		}
		pairs = append(pairs, [2]string{filepath.Join(dir, dom), filepath.Join(dir, f)})
	}
	return pairs
}

// brokenCorpusFiles are files of the shared data that are wrong, with what
// the error must mention.
var brokenCorpusFiles = map[string]string{
	// Uses robot2 and black without declaring them.
	"floortile/p_example.pddl": "undeclared object robot2",
}

// TestSharedCorpus parses, checks and normalises every domain and problem
// of the shared IPC and LLM+P benchmark sets.
func TestSharedCorpus(t *testing.T) {
	if os.Getenv("CI") != "" {
		t.Skip("the shared benchmark data is outside the repository; not used in CI")
	}
	data := sharedData(t)
	for _, set := range []string{"ipc", "llmp"} {
		root := filepath.Join(data, set)
		dirs, err := os.ReadDir(root)
		if err != nil {
			t.Skipf("no shared data: %v", err)
		}
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			dir := filepath.Join(root, d.Name())
			t.Run(set+"/"+d.Name(), func(t *testing.T) {
				t.Parallel()
				domains := map[string]*Domain{}
				for i, pair := range corpusPairs(t, dir) {
					dom, ok := domains[pair[0]]
					if !ok {
						src, err := os.ReadFile(pair[0])
						if err != nil {
							t.Fatal(err)
						}
						if dom, err = ParseDomain(pair[0], src); err != nil {
							t.Fatal(err)
						}
						if len(domains) < 2 {
							roundTrip(t, pair[0], dom)
						}
						domains[pair[0]] = dom
					}
					src, err := os.ReadFile(pair[1])
					if err != nil {
						t.Fatal(err)
					}
					prob, err := ParseProblem(pair[1], src)
					if err != nil {
						t.Fatal(err)
					}
					if i < 2 {
						// Round trips are costly under -race; two
						// problems a domain exercise the printer enough.
						roundTrip(t, pair[1], prob)
					}
					task, err := Normalize(dom, prob)
					if want, broken := brokenCorpusFiles[filepath.Base(dir)+"/"+filepath.Base(pair[1])]; broken {
						if err == nil || !strings.Contains(err.Error(), want) {
							t.Errorf("%s: got error %v, want one mentioning %q", pair[1], err, want)
						}
						continue
					}
					if err != nil {
						t.Fatal(err)
					}
					if err := task.Check(); err != nil {
						t.Errorf("%s: normalised task fails Check: %v", pair[1], err)
					}
					if len(task.Actions) == 0 || len(task.Goal) == 0 {
						t.Errorf("%s: %d actions, %d goal literals", pair[1], len(task.Actions), len(task.Goal))
					}
				}
			})
		}
	}
}

// roundTrip checks that printing an AST and parsing the text gives it back.
func roundTrip(t testing.TB, name string, ast interface{ String() string }) {
	t.Helper()
	text := ast.String()
	d, p, err := Parse(name+" (printed)", []byte(text))
	if err != nil {
		t.Fatalf("%s: printed text does not parse: %v\n%s", name, err, text)
	}
	var back any = d
	if _, ok := ast.(*Problem); ok {
		back = p
	}
	if diff := astDiff(ast, back); diff != "" {
		t.Fatalf("%s: round trip changed the AST at %s", name, diff)
	}
}
