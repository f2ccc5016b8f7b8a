package planner

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
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
