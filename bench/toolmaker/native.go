package main

import (
	"fmt"

	crt "github.com/toolsmith-dev/toolsmith/examples/bigbench/tools/chinese_remainder_theorem"
	dyck "github.com/toolsmith-dev/toolsmith/examples/bigbench/tools/dyck_languages"
	ld "github.com/toolsmith-dev/toolsmith/examples/bigbench/tools/logical_deduction"
	sm "github.com/toolsmith-dev/toolsmith/examples/bigbench/tools/schedule_meeting"
	tso "github.com/toolsmith-dev/toolsmith/examples/bigbench/tools/tracking_shuffled_objects"
	ws "github.com/toolsmith-dev/toolsmith/examples/bigbench/tools/word_sorting"
)

// native answers an instance of task with the same tools compiled into
// this program: the floor against which the sandboxed paths are measured.
func native(task, in string) (string, error) {
	switch task {
	case "chinese_remainder_theorem":
		l, d, r, err := crt.Parse(in)
		if err != nil {
			return "", err
		}
		n, err := crt.Solve(l, d, r)
		return crt.Format(n), err
	case "dyck_languages":
		seq, err := dyck.Parse(in)
		if err != nil {
			return "", err
		}
		out, err := dyck.Solve(seq)
		return dyck.Format(out), err
	case "logical_deduction_five_objects":
		o, s, opts, err := ld.Parse(in)
		if err != nil {
			return "", err
		}
		out, err := ld.Solve(o, s, opts)
		return ld.Format(out), err
	case "schedule_meeting":
		m, c, err := sm.Parse(in)
		if err != nil {
			return "", err
		}
		return sm.Format(sm.Solve(m, c)), nil
	case "tracking_shuffled_objects_five_objects":
		o, it, sw, who, opts, err := tso.Parse(in)
		if err != nil {
			return "", err
		}
		out, err := tso.Solve(o, it, sw, who, opts)
		return tso.Format(out), err
	case "word_sorting":
		w, err := ws.Parse(in)
		if err != nil {
			return "", err
		}
		return ws.Format(ws.Solve(w)), nil
	}
	return "", fmt.Errorf("no native tool for %s", task)
}
