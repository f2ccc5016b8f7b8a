package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteTable prints the snapshot as a text table: one line per role and
// model, then the total, then notes on estimates and the scripted model.
func (s Snapshot) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "role\tmodel\tcalls\tinput tok\toutput tok\tcost USD\tlatency\t")
	row := func(role, model string, u Usage) {
		mark := ""
		if u.EstimatedCalls > 0 {
			mark = "~"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s%d\t%s%d\t%.6f\t%s\t\n", role, model, u.Calls,
			mark, u.InputTokens, mark, u.OutputTokens, u.Cost, u.Latency.Round(time.Millisecond))
	}
	for _, l := range s.Lines {
		row(string(l.Role), l.Model, l.Usage)
	}
	row("total", "", s.Total.Usage)
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := s.Total.EstimatedCalls; n > 0 {
		fmt.Fprintf(w, "~ estimated at about 4 characters a token in %d of %d calls\n", n, s.Total.Calls)
	}
	if s.Total.Errors > 0 {
		fmt.Fprintf(w, "%d calls failed\n", s.Total.Errors)
	}
	if s.Scripted != "" {
		_, err := fmt.Fprintf(w, "scripted model from %s: no model was called; costs are at the configured models' prices\n", s.Scripted)
		return err
	}
	return nil
}

// WriteJSON writes the snapshot as one indented JSON document.
func (s Snapshot) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// WriteTable prints the meter's cost table (see Snapshot.WriteTable).
func (m *Meter) WriteTable(w io.Writer) error { return m.Snapshot().WriteTable(w) }

// WriteJSON writes the meter's snapshot as JSON (see Snapshot.WriteJSON).
func (m *Meter) WriteJSON(w io.Writer) error { return m.Snapshot().WriteJSON(w) }
