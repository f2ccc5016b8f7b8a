package asp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// SolverName is the solver's name in the output, which follows clingo
// 5.4.1's layout.
const SolverName = "toolsmith asp (clingo 5.4.1 format)"

// Summary is what clingo reports about one solve call: the inputs, the
// models found (for the JSON document), the result and the times.
// WriteText prints clingo's closing lines and WriteJSON the document of
// clingo --outf=2, with the same layout.
type Summary struct {
	// Inputs name the programs read, as given ("stdin" for standard input
	// when no file was named).
	Inputs []string
	// Witnesses are the models in the order found; only WriteJSON prints
	// them.
	Witnesses []Model
	Result    Result
	// Optimising is set when the program has optimisation statements and
	// they were not ignored.
	Optimising bool
	// OptAll is set for --opt-mode=optN (every optimal model).
	OptAll bool
	// Interrupted is set when the search was stopped early.
	Interrupted bool
	// Optimal counts the models reported as optimal.
	Optimal int
	Times   Times
}

// Times are the durations clingo reports.
type Times struct {
	// Total is the wall time of the whole call, reading included.
	Total time.Duration
	// Solve is the wall time of the search and Model the time until its
	// first model (Unsat is the rest of the search).
	Solve, Model time.Duration
	// CPU is the CPU time of the process (user and system).
	CPU time.Duration
}

// resultName is clingo's "Result".
func (s *Summary) resultName() string {
	switch {
	case s.Interrupted && !s.Result.Satisfiable:
		return "UNKNOWN"
	case !s.Result.Satisfiable:
		return "UNSATISFIABLE"
	case s.Optimising && s.Result.OptimumProven:
		return "OPTIMUM FOUND"
	}
	return "SATISFIABLE"
}

// more reports whether models may remain unreported.
func (s *Summary) more() bool {
	return s.Interrupted || !s.Result.Exhausted && !(s.Optimising && s.Result.OptimumProven && !s.OptAll)
}

func (s *Summary) optimum() string {
	if s.Result.OptimumProven {
		return "yes"
	}
	return "unknown"
}

// WriteText prints clingo's closing lines: the result, the models and the
// optimum, the calls and the times.
func (s *Summary) WriteText(w io.Writer) error {
	b := bufio.NewWriter(w)
	if s.Interrupted {
		fmt.Fprintln(b, "INTERRUPTED")
	}
	fmt.Fprintf(b, "%s\n\n", s.resultName())
	plus := ""
	if s.Result.Satisfiable && s.more() || s.Interrupted {
		plus = "+"
	}
	fmt.Fprintf(b, "Models       : %d%s\n", s.Result.Models, plus)
	if s.Optimising && s.Result.Satisfiable {
		fmt.Fprintf(b, "  Optimum    : %s\n", s.optimum())
		if s.OptAll {
			fmt.Fprintf(b, "  Optimal    : %d\n", s.Optimal)
		}
		fmt.Fprintf(b, "Optimization : %s\n", JoinCosts(s.Result.Costs, " "))
	}
	t := s.Times
	fmt.Fprintf(b, "Calls        : 1\n")
	fmt.Fprintf(b, "Time         : %.3fs (Solving: %.2fs 1st Model: %.2fs Unsat: %.2fs)\n",
		t.Total.Seconds(), t.Solve.Seconds(), t.Model.Seconds(), (t.Solve - t.Model).Seconds())
	fmt.Fprintf(b, "CPU Time     : %.3fs\n", t.CPU.Seconds())
	return b.Flush()
}

// WriteJSON prints the document clingo --outf=2 prints, with its layout:
// Solver, Input, Call[0].Witnesses (Value, and Costs when optimising),
// Result, Models (Number, More; Optimum, Optimal and Costs when
// optimising), Calls and Time.
func (s *Summary) WriteJSON(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "{\n  \"Solver\": %s,\n  \"Input\": [\n    ", jsonString(SolverName))
	for i, in := range s.Inputs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(jsonString(in))
	}
	fmt.Fprintf(b, "\n  ],\n  \"Call\": [\n    {\n")
	if len(s.Witnesses) == 0 {
		fmt.Fprintf(b, "\n")
	} else {
		fmt.Fprintf(b, "      \"Witnesses\": [\n")
		for i, m := range s.Witnesses {
			syms := m.Symbols()
			vals := make([]string, len(syms))
			for j, sym := range syms {
				vals[j] = sym.JSONString()
			}
			fmt.Fprintf(b, "        {\n          \"Value\": [\n            %s\n          ]", strings.Join(vals, ", "))
			if s.Optimising && m.Costs != nil {
				fmt.Fprintf(b, ",\n          \"Costs\": [\n            %s\n          ]", JoinCosts(m.Costs, ", "))
			}
			sep := ","
			if i == len(s.Witnesses)-1 {
				sep = ""
			}
			fmt.Fprintf(b, "\n        }%s\n", sep)
		}
		fmt.Fprintf(b, "      ]\n")
	}
	fmt.Fprintf(b, "    }\n  ],\n  \"Result\": %q,\n", s.resultName())
	more := "no"
	if s.more() {
		more = "yes"
	}
	fmt.Fprintf(b, "  \"Models\": {\n    \"Number\": %d,\n    \"More\": %q", s.Result.Models, more)
	if s.Optimising && s.Result.Satisfiable {
		fmt.Fprintf(b, ",\n    \"Optimum\": %q,\n    \"Optimal\": %d,\n    \"Costs\": [\n      %s\n    ]", s.optimum(), s.Optimal, JoinCosts(s.Result.Costs, ", "))
	}
	t := s.Times
	fmt.Fprintf(b, "\n  },\n  \"Calls\": 1,\n  \"Time\": {\n    \"Total\": %.3f,\n    \"Solve\": %.3f,\n    \"Model\": %.3f,\n    \"Unsat\": %.3f,\n    \"CPU\": %.3f\n  }\n}\n",
		t.Total.Seconds(), t.Solve.Seconds(), t.Model.Seconds(), (t.Solve - t.Model).Seconds(), t.CPU.Seconds())
	return b.Flush()
}

// JoinCosts prints costs (highest priority first) separated by sep, as
// clingo prints an optimisation vector.
func JoinCosts(costs []int64, sep string) string {
	s := make([]string, len(costs))
	for i, c := range costs {
		s[i] = strconv.FormatInt(c, 10)
	}
	return strings.Join(s, sep)
}

// jsonString quotes s as a JSON string, leaving <, > and & as they are.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
