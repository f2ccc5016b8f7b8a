package asp

import (
	"fmt"
	"os"
	"path/filepath"
)

// Program is a parsed, non-ground program: statements from one or more
// sources plus facts added as Go values. A Program is not safe for
// concurrent modification; separate programs may be used concurrently.
type Program struct {
	// Statements in source order.
	Statements []Statement
	facts      []fact
}

type fact struct {
	pred string
	args []Symbol
}

// AddSource parses src (named name in positions) and appends its
// statements. On error the program is unchanged and the error is an
// ErrorList.
func (p *Program) AddSource(name string, src []byte) error {
	stmts, errs := parseStatements(name, src)
	if err := errs.err(); err != nil {
		return err
	}
	p.Statements = append(p.Statements, stmts...)
	return nil
}

// AddFile parses the file at path and appends its statements, reading the
// files it includes ("#include "f.lp".", relative to the including file)
// once each, as clingo does. Errors are an ErrorList for syntax errors and
// a missing included file.
func (p *Program) AddFile(path string) error {
	seen := map[string]bool{}
	var stmts []Statement
	var errs ErrorList
	var load func(path string, from *Include)
	load = func(path string, from *Include) {
		abs, err := filepath.Abs(path)
		if err == nil && seen[abs] {
			return
		}
		seen[abs] = true
		src, err := os.ReadFile(path)
		if err != nil {
			if from == nil {
				errs = append(errs, &Error{Pos: Pos{File: path, Line: 1, Col: 1}, Msg: err.Error()})
			} else {
				errs.add(from.Pos, "cannot include %q: %v", from.Path, err)
			}
			return
		}
		ss, es := parseStatements(path, src)
		errs = append(errs, es...)
		for _, s := range ss {
			if inc, ok := s.(*Include); ok {
				load(filepath.Join(filepath.Dir(path), inc.Path), inc)
				continue
			}
			stmts = append(stmts, s)
		}
	}
	load(path, nil)
	if err := errs.err(); err != nil {
		return err
	}
	p.Statements = append(p.Statements, stmts...)
	return nil
}

// AddFact adds the fact pred(args...) without going through text: strings
// need no quoting and any Symbol can be an argument. pred must be a valid
// predicate name (lower-case first letter after optional underscores).
func (p *Program) AddFact(pred string, args ...Symbol) error {
	if !validName(pred) {
		return fmt.Errorf("asp: invalid predicate name %q", pred)
	}
	p.facts = append(p.facts, fact{pred: pred, args: append([]Symbol(nil), args...)})
	return nil
}

func validName(s string) bool {
	i := 0
	for i < len(s) && s[i] == '_' {
		i++
	}
	if i == len(s) || !isLower(s[i]) {
		return false
	}
	for ; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}
