package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/token"
	"time"
)

// Tool is a reusable Go function made for a family of tasks, with what its
// users need to call it. Version, Hash, CreatedAt and SchemaVersion are set by
// [Store.PutTool]; Removed is filled in on read.
type Tool struct {
	SchemaVersion int    `json:"schema_version"`
	Name          string `json:"name"`
	// Version is monotonic per name, starting at 1.
	Version     int    `json:"version"`
	Namespace   string `json:"namespace,omitempty"`
	Family      string `json:"family,omitempty"`
	Description string `json:"description,omitempty"`
	// Source is the Go source of the tool (package main or any package
	// name the sandbox accepts), at most MaxToolSource bytes.
	Source string `json:"source"`
	// Entry is the function the tool user calls.
	Entry string `json:"entry"`
	// Parse, when set, names a function turning the raw task text into the
	// entry function's arguments, so templated inputs need no model call.
	Parse string `json:"parse,omitempty"`
	// Format, when set, names a function turning the entry's result into
	// the answer text.
	Format string `json:"format,omitempty"`
	// Schemas holds a JSON Schema per function name (for function calling).
	Schemas map[string]json.RawMessage `json:"schemas,omitempty"`
	// Demos show how the tool is used: input, the arguments, the answer.
	Demos []Demo `json:"demos,omitempty"`
	// Tests are checked by verification: input and expected answer.
	Tests        []ToolTest   `json:"tests,omitempty"`
	Provenance   Provenance   `json:"provenance"`
	Verification Verification `json:"verification"`
	// Hash is "sha256:" and the hex digest of the tool's code (Source,
	// Entry, Parse, Format, Schemas); see [Tool.ContentHash].
	Hash      string    `json:"hash"`
	CreatedAt time.Time `json:"created_at"`
	// Removed reports, on read, that the name is soft-removed (only older
	// or removed versions are readable through GetToolVersion/ListTools).
	Removed bool `json:"removed,omitempty"`
	// Current reports, on read, that this version is the name's current one.
	Current bool `json:"current,omitempty"`
}

// Demo is one usage example of a tool.
type Demo struct {
	Input  string          `json:"input"`
	Args   json.RawMessage `json:"args,omitempty"`
	Answer string          `json:"answer,omitempty"`
}

// ToolTest is one verification case: the task input and the expected answer.
type ToolTest struct {
	Input    string `json:"input"`
	Expected string `json:"expected"`
}

// Provenance records how a tool was made.
type Provenance struct {
	MakerModel       string        `json:"maker_model,omitempty"`
	PromptTokens     int           `json:"prompt_tokens,omitempty"`
	CompletionTokens int           `json:"completion_tokens,omitempty"`
	CostUSD          float64       `json:"cost_usd,omitempty"`
	Duration         time.Duration `json:"duration_ns,omitempty"`
	Attempts         int           `json:"attempts,omitempty"`
	MadeAt           time.Time     `json:"made_at,omitzero"`
}

// VerifyStatus is the outcome of a tool's verification.
type VerifyStatus string

// Verification statuses.
const (
	VerifyPending  VerifyStatus = "pending"
	VerifyPassed   VerifyStatus = "passed"
	VerifyFailed   VerifyStatus = "failed"
	VerifySkipped  VerifyStatus = "skipped"
	verifyStatusNo VerifyStatus = ""
)

// Verification records how a tool fared against its tests.
type Verification struct {
	Status     VerifyStatus `json:"status,omitempty"`
	Passed     int          `json:"passed,omitempty"`
	Failed     int          `json:"failed,omitempty"`
	Message    string       `json:"message,omitempty"`
	VerifiedAt time.Time    `json:"verified_at,omitzero"`
}

// ContentHash returns "sha256:<hex>" over the tool's code: Source, Entry,
// Parse, Format and Schemas. Two tools with the same hash behave the same.
func (t *Tool) ContentHash() string {
	h := sha256.New()
	// encoding/json sorts map keys, so the encoding is canonical.
	enc := json.NewEncoder(h)
	_ = enc.Encode([]any{t.Source, t.Entry, t.Parse, t.Format, t.Schemas})
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Validate checks the record and returns a *ValidationError listing every
// invalid field, or nil.
func (t *Tool) Validate() error {
	var fe fieldErrors
	checkName(&fe, "name", t.Name)
	checkNamespace(&fe, t.Namespace)
	if t.Family != "" {
		checkName(&fe, "family", t.Family)
	}
	if t.SchemaVersion > SchemaVersion {
		fe.add("schema_version", "%d is newer than this release's %d", t.SchemaVersion, SchemaVersion)
	}
	checkLen(&fe, "description", t.Description, MaxDescriptionLen)
	if t.Source == "" {
		fe.add("source", "required")
	}
	checkLen(&fe, "source", t.Source, MaxToolSource)
	checkFunc := func(field, name string, required bool) {
		switch {
		case name == "" && required:
			fe.add(field, "required")
		case name != "" && !token.IsIdentifier(name):
			fe.add(field, "%q is not a Go identifier", name)
		}
	}
	checkFunc("entry", t.Entry, true)
	checkFunc("parse", t.Parse, false)
	checkFunc("format", t.Format, false)
	for fn, s := range t.Schemas {
		if !token.IsIdentifier(fn) {
			fe.add("schemas", "key %q is not a Go identifier", fn)
		}
		if !json.Valid(s) {
			fe.add(fmt.Sprintf("schemas[%s]", fn), "not valid JSON")
		}
	}
	if len(t.Demos) > MaxDemos {
		fe.add("demos", "%d demos exceed the limit of %d", len(t.Demos), MaxDemos)
	}
	for i, d := range t.Demos {
		if d.Input == "" {
			fe.add(fmt.Sprintf("demos[%d].input", i), "required")
		}
		if len(d.Args) > 0 && !json.Valid(d.Args) {
			fe.add(fmt.Sprintf("demos[%d].args", i), "not valid JSON")
		}
	}
	if len(t.Tests) > MaxTests {
		fe.add("tests", "%d tests exceed the limit of %d", len(t.Tests), MaxTests)
	}
	for i, tc := range t.Tests {
		if tc.Input == "" {
			fe.add(fmt.Sprintf("tests[%d].input", i), "required")
		}
	}
	switch t.Verification.Status {
	case verifyStatusNo, VerifyPending, VerifyPassed, VerifyFailed, VerifySkipped:
	default:
		fe.add("verification.status", "%q is not one of pending, passed, failed, skipped", t.Verification.Status)
	}
	if t.Provenance.PromptTokens < 0 || t.Provenance.CompletionTokens < 0 || t.Provenance.CostUSD < 0 {
		fe.add("provenance", "negative tokens or cost")
	}
	return fe.err("tool", t.Name)
}

// toolMeta is what a store keeps per tool name besides the versions.
type toolMeta struct {
	Latest  int    `json:"latest"`
	Current int    `json:"current"`
	Removed bool   `json:"removed,omitempty"`
	Family  string `json:"family,omitempty"`
}

// ToolVersion summarises one stored version of a tool.
type ToolVersion struct {
	Version   int          `json:"version"`
	Hash      string       `json:"hash"`
	CreatedAt time.Time    `json:"created_at"`
	Status    VerifyStatus `json:"status,omitempty"`
	Current   bool         `json:"current"`
}

// ToolFilter selects tools for [Store.ListTools].
type ToolFilter struct {
	// Family, when set, keeps only tools of that family.
	Family string
	// IncludeRemoved also lists soft-removed tools (with Removed set).
	IncludeRemoved bool
}

// prepareTool validates a tool about to be written as a new version and fills
// in what the store derives: namespace, schema version, hash and time.
func prepareTool(t *Tool) error {
	t.Namespace = nsOrDefault(t.Namespace)
	if err := t.Validate(); err != nil {
		return err
	}
	t.SchemaVersion = SchemaVersion
	t.Hash = t.ContentHash()
	t.CreatedAt = time.Now().UTC()
	t.Removed, t.Current = false, false
	return nil
}
