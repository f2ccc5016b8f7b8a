package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteTable prints the snapshot as a text table: one line per role and
// model, then the total, then notes on estimates and the scripted model.
// Text columns are aligned left, numbers right; "~" marks estimated counts.
func (s Snapshot) WriteTable(w io.Writer) error {
	rows := [][]string{{"role", "model", "calls", "input tok", "output tok", "cost USD", "latency"}}
	row := func(role, model string, u Usage) {
		mark := ""
		if u.EstimatedCalls > 0 {
			mark = "~"
		}
		rows = append(rows, []string{role, model, fmt.Sprint(u.Calls),
			mark + fmt.Sprint(u.InputTokens), mark + fmt.Sprint(u.OutputTokens),
			fmt.Sprintf("%.6f", u.Cost), u.Latency.Round(time.Millisecond).String()})
	}
	for _, l := range s.Lines {
		row(string(l.Role), l.Model, l.Usage)
	}
	row("total", "", s.Total.Usage)
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i < 2:
				b.WriteString(c + pad + "  ")
			case i < len(r)-1:
				b.WriteString(pad + c + "  ")
			default:
				b.WriteString(pad + c)
			}
		}
		b.WriteString("\n")
	}
	if n := s.Total.EstimatedCalls; n > 0 {
		fmt.Fprintf(&b, "~ estimated at about 4 characters a token in %d of %d calls\n", n, s.Total.Calls)
	}
	if s.Total.Errors > 0 {
		fmt.Fprintf(&b, "%d calls failed\n", s.Total.Errors)
	}
	if s.Scripted != "" {
		fmt.Fprintf(&b, "scripted model from %s: no model was called; costs are at the configured models' prices\n", s.Scripted)
	}
	_, err := io.WriteString(w, b.String())
	return err
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
