package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// setting is one line of `toolsmith config`.
type setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

func newConfigCmd(a *app) *cobra.Command {
	var asJSON, check bool
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration (secrets masked)",
		Long: `Print the effective configuration: the store, the home directory and the model
of each role, each with where it came from. Secrets are masked.

With --check, the sandbox's confinement is probed (a worker is started and
reports which operating-system layers confine it on this machine, and why a
missing one is missing), the models are opened (a model for every role, the
keys their providers need; no network is used) and the store is opened: a
wrong model string, a missing key or an unreachable store is a one-line
error naming the setting, and the exit code is 2. Missing confinement layers
are listed, not an error: "toolsmith tool run --require-confinement" and
"toolsmith serve --require-confinement" refuse to run tools without them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			settings, err := a.effectiveSettings()
			if err != nil {
				return usageErr("%v", err)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(settings); err != nil {
					return err
				}
			} else {
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				for _, s := range settings {
					note := ""
					if s.Note != "" {
						note = "(" + s.Note + ")"
					}
					value := s.Value
					if value == "" {
						value = "-"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, value, note)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			if check {
				if err := a.checkSandbox(cmd.Context()); err != nil {
					return err
				}
				return a.checkConfig(cmd.Context())
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the settings as JSON")
	cmd.Flags().BoolVar(&check, "check", false, "probe the sandbox's confinement, validate the model settings and open the store")
	return cmd
}

// effectiveSettings lists the store, home and model settings.
func (a *app) effectiveSettings() ([]setting, error) {
	var out []setting
	store, source, err := a.storeSetting()
	if err != nil {
		return nil, err
	}
	out = append(out, setting{Name: "TOOLSMITH_STORE", Value: store, Note: sourceNote(source)})
	home, err := a.toolsmithHome()
	if err != nil {
		return nil, err
	}
	homeNote := "default"
	switch {
	case a.homeFlag != "":
		homeNote = "from --home"
	case os.Getenv("TOOLSMITH_HOME") != "":
		homeNote = ""
	}
	out = append(out, setting{Name: "TOOLSMITH_HOME", Value: home, Note: homeNote})
	for _, s := range a.modelSettings() {
		out = append(out, setting{Name: s.Name, Value: s.Value, Note: s.Note})
	}
	return out, nil
}

func sourceNote(source string) string {
	switch source {
	case "default":
		return "default: embedded bbolt file"
	case "--store":
		return "from --store"
	case "TOOLSMITH_STORE":
		return ""
	default:
		return "from " + source
	}
}

// checkConfig validates the model settings and opens the store within a few
// seconds; either failure is a usage error naming the setting.
func (a *app) checkConfig(ctx context.Context) error {
	if err := a.modelConfig(os.Getenv).Validate(); err != nil {
		return usageErr("%v", err)
	}
	// Open checks what Validate cannot: a model for every role and the
	// provider keys it needs (no network is used).
	if _, err := a.openModels(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	store, err := a.openStore(ctx)
	if err != nil {
		setting, source, _ := a.storeSetting()
		return usageErr("store %s (%s): %v", setting, source, err)
	}
	defer store.Close()
	fmt.Fprintln(a.stdout, "ok: models configured, store reachable")
	return nil
}

// checkSandbox starts one sandbox worker and lists the confinement layers
// it reports for this machine.
func (a *app) checkSandbox(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1})
	if err != nil {
		return exitWith(1, "sandbox: %v", err)
	}
	rep := pool.Confinement()
	pool.Close()
	fmt.Fprintf(a.stdout, "\nsandbox confinement on this machine (%d of %d layers):\n", len(rep.Layers)-len(rep.Missing()), len(rep.Layers))
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	for _, s := range rep.Layers {
		state := "active"
		if !s.Active {
			state = "MISSING"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Layer, state, s.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	return nil
}
