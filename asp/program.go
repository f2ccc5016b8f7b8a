package asp

import "fmt"

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
