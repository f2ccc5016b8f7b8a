// Command crashplugin is a test plugin: Echo answers, Crash kills the
// process, Panic panics inside the call.
package main

import (
	"os"

	"github.com/toolsmith-dev/toolsmith/agent/plugin"
	"github.com/toolsmith-dev/toolsmith/registry"
)

type apis struct{}

func (apis) Describe() ([]registry.API, error) {
	return []registry.API{
		{Name: "Test.Echo", Inputs: []registry.Input{{Name: "text", Required: true}}, Outputs: []registry.Output{{Name: "text"}, {Name: "pid"}}},
		{Name: "Test.Crash"},
		{Name: "Test.Panic"},
	}, nil
}

func (apis) Call(name string, args map[string]any) (map[string]any, error) {
	switch name {
	case "Test.Crash":
		os.Exit(3)
	case "Test.Panic":
		panic("boom")
	}
	return map[string]any{"text": args["text"], "pid": os.Getpid()}, nil
}

func main() { plugin.Serve(apis{}) }
