package toolmaker

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// The functions of the tool contract.
const (
	funcSolve  = "Solve"
	funcParse  = "Parse"
	funcFormat = "Format"
)

// The functions glue code adds to a tool so that one sandbox call runs a
// whole path. Each returns (answer any, stage string, message string):
// stage is "" on success, otherwise the function that failed ("parse",
// "solve", "format") and message its error.
const (
	gluePipeline    = "ToolsmithPipeline"    // (input string): Parse → Solve → Format
	glueSolveFormat = "ToolsmithSolveFormat" // (Solve's parameters): Solve → Format
)

// Stages reported by the glue code.
const (
	stageParse  = "parse"
	stageSolve  = "solve"
	stageFormat = "format"
)

// shape is what the tool contract needs to know about a tool's functions.
type shape struct {
	solve, parse, format *sandbox.FuncSig
	sigs                 []sandbox.FuncSig
}

// values returns a function's results without a trailing error.
func values(f *sandbox.FuncSig) []sandbox.Param {
	if f.ReturnsError && len(f.Results) > 0 {
		return f.Results[:len(f.Results)-1]
	}
	return f.Results
}

// inspectShape describes src's functions and checks them against the tool
// contract. Its error is meant for the Maker: it says what to change.
func inspectShape(src string) (*shape, error) {
	sigs, err := sandbox.Signatures(src)
	if err != nil {
		return nil, err
	}
	s := &shape{sigs: sigs}
	for i := range sigs {
		switch sigs[i].Name {
		case funcSolve:
			s.solve = &sigs[i]
		case funcParse:
			s.parse = &sigs[i]
		case funcFormat:
			s.format = &sigs[i]
		case gluePipeline, glueSolveFormat:
			return nil, fmt.Errorf("the name %s is reserved for toolsmith; rename your function", sigs[i].Name)
		}
	}
	if s.solve == nil {
		return nil, fmt.Errorf("there is no exported function Solve")
	}
	solveIn := s.solve.Params
	solveOut := values(s.solve)
	if len(solveOut) == 0 {
		return nil, fmt.Errorf("Solve returns no value: it must return the answer (or a value Format renders)")
	}
	if p := s.parse; p != nil {
		if len(p.Params) != 1 || p.Params[0].Type != "string" {
			return nil, fmt.Errorf("Parse must take exactly one string (the raw task input)")
		}
		if n, m := len(values(p)), len(solveIn); n != m {
			return nil, fmt.Errorf("Parse returns %d values but Solve takes %d parameters: Parse must return exactly Solve's arguments (and optionally an error)", n, m)
		}
	}
	if f := s.format; f != nil {
		if n, m := len(f.Params), len(solveOut); n != m {
			return nil, fmt.Errorf("Format takes %d parameters but Solve returns %d values: Format must take exactly Solve's results", n, m)
		}
		if out := values(f); len(out) != 1 || out[0].Type != "string" {
			return nil, fmt.Errorf("Format must return a string (and optionally an error)")
		}
	}
	for _, p := range solveIn {
		if p.Name == "_" {
			return nil, fmt.Errorf("Solve's parameters need names (they become the arguments' names)")
		}
	}
	return s, nil
}

// glue returns the source of the glue functions for s, to append to the
// tool's source.
func (s *shape) glue() string {
	var b strings.Builder
	b.WriteString("\n// Added by toolsmith: run a whole path in one sandbox call.\n")
	if s.parse != nil {
		fmt.Fprintf(&b, "func %s(input string) (any, string, string) {\n", gluePipeline)
		args := vars("tsArg", len(s.solve.Params))
		lhs := strings.Join(args, ", ")
		if s.parse.ReturnsError {
			lhs += ", tsErr"
		}
		fmt.Fprintf(&b, "\t%s := %s(input)\n", lhs, funcParse)
		if s.parse.ReturnsError {
			fmt.Fprintf(&b, "\tif tsErr != nil {\n\t\treturn nil, %q, tsErr.Error()\n\t}\n", stageParse)
		}
		s.writeSolveFormat(&b, args)
		b.WriteString("}\n")
	}
	params := make([]string, len(s.solve.Params))
	args := make([]string, len(s.solve.Params))
	for i, p := range s.solve.Params {
		params[i] = p.Name + " " + p.Type
		args[i] = p.Name
	}
	fmt.Fprintf(&b, "func %s(%s) (any, string, string) {\n", glueSolveFormat, strings.Join(params, ", "))
	s.writeSolveFormat(&b, args)
	b.WriteString("}\n")
	return b.String()
}

// writeSolveFormat writes the body that calls Solve with args, then Format.
func (s *shape) writeSolveFormat(b *strings.Builder, args []string) {
	call := make([]string, len(args))
	copy(call, args)
	if n := len(s.solve.Params); n > 0 && strings.HasPrefix(s.solve.Params[n-1].Type, "...") {
		call[n-1] += "..."
	}
	res := vars("tsRes", len(values(s.solve)))
	lhs := strings.Join(res, ", ")
	if s.solve.ReturnsError {
		lhs += ", tsSolveErr"
	}
	fmt.Fprintf(b, "\t%s := %s(%s)\n", lhs, funcSolve, strings.Join(call, ", "))
	if s.solve.ReturnsError {
		fmt.Fprintf(b, "\tif tsSolveErr != nil {\n\t\treturn nil, %q, tsSolveErr.Error()\n\t}\n", stageSolve)
	}
	switch {
	case s.format != nil && s.format.ReturnsError:
		fmt.Fprintf(b, "\ttsOut, tsFormatErr := %s(%s)\n", funcFormat, strings.Join(res, ", "))
		fmt.Fprintf(b, "\tif tsFormatErr != nil {\n\t\treturn nil, %q, tsFormatErr.Error()\n\t}\n", stageFormat)
		b.WriteString("\treturn tsOut, \"\", \"\"\n")
	case s.format != nil:
		fmt.Fprintf(b, "\treturn %s(%s), \"\", \"\"\n", funcFormat, strings.Join(res, ", "))
	case len(res) == 1:
		fmt.Fprintf(b, "\treturn %s, \"\", \"\"\n", res[0])
	default:
		fmt.Fprintf(b, "\treturn []any{%s}, \"\", \"\"\n", strings.Join(res, ", "))
	}
}

// vars returns n variable names prefix0, prefix1, ...
func vars(prefix string, n int) []string {
	v := make([]string, n)
	for i := range v {
		v[i] = prefix + strconv.Itoa(i)
	}
	return v
}

// glueResult is the decoded result of a glue function.
type glueResult struct {
	Answer  json.RawMessage
	Stage   string
	Message string
}

// decodeGlue decodes the [answer, stage, message] array a glue function
// returns.
func decodeGlue(raw json.RawMessage) (glueResult, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) != 3 {
		return glueResult{}, fmt.Errorf("unexpected glue result %.200s", raw)
	}
	var g glueResult
	g.Answer = parts[0]
	if err := json.Unmarshal(parts[1], &g.Stage); err != nil {
		return glueResult{}, fmt.Errorf("unexpected glue stage %.100s", parts[1])
	}
	if err := json.Unmarshal(parts[2], &g.Message); err != nil {
		return glueResult{}, fmt.Errorf("unexpected glue message %.100s", parts[2])
	}
	return g, nil
}

// renderAnswer turns a result value into answer text: a JSON string as is,
// an array of strings joined by spaces, anything else as compact JSON.
func renderAnswer(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var ss []string
	if json.Unmarshal(raw, &ss) == nil {
		return strings.Join(ss, " ")
	}
	return strings.TrimSpace(string(raw))
}

// SameAnswer reports whether an answer matches the expected one, ignoring
// surrounding and repeated white space: the comparison verification makes.
func SameAnswer(got, want string) bool {
	return strings.Join(strings.Fields(got), " ") == strings.Join(strings.Fields(want), " ")
}
