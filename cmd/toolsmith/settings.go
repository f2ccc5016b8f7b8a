package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/registry"
)

const settingsKeysHelp = `Keys:
  base_url=URL           server of the namespace's HTTP APIs whose document names none
  cost.read=N            planner cost of a read call (default 1)
  cost.write=N           planner cost of a write or destructive call (default 1)
  cost.ask=N             planner cost of a question (default 5)
  input.NAME=VALUE       fix an input that is an account setting (NAME: an input
                         name, or Api.input); VALUE is JSON, else a string
  secret.NAME=env:VAR    read credential NAME (a binding's auth secret) from the
                         environment variable VAR when a call is made (preferred)
  secret.NAME=value:TEXT store the credential in the registry in clear (discouraged)`

func newSettingsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "settings",
		Short: "Show and change a namespace's settings: costs, fixed account inputs, base URL, secrets",
		Long: `A namespace's settings say how its APIs are planned and called: the costs of
a read call, a write call and a question; inputs fixed as account settings
(never asked of the user); the base URL of HTTP APIs whose OpenAPI document
names no server; and where each credential comes from. Secret values are
shown masked; prefer env:VAR references, which keep the value out of the
store.

` + settingsKeysHelp,
	}
	cmd.AddCommand(newSettingsShowCmd(a), newSettingsSetCmd(a), newSettingsUnsetCmd(a))
	return cmd
}

func newSettingsShowCmd(a *app) *cobra.Command {
	var ns string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show [--namespace NS] [--json]",
		Short: "Print a namespace's settings (secret values masked)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("settings show", err)
			}
			defer s.Close()
			st, err := s.GetSettings(cmd.Context(), ns)
			if err != nil {
				return storeErr("settings show", err)
			}
			return printSettings(a.stdout, st.Masked(), asJSON)
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the settings record as JSON")
	return cmd
}

func newSettingsSetCmd(a *app) *cobra.Command {
	var ns string
	cmd := &cobra.Command{
		Use:   "set [--namespace NS] KEY=VALUE...",
		Short: "Change settings of a namespace (the others are kept)",
		Long:  "Change settings of a namespace; the settings not named are kept.\n\n" + settingsKeysHelp,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.editSettings(cmd.Context(), ns, "settings set", func(st *registry.Settings) error {
				for _, arg := range args {
					key, val, ok := strings.Cut(arg, "=")
					if !ok {
						return fmt.Errorf("%q is not KEY=VALUE", arg)
					}
					if err := setSetting(st, key, val); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace")
	return cmd
}

func newSettingsUnsetCmd(a *app) *cobra.Command {
	var ns string
	cmd := &cobra.Command{
		Use:   "unset [--namespace NS] KEY...",
		Short: "Return settings of a namespace to their defaults",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.editSettings(cmd.Context(), ns, "settings unset", func(st *registry.Settings) error {
				for _, key := range args {
					if err := unsetSetting(st, key); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace")
	return cmd
}

// editSettings reads the namespace's settings, applies edit and stores
// them, then prints them masked. An edit that fails is a usage error and
// writes nothing.
func (a *app) editSettings(ctx context.Context, ns, what string, edit func(*registry.Settings) error) error {
	s, err := a.openStore(ctx)
	if err != nil {
		return storeErr(what, err)
	}
	defer s.Close()
	st, err := s.GetSettings(ctx, ns)
	if err != nil {
		return storeErr(what, err)
	}
	if err := edit(st); err != nil {
		return usageErr("%s: %v", what, err)
	}
	if err := s.PutSettings(ctx, st); err != nil {
		return storeErr(what, err)
	}
	return printSettings(a.stdout, st.Masked(), false)
}

// setSetting applies one KEY=VALUE to st.
func setSetting(st *registry.Settings, key, val string) error {
	if name, ok := strings.CutPrefix(key, "input."); ok && name != "" {
		if st.Inputs == nil {
			st.Inputs = map[string]any{}
		}
		st.Inputs[name] = settingValue(val)
		return nil
	}
	if name, ok := strings.CutPrefix(key, "secret."); ok && name != "" {
		var sec registry.Secret
		switch {
		case strings.HasPrefix(val, "env:") && len(val) > len("env:"):
			sec.Env = strings.TrimPrefix(val, "env:")
		case strings.HasPrefix(val, "value:") && len(val) > len("value:"):
			sec.Value = strings.TrimPrefix(val, "value:")
		default:
			return fmt.Errorf("secret.%s: the value is env:VARIABLE or value:TEXT", name)
		}
		if st.Secrets == nil {
			st.Secrets = map[string]registry.Secret{}
		}
		st.Secrets[name] = sec
		return nil
	}
	cost := func(dst *int) error {
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return fmt.Errorf("%s: %q is not a cost (a whole number, 0 for the default)", key, val)
		}
		*dst = n
		return nil
	}
	switch key {
	case "base_url":
		st.BaseURL = val
		return nil
	case "cost.read":
		return cost(&st.Costs.Read)
	case "cost.write":
		return cost(&st.Costs.Write)
	case "cost.ask":
		return cost(&st.Costs.Ask)
	}
	return fmt.Errorf("unknown setting %q\n%s", key, settingsKeysHelp)
}

// unsetSetting returns one key of st to its default.
func unsetSetting(st *registry.Settings, key string) error {
	if name, ok := strings.CutPrefix(key, "input."); ok {
		delete(st.Inputs, name)
		return nil
	}
	if name, ok := strings.CutPrefix(key, "secret."); ok {
		delete(st.Secrets, name)
		return nil
	}
	switch key {
	case "base_url":
		st.BaseURL = ""
	case "cost.read":
		st.Costs.Read = 0
	case "cost.write":
		st.Costs.Write = 0
	case "cost.ask":
		st.Costs.Ask = 0
	default:
		return fmt.Errorf("unknown setting %q\n%s", key, settingsKeysHelp)
	}
	return nil
}

// settingValue reads VALUE as JSON when it is JSON, else as a string.
func settingValue(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		return v
	}
	return s
}

// printSettings writes st as KEY=VALUE lines (what settings set reads) or
// as JSON. Callers mask it first.
func printSettings(w io.Writer, st registry.Settings, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	fmt.Fprintf(w, "namespace %s\n", st.Namespace)
	if st.BaseURL != "" {
		fmt.Fprintf(w, "base_url=%s\n", st.BaseURL)
	}
	for _, c := range []struct {
		key string
		v   int
	}{{"cost.read", st.Costs.Read}, {"cost.write", st.Costs.Write}, {"cost.ask", st.Costs.Ask}} {
		if c.v != 0 {
			fmt.Fprintf(w, "%s=%d\n", c.key, c.v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(st.Inputs)) {
		data, _ := json.Marshal(st.Inputs[k])
		fmt.Fprintf(w, "input.%s=%s\n", k, data)
	}
	for _, k := range slices.Sorted(maps.Keys(st.Secrets)) {
		fmt.Fprintf(w, "secret.%s=%s\n", k, st.Secrets[k])
	}
	return nil
}
