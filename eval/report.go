package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Result is what an evaluation returns. Its JSON encoding is the
// benchmark's own document; Report lays it out for people.
type Result interface {
	Report() Report
}

// Report is a result laid out for people: sections, each a heading, facts,
// a table and notes, printed in order by [Write].
type Report struct {
	Sections []Section
}

// Section is one part of a report. Every field may be empty.
type Section struct {
	// Title is printed as a "## " heading.
	Title string
	// Facts are printed as a bullet list before the table.
	Facts []string
	Table Table
	// Notes are lines printed as they are after the table.
	Notes []string
}

// Table is a table of text cells.
type Table struct {
	Columns []Column
	// Rows hold one cell per column.
	Rows [][]string
}

// Column is a table column: its heading and whether its cells align right
// (numbers do).
type Column struct {
	Name  string
	Right bool
}

// Format selects how [Write] prints a result.
type Format int

const (
	// Markdown prints the report as Markdown: headings, bullet lists and
	// tables padded so that they read as well in a terminal.
	Markdown Format = iota
	// JSON prints the result's JSON document, indented.
	JSON
)

// Write prints r to w in format f.
func Write(w io.Writer, r Result, f Format) error {
	if f == JSON {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	bw := bufio.NewWriter(w)
	for i, s := range r.Report().Sections {
		if i > 0 {
			bw.WriteString("\n")
		}
		s.write(bw)
	}
	return bw.Flush()
}

// write prints the section's parts, a blank line between two parts.
func (s Section) write(w *bufio.Writer) {
	blank := false
	part := func() {
		if blank {
			w.WriteString("\n")
		}
		blank = true
	}
	if s.Title != "" {
		part()
		fmt.Fprintf(w, "## %s\n", s.Title)
	}
	if len(s.Facts) > 0 {
		part()
		for _, f := range s.Facts {
			fmt.Fprintf(w, "- %s\n", f)
		}
	}
	if len(s.Table.Columns) > 0 {
		part()
		s.Table.write(w)
	}
	if len(s.Notes) > 0 {
		part()
		for _, n := range s.Notes {
			fmt.Fprintf(w, "%s\n", n)
		}
	}
}

// write prints the table in Markdown, each column padded to its widest
// cell.
func (t Table) write(w *bufio.Writer) {
	width := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		width[i] = max(3, utf8.RuneCountInString(c.Name))
	}
	cells := make([][]string, len(t.Rows))
	for r, row := range t.Rows {
		cells[r] = make([]string, len(t.Columns))
		for i := range t.Columns {
			if i < len(row) {
				cells[r][i] = strings.ReplaceAll(row[i], "|", `\|`)
			}
			width[i] = max(width[i], utf8.RuneCountInString(cells[r][i]))
		}
	}
	line := func(cell func(i int) string) {
		w.WriteString("|")
		for i := range t.Columns {
			w.WriteString(" ")
			w.WriteString(cell(i))
			w.WriteString(" |")
		}
		w.WriteString("\n")
	}
	pad := func(s string, i int) string {
		gap := strings.Repeat(" ", width[i]-utf8.RuneCountInString(s))
		if t.Columns[i].Right {
			return gap + s
		}
		return s + gap
	}
	line(func(i int) string { return pad(t.Columns[i].Name, i) })
	line(func(i int) string {
		if t.Columns[i].Right {
			return strings.Repeat("-", width[i]-1) + ":"
		}
		return strings.Repeat("-", width[i])
	})
	for _, row := range cells {
		line(func(i int) string { return pad(row[i], i) })
	}
}

// percent formats a share (0..1) as a percentage with one decimal, without
// a trailing ".0".
func percent(x float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", 100*x), ".0") + "%"
}
