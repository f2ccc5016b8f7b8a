package pddl

import (
	"regexp"
	"strconv"
	"strings"
)

// timeStamp matches the "0:" or "0.000:" prefix temporal planners write
// before a step, and durationTag a "[1.000]" suffix; both are skipped.
var (
	timeStamp   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?:$`)
	durationTag = regexp.MustCompile(`^\[[0-9.]*\]$`)
)

// ParsePlan reads a plan in IPC format: one step "(action obj ...)" per line,
// ';' comments (such as the "; cost = 12 (unit cost)" trailer), and
// optionally the "0.000:" prefixes and "[1.000]" durations of temporal plan
// files. Errors are an ErrorList with line:col positions (Error.File is
// empty; set it for messages).
func ParsePlan(src []byte) ([]Step, error) {
	errs := &errorSink{limit: maxErrors}
	var steps []Step
	for _, s := range readSexprs(src, errs) {
		if !s.list {
			if s.isTok(tokName) && (timeStamp.MatchString(s.text) || durationTag.MatchString(s.text)) {
				continue
			}
			errs.add(s.pos, "expected a step (action obj ...), found %s", s.describe())
			continue
		}
		if len(s.items) == 0 {
			errs.add(s.pos, "empty step ()")
			continue
		}
		step := Step{Line: s.pos.Line}
		ok := true
		for i, it := range s.items {
			if !it.isTok(tokName) {
				errs.add(it.pos, "expected an action or object name, found %s", it.describe())
				ok = false
				continue
			}
			if i == 0 {
				step.Action = it.text
			} else {
				step.Args = append(step.Args, it.text)
			}
		}
		if ok {
			steps = append(steps, step)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return steps, nil
}

// FormatPlan writes steps in IPC format, one per line, followed by the
// "; cost = N (unit cost|general cost)" line that planners print.
func FormatPlan(steps []Step, cost int64, usesCost bool) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.String())
		b.WriteByte('\n')
	}
	kind := "unit cost"
	if usesCost {
		kind = "general cost"
	}
	b.WriteString("; cost = " + strconv.FormatInt(cost, 10) + " (" + kind + ")\n")
	return b.String()
}
