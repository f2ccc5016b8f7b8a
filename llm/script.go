package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Script is a parsed scripted-model file. Its rules answer model calls
// without any network:
//
//	models:                      # optional: names and prices for cost reports
//	  maker: openai:gpt-4.1
//	  user: openai:gpt-4.1-mini
//	rules:
//	  - role: maker              # maker|user|dispatcher|translator; empty: any
//	    when: 'word_sorting'     # Go regexp searched in the prompt; empty: any
//	    reply: |                 # text reply ...
//	      func Solve(s string) string { ... }
//	  - role: user
//	    tool_calls:              # ... and/or tool calls
//	      - name: lookup
//	        arguments: {city: Paris}
//	    times: 1                 # answer at most once
//
// The prompt a rule sees is every message of the call, "role: text", joined
// by newlines, roles as langchaingo names them (system, human, ai, tool).
// Rules are tried in file order and the first that matches answers. A Script
// counts how often each rule answered; it is safe for concurrent use.
type Script struct {
	// Path is the file the script was loaded from, if any.
	Path string
	// Models optionally names, per role, the model whose name and price the
	// scripted model takes in cost reports (the environment's model settings
	// win). No such model is ever called.
	Models map[Role]Spec
	Rules  []Rule

	mu     sync.Mutex
	used   []int
	nextID int
}

// Rule is one scripted answer.
type Rule struct {
	Role      Role // empty: any role
	When      string
	Reply     string
	ToolCalls []ScriptedToolCall
	// Times limits how often the rule answers; 0 means no limit.
	Times int
	// Line is the rule's line in the file.
	Line int

	re *regexp.Regexp
}

// ScriptedToolCall is a tool call a rule replies with.
type ScriptedToolCall struct {
	Name string
	// Arguments is the JSON object sent as the call's arguments.
	Arguments string
}

type rawScript struct {
	Models map[string]string `yaml:"models"`
	Rules  []rawRule         `yaml:"rules"`
}

type rawRule struct {
	Role      string        `yaml:"role"`
	When      string        `yaml:"when"`
	Reply     *string       `yaml:"reply"`
	ToolCalls []rawToolCall `yaml:"tool_calls"`
	Times     int           `yaml:"times"`
}

type rawToolCall struct {
	Name      string    `yaml:"name"`
	Arguments yaml.Node `yaml:"arguments"`
}

// LoadScript reads and parses a scripted-model file.
func LoadScript(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scripted model: %w", err)
	}
	s, err := ParseScript(data)
	if err != nil {
		return nil, fmt.Errorf("scripted model %s: %w", path, err)
	}
	s.Path = path
	return s, nil
}

// ParseScript parses a scripted-model file's contents. It rejects unknown
// fields, unknown roles, bad regular expressions, rules without a reply or
// tool call, tool calls without a name or with arguments that are not a
// mapping; errors name the rule by number (from 1) and line.
func ParseScript(data []byte) (*Script, error) {
	var raw rawScript
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	// Decode again for the rules' line numbers.
	var lines struct {
		Rules []yaml.Node `yaml:"rules"`
	}
	_ = yaml.Unmarshal(data, &lines)

	s := &Script{Models: map[Role]Spec{}}
	for name, v := range raw.Models {
		r, err := ParseRole(name)
		if err != nil {
			return nil, fmt.Errorf("models: %w", err)
		}
		spec, err := ParseSpec(v)
		if err != nil {
			return nil, fmt.Errorf("models: %s: %w", name, err)
		}
		s.Models[r] = spec
	}
	if len(raw.Rules) == 0 {
		return nil, errors.New("no rules: expected rules: [{role, when, reply, tool_calls, times}, ...]")
	}
	for i, rr := range raw.Rules {
		r := Rule{When: rr.When, Times: rr.Times}
		if i < len(lines.Rules) {
			r.Line = lines.Rules[i].Line
		}
		fail := func(format string, args ...any) (*Script, error) {
			return nil, fmt.Errorf("rule %d (line %d): %s", i+1, r.Line, fmt.Sprintf(format, args...))
		}
		if rr.Role != "" {
			role, err := ParseRole(rr.Role)
			if err != nil {
				return fail("%v", err)
			}
			r.Role = role
		}
		re, err := regexp.Compile(rr.When)
		if err != nil {
			return fail("when: %v", err)
		}
		r.re = re
		if rr.Times < 0 {
			return fail("times: %d is negative; omit it for no limit", rr.Times)
		}
		if rr.Reply == nil && len(rr.ToolCalls) == 0 {
			return fail("needs a reply or tool_calls")
		}
		if rr.Reply != nil {
			r.Reply = *rr.Reply
		}
		for j, tc := range rr.ToolCalls {
			if tc.Name == "" {
				return fail("tool call %d: no name", j+1)
			}
			args, err := argumentsJSON(&tc.Arguments)
			if err != nil {
				return fail("tool call %d (%s): arguments: %v", j+1, tc.Name, err)
			}
			r.ToolCalls = append(r.ToolCalls, ScriptedToolCall{Name: tc.Name, Arguments: args})
		}
		s.Rules = append(s.Rules, r)
	}
	s.used = make([]int, len(s.Rules))
	return s, nil
}

// argumentsJSON turns a YAML mapping into a JSON object; an absent mapping
// is "{}".
func argumentsJSON(n *yaml.Node) (string, error) {
	if n.Kind == 0 || n.Tag == "!!null" {
		return "{}", nil
	}
	if n.Kind != yaml.MappingNode {
		return "", errors.New("expected a mapping of argument names to values")
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return "", err
	}
	v, err := jsonValue(v)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// jsonValue converts decoded YAML into values encoding/json accepts.
func jsonValue(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			v[k] = c
		}
		return v, nil
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("key %v is not a string", k)
			}
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			m[ks] = c
		}
		return m, nil
	case []any:
		for i, e := range v {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			v[i] = c
		}
		return v, nil
	case float64:
		if v != v || v > 1e308 || v < -1e308 {
			return nil, fmt.Errorf("number %v has no JSON form", v)
		}
	}
	return v, nil
}

// NoMatchError reports a prompt that no rule of a script answers.
type NoMatchError struct {
	Role Role
	// Prompt is the start of the prompt (about 200 characters).
	Prompt string
	// UsedUp counts rules that matched but had answered their times.
	UsedUp int
}

func (e *NoMatchError) Error() string {
	s := fmt.Sprintf("scripted model: no rule answers this %s prompt: %q", e.Role, e.Prompt)
	if e.UsedUp > 0 {
		s += fmt.Sprintf(" (%d matching rules were used up by their times)", e.UsedUp)
	}
	return s
}

// Answer returns the first rule that answers prompt for role and counts
// its use.
func (s *Script) Answer(role Role, prompt string) (Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used == nil {
		s.used = make([]int, len(s.Rules))
	}
	usedUp := 0
	for i, r := range s.Rules {
		if r.Role != "" && r.Role != role {
			continue
		}
		if r.re == nil { // a rule built in code rather than parsed
			re, err := regexp.Compile(r.When)
			if err != nil {
				return Rule{}, fmt.Errorf("scripted model: rule %d: when: %w", i+1, err)
			}
			s.Rules[i].re, r.re = re, re
		}
		if !r.re.MatchString(prompt) {
			continue
		}
		if r.Times > 0 && s.used[i] >= r.Times {
			usedUp++
			continue
		}
		s.used[i]++
		return r, nil
	}
	return Rule{}, &NoMatchError{Role: role, Prompt: head(prompt, 200), UsedUp: usedUp}
}

// Uses returns how often each rule has answered, in rule order.
func (s *Script) Uses() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int, len(s.Rules))
	copy(out, s.used)
	return out
}

// newCallID returns a tool-call id unique within the script.
func (s *Script) newCallID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return fmt.Sprintf("call_%d", s.nextID)
}

// head returns the first n characters of s, with "…" when it was cut.
func head(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}
