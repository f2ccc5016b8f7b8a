// Package llmp is LLM+P (Liu et al., 2023): a model writes the PDDL problem
// for a planning problem described in natural language, given the domain
// in PDDL and one solved example (a problem in words with its PDDL); the
// problem is parsed and checked against the domain, and the errors go back
// to the model for a bounded number of repairs; the classical planner
// (planner/search) then solves it, and a second prompt turns the plan back
// into sentences.
//
//	tr := &llmp.Translator{Model: models.Translator}
//	res, err := tr.Translate(ctx, llmp.Request{Domain: d, DomainPDDL: src, Example: ex, Text: text})
//	plan, err := llmp.Solve(ctx, res.Task, search.Options{Timeout: time.Minute})
//	words := tr.Describe(ctx, text, plan.Steps)
//
// The package never runs anything the model wrote: a reply is only parsed
// as PDDL.
package llmp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// DefaultRepairs is how many times a rejected reply goes back to the model
// when Translator.Repairs is zero.
const DefaultRepairs = 2

// maxErrorLines bounds the errors of one reply sent back to the model.
const maxErrorLines = 10

// ProblemFile is the file name the model's problem is parsed under: errors
// name it ("problem.pddl:3:7: undeclared object robot2").
const ProblemFile = "problem.pddl"

// Translator writes PDDL problems with a model.
type Translator struct {
	// Model writes the problem and describes the plan (the translator role).
	Model llms.Model
	// Repairs bounds how many times a reply with errors goes back to the
	// model: 0 means DefaultRepairs, a negative value none.
	Repairs int
}

// Example is a solved example shown to the model: a problem in words and
// its problem PDDL.
type Example struct {
	Text string
	PDDL string
}

// Request is a problem to translate.
type Request struct {
	// Domain is the parsed domain and DomainPDDL its text, as the model
	// sees it.
	Domain     *pddl.Domain
	DomainPDDL string
	// Example is the solved example; nil translates without one.
	Example *Example
	// Text is the problem in natural language.
	Text string
}

// Translation is the outcome of Translate.
type Translation struct {
	// PDDL is the problem file of the accepted reply, or of the last reply
	// when none was accepted.
	PDDL string
	// Problem and Task are the parsed problem and the normalised task of
	// the accepted reply; nil when none was accepted.
	Problem *pddl.Problem
	Task    *pddl.Task
	// Replies counts the model's replies; Rejected says why each rejected
	// reply was (in order: every reply but the accepted one).
	Replies  int
	Rejected []Rejection
}

// Repairs is the number of replies after the first.
func (t *Translation) Repairs() int { return max(0, t.Replies-1) }

// Rejection is a reply that did not parse or check.
type Rejection struct {
	Reply  int      `json:"reply"`
	Errors []string `json:"errors"`
}

// InvalidError is returned by Translate when no reply parsed and checked
// within the repairs allowed.
type InvalidError struct {
	Replies int
	// Errors are those of the last reply.
	Errors []string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("llmp: no valid problem PDDL after %d replies; the last: %s", e.Replies, strings.Join(e.Errors, "; "))
}

// Translate has the model write the problem PDDL for req.Text and returns
// the first reply that parses, checks against the domain and normalises.
// The errors of a rejected reply go back to the model, at most Repairs
// times; then the error is an *InvalidError, with the Translation so far.
// A failed model call ends the translation with that error.
func (t *Translator) Translate(ctx context.Context, req Request) (*Translation, error) {
	if t.Model == nil {
		return nil, errors.New("llmp: no translator model")
	}
	if req.Domain == nil {
		return nil, errors.New("llmp: no domain")
	}
	repairs := t.Repairs
	if repairs == 0 {
		repairs = DefaultRepairs
	}
	repairs = max(0, repairs)
	msgs := llm.Messages(translateSystem, translatePrompt(req))
	tr := &Translation{}
	for {
		reply, err := llm.Generate(ctx, t.Model, msgs)
		if err != nil {
			return tr, fmt.Errorf("llmp: translator: %w", err)
		}
		tr.Replies++
		src, errs := ExtractProblem(reply.Text)
		if errs == nil {
			tr.Problem, tr.Task, errs = CheckProblem(req.Domain, ProblemFile, src)
		}
		if src != "" || tr.PDDL == "" {
			tr.PDDL = src
		}
		if errs == nil {
			return tr, nil
		}
		tr.Rejected = append(tr.Rejected, Rejection{Reply: tr.Replies, Errors: errs})
		if tr.Replies > repairs {
			return tr, &InvalidError{Replies: tr.Replies, Errors: errs}
		}
		msgs = append(msgs, llms.TextParts(llms.ChatMessageTypeAI, reply.Text),
			llms.TextParts(llms.ChatMessageTypeHuman, repairPrompt(errs)))
	}
}

// CheckProblem parses src as a problem of d, checks it and normalises the
// task, returning the errors as file:line:col lines (at most ten, the last
// saying how many more there are).
func CheckProblem(d *pddl.Domain, name string, src string) (*pddl.Problem, *pddl.Task, []string) {
	p, err := pddl.ParseProblem(name, []byte(src))
	if err == nil {
		err = pddl.Check(d, p)
	}
	if err != nil {
		return nil, nil, errorLines(err)
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		return nil, nil, errorLines(err)
	}
	return p, task, nil
}

// errorLines turns an error (an ErrorList, usually) into lines.
func errorLines(err error) []string {
	var list pddl.ErrorList
	if !errors.As(err, &list) {
		return []string{err.Error()}
	}
	var lines []string
	for i, e := range list {
		if i == maxErrorLines-1 && len(list) > maxErrorLines {
			lines = append(lines, fmt.Sprintf("... and %d more errors", len(list)-i))
			break
		}
		lines = append(lines, e.Error())
	}
	return lines
}
