package planner

import (
	"embed"
	"io/fs"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/asp"
)

//go:embed rules/*.lp
var rulesFS embed.FS

// BuiltinRules returns the built-in ASP rules, file by file in name order,
// concatenated; they document the facts the planner writes.
func BuiltinRules() string {
	names, _ := fs.Glob(rulesFS, "rules/*.lp")
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		data, _ := rulesFS.ReadFile(n)
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String()
}

// builtinStatements parses the built-in rules, each file under its own name.
func builtinStatements() ([]asp.Statement, error) {
	names, _ := fs.Glob(rulesFS, "rules/*.lp")
	sort.Strings(names)
	var stmts []asp.Statement
	for _, n := range names {
		data, _ := rulesFS.ReadFile(n)
		prog, err := asp.Parse(n, data)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, prog.Statements...)
	}
	return stmts, nil
}
