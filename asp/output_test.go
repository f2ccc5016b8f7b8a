package asp

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// summarise solves the files (or src as stdin when there are none) as
// "toolsmith asp solve" does with default options and returns the summary.
func summarise(t *testing.T, src string, files ...string) *Summary {
	t.Helper()
	prog := &Program{}
	inputs := files
	if len(files) == 0 {
		inputs = []string{"stdin"}
		if err := prog.AddSource("<stdin>", []byte(src)); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		if err := prog.AddFile(f); err != nil {
			t.Fatal(err)
		}
	}
	gp, err := Ground(context.Background(), prog, GroundOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := &Summary{Inputs: inputs, Optimising: len(gp.Program.Minimize) > 0}
	opts := SolveOptions{Models: 1}
	if s.Optimising {
		opts.Models = 0
	}
	s.Result, err = gp.Solve(context.Background(), opts, func(m Model) bool {
		s.Witnesses = append(s.Witnesses, m)
		if m.Optimal {
			s.Optimal++
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	solverLine = regexp.MustCompile(`(?m)^  "Solver": .*$`)
	timeFields = regexp.MustCompile(`(?m)^(    "(?:Total|Solve|Model|Unsat|CPU)": )[0-9.]+`)
	timeLines  = regexp.MustCompile(`(?m)^(Time|CPU Time) .*$`)
)

// TestSummaryMatchesClingo compares WriteJSON and WriteText byte for byte
// with clingo's --outf=2 document and closing lines on programs whose models
// clingo and this package find in the same order, the solver's name and the
// times aside.
func TestSummaryMatchesClingo(t *testing.T) {
	bin := testenv.Clingo(t)
	dir := t.TempDir()
	two := []string{filepath.Join(dir, "a.lp"), filepath.Join(dir, "b&<c>.lp")}
	for i, src := range []string{"a. b :- a.\n", "c(\"\\\\\").\n"} {
		if err := os.WriteFile(two[i], []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name, src string
		files     []string
	}{
		{"one model", "p(1..3). q(X) :- p(X), X > 1.", nil},
		{"empty model", "{ a }. :- a.", nil},
		{"unsatisfiable", "a. :- a.", nil},
		{"strings and tuples", `s("x\"y"). t((1,a),f("z")). u("a\\b"). v("line\nbreak").`, nil},
		{"optimum, one model", "a. b. #minimize{ 1@2 : a; 2 : b }.", nil},
		{"maximize", "a. #maximize{ 3 : a }.", nil},
		{"two files", "", two},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := summarise(t, tt.src, tt.files...)
			for _, outf := range []string{"--outf=2", "--outf=0"} {
				cmd := exec.Command(bin, append([]string{outf}, tt.files...)...)
				cmd.Stdin = strings.NewReader(tt.src)
				want, _ := cmd.Output()
				var got bytes.Buffer
				if outf == "--outf=2" {
					if err := s.WriteJSON(&got); err != nil {
						t.Fatal(err)
					}
				} else {
					// Compare the closing lines: clingo's output from the
					// result on.
					i := bytes.Index(want, []byte(s.resultName()+"\n"))
					if i < 0 {
						t.Fatalf("no result line in clingo's output:\n%s", want)
					}
					want = want[i:]
					if err := s.WriteText(&got); err != nil {
						t.Fatal(err)
					}
				}
				mask := func(b []byte) string {
					b = solverLine.ReplaceAll(b, []byte(`  "Solver": "-",`))
					b = timeFields.ReplaceAll(b, []byte("${1}0"))
					return timeLines.ReplaceAllString(string(b), "$1")
				}
				if w, g := mask(want), mask(got.Bytes()); w != g {
					t.Errorf("%s differs from clingo\n--- clingo\n%s\n--- asp\n%s", outf, w, g)
				}
			}
		})
	}
}

// TestSummaryTimes: the times are printed as given, CPU time apart from
// wall time.
func TestSummaryTimes(t *testing.T) {
	s := summarise(t, "a.")
	s.Times = Times{Total: 1500 * time.Millisecond, Solve: 700 * time.Millisecond, Model: 200 * time.Millisecond, CPU: 2250 * time.Millisecond}
	var txt, js bytes.Buffer
	if err := s.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if want := "Time         : 1.500s (Solving: 0.70s 1st Model: 0.20s Unsat: 0.50s)\nCPU Time     : 2.250s\n"; !strings.HasSuffix(txt.String(), want) {
		t.Errorf("text:\n%s\nwant suffix:\n%s", txt.String(), want)
	}
	if want := "\"Total\": 1.500,\n    \"Solve\": 0.700,\n    \"Model\": 0.200,\n    \"Unsat\": 0.500,\n    \"CPU\": 2.250\n"; !strings.Contains(js.String(), want) {
		t.Errorf("JSON:\n%s\nwant:\n%s", js.String(), want)
	}
}
