package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
)

var helloScriptPath = filepath.Join("..", "..", "examples", "scripted", "hello.yaml")

func modelTestEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestOpenModels(t *testing.T) {
	tests := []struct {
		name     string
		flag     string
		env      map[string]string
		scripted bool
		maker    string
		errCode  int
		errHas   string
	}{
		{name: "flag", flag: helloScriptPath, scripted: true, maker: "scripted(openai:gpt-4.1)"},
		{name: "env", env: map[string]string{"TOOLSMITH_SCRIPTED": helloScriptPath}, scripted: true, maker: "scripted(openai:gpt-4.1)"},
		{name: "flag over env", flag: helloScriptPath, env: map[string]string{"TOOLSMITH_SCRIPTED": "missing.yaml"}, scripted: true, maker: "scripted(openai:gpt-4.1)"},
		{name: "env model names the scripted maker", flag: helloScriptPath, env: map[string]string{"TOOLSMITH_MAKER_MODEL": "anthropic:claude-sonnet-4-5"}, scripted: true, maker: "scripted(anthropic:claude-sonnet-4-5)"},
		{name: "real models", env: map[string]string{"TOOLSMITH_MAKER_MODEL": "openai:gpt-4.1", "OPENAI_API_KEY": "sk-x"}, maker: "openai:gpt-4.1"},
		{name: "bad model string", env: map[string]string{"TOOLSMITH_MAKER_MODEL": "gpt-4.1"}, errCode: 2, errHas: `TOOLSMITH_MAKER_MODEL="gpt-4.1": no provider; expected provider:model`},
		{name: "missing key", env: map[string]string{"TOOLSMITH_USER_MODEL": "anthropic:claude-haiku-4-5"}, errCode: 2, errHas: "ANTHROPIC_API_KEY is not set"},
		{name: "no model", errCode: 2, errHas: "no model configured"},
		{name: "missing script", flag: "nope.yaml", errCode: 2, errHas: "--scripted: scripted model: open nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &app{stdout: io.Discard, stderr: io.Discard, scriptedFlag: tt.flag}
			ms, err := a.openModelsEnv(context.Background(), modelTestEnv(tt.env))
			if tt.errCode != 0 {
				var ee *exitError
				if !errors.As(err, &ee) || ee.code != tt.errCode || !strings.Contains(ee.msg, tt.errHas) || strings.Contains(ee.msg, "\n") {
					t.Fatalf("err = %v, want exit %d with one line containing %q", err, tt.errCode, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ms.Scripted != tt.scripted || ms.Maker.Name != tt.maker {
				t.Errorf("scripted %v, maker %q; want %v, %q", ms.Scripted, ms.Maker.Name, tt.scripted, tt.maker)
			}
			notice := scriptedNotice(ms)
			if tt.scripted != (notice != "") {
				t.Errorf("notice %q with scripted %v", notice, tt.scripted)
			}
			if tt.scripted && !strings.Contains(notice, "hello.yaml: no model is called") {
				t.Errorf("notice = %q", notice)
			}
		})
	}
}

func TestHelloScriptAnswers(t *testing.T) {
	a := &app{stdout: io.Discard, stderr: io.Discard, scriptedFlag: helloScriptPath}
	ms, err := a.openModelsEnv(context.Background(), modelTestEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	code, err := llm.Complete(ctx, ms.Maker, "You write Go.", "Write a Go function that greets a person by name.")
	if err != nil || !strings.Contains(code, "func Greet(name string) string") {
		t.Errorf("maker: %q, %v", code, err)
	}
	r, err := llm.CallTools(ctx, ms.Dispatcher, "", "hello there", nil)
	if err != nil || len(r.ToolCalls) != 1 || r.ToolCalls[0].FunctionCall.Arguments != `{"args":{"name":"World"},"tool":"Greet"}` {
		t.Errorf("dispatcher: %+v, %v", r, err)
	}
	for _, want := range []string{"Hello, World!", "Hello again, World!", "Hello again, World!"} {
		if got, err := llm.Complete(ctx, ms.User, "", "Use Greet"); err != nil || got != want {
			t.Errorf("user: %q, %v; want %q", got, err, want)
		}
	}
	if _, err := llm.Complete(ctx, ms.Translator, "", "bye"); err == nil || !strings.Contains(err.Error(), "translator") {
		t.Errorf("unanswered translator prompt: %v", err)
	}
	var b strings.Builder
	ms.Meter.WriteTable(&b)
	if !strings.Contains(b.String(), "scripted model from") || ms.Meter.Total().Cost == 0 {
		t.Errorf("cost table:\n%s", b.String())
	}
}

func TestNoteScripted(t *testing.T) {
	var errOut strings.Builder
	a := &app{stdout: io.Discard, stderr: &errOut}
	a.noteScripted(nil)
	a.noteScripted(&llm.Models{})
	if errOut.Len() != 0 {
		t.Errorf("notice without the scripted model: %q", errOut.String())
	}
	a.noteScripted(&llm.Models{Scripted: true, ScriptFile: "f.yaml"})
	if errOut.String() != "toolsmith: using the scripted model from f.yaml: no model is called\n" {
		t.Errorf("notice = %q", errOut.String())
	}
}

func TestModelSettingsNoteFlag(t *testing.T) {
	a := &app{scriptedFlag: "x.yaml"}
	settings := a.modelSettings()
	i := slices.IndexFunc(settings, func(s llm.Setting) bool { return s.Name == llm.EnvScripted })
	if i < 0 {
		t.Fatalf("no %s setting in %+v", llm.EnvScripted, settings)
	}
	if s := settings[i]; s.Value != "x.yaml" || s.Note != "from --scripted" {
		t.Errorf("setting = %+v", s)
	}
}

func TestOpenModelsReadsEnvironment(t *testing.T) {
	t.Setenv("TOOLSMITH_SCRIPTED", helloScriptPath)
	a := &app{stdout: io.Discard, stderr: io.Discard}
	ms, err := a.openModels(context.Background())
	if err != nil || !ms.Scripted {
		t.Fatalf("openModels: %+v, %v", ms, err)
	}
}
