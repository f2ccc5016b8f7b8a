package pddl

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a source file: 1-based line and byte column. The zero
// Pos means "no position" (a node built from Go values).
type Pos struct {
	Line, Col int
}

// IsValid reports whether the position is known.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats the position as line:col, or "-" when it is unknown.
func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// Error is one problem found in a PDDL source or AST, at a position.
type Error struct {
	File string // file name as given to the parser; may be empty
	Pos  Pos
	Msg  string
	// Err is the cause, when it is one a caller may test for with
	// errors.Is (ErrUnsupported).
	Err error
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Error formats the error as file:line:col: message, leaving out the parts
// that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Pos.IsValid() {
		b.WriteString(e.Pos.String())
		b.WriteByte(':')
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is a list of errors, sorted by position when it comes from this
// package. Parsers, the checker and Normalize return an ErrorList (as an
// error) when they find problems; use errors.As to get at the entries.
type ErrorList []*Error

// Error prints the first error and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Unwrap returns the entries, so that errors.Is and errors.As look into
// every one of them.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Sort orders the list by file and position, keeping the order of errors
// at the same position.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
}

// ErrUnsupported is wrapped by errors about PDDL features this package
// recognises but does not handle (derived predicates, numeric fluents beyond
// action costs, durative actions); test with errors.Is.
var ErrUnsupported = errors.New("not supported")

// errorSink collects errors for one file.
type errorSink struct {
	file string
	list ErrorList
	// limit stops collecting after this many errors (a runaway input).
	limit int
}

func (s *errorSink) add(pos Pos, format string, args ...any) {
	if s.limit > 0 && len(s.list) >= s.limit {
		return
	}
	e := &Error{File: s.file, Pos: pos, Msg: fmt.Sprintf(format, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.Err = err // keep the cause for errors.Is
			break
		}
	}
	s.list = append(s.list, e)
}

// unsupported records a "not supported" error for a feature.
func (s *errorSink) unsupported(pos Pos, feature string) {
	if s.limit > 0 && len(s.list) >= s.limit {
		return
	}
	s.list = append(s.list, &Error{File: s.file, Pos: pos, Msg: feature + " " + ErrUnsupported.Error(), Err: ErrUnsupported})
}

func (s *errorSink) err() error {
	s.list.Sort()
	return s.list.Err()
}
