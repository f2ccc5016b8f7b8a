package progress

import (
	"strings"
	"testing"
)

// TestPlainLines checks the output on a stream that is not a terminal, as
// in a log or a CI job: every step a line, a bar every tenth of the way,
// nothing redrawn.
func TestPlainLines(t *testing.T) {
	var b strings.Builder
	d := New(&b)
	d.Line("word_sorting: reply 1 propose:\n  wrote   Solve")
	for i := 0; i <= 20; i++ {
		d.Bar("tasks", i, 20)
	}
	d.Bar("empty", 0, 0)
	d.Done()
	want := "word_sorting: reply 1 propose:\n  wrote   Solve\n" +
		"tasks 0/20\ntasks 2/20\ntasks 4/20\ntasks 6/20\ntasks 8/20\ntasks 10/20\n" +
		"tasks 12/20\ntasks 14/20\ntasks 16/20\ntasks 18/20\ntasks 20/20\n"
	if b.String() != want {
		t.Errorf("output %q, want %q", b.String(), want)
	}
	if strings.Contains(b.String(), "\r") {
		t.Error("redrawn output on a stream that is not a terminal")
	}
}

// TestTerminal checks the redrawn line a terminal shows.
func TestTerminal(t *testing.T) {
	var b strings.Builder
	d := &Display{w: &b, tty: true}
	d.Line("a step\nover two lines " + strings.Repeat("x", 200))
	d.Bar("tasks", 10, 10)
	d.Done()
	d.Done() // a second Done adds nothing
	out := b.String()
	if !strings.HasPrefix(out, "\r\033[K/ a step over two lines xxx") || !strings.Contains(out, "x…\r\033[Ktasks [") {
		t.Errorf("step not drawn on one cut line: %q", out)
	}
	if !strings.HasSuffix(out, "] 10/10\n") {
		t.Errorf("the bar does not end its line: %q", out)
	}
	if IsTerminal(&b) {
		t.Error("a strings.Builder is a terminal")
	}
}
