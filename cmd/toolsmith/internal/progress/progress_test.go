package progress

import (
	"strings"
	"sync"
	"testing"
	"time"
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

// TestSpin checks that the spinner draws until stopped, then erases itself
// and draws no more.
func TestSpin(t *testing.T) {
	var b syncBuffer
	stop := Spin(&b)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(b.String(), "\r/") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	out := b.String()
	if !strings.HasPrefix(out, "\r|\r/") || !strings.HasSuffix(out, "\r \r") {
		t.Errorf("spinner output %q, want frames, then the spinner erased", out)
	}
	time.Sleep(150 * time.Millisecond)
	if b.String() != out {
		t.Error("the spinner drew after it was stopped")
	}
}

// syncBuffer is a strings.Builder safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
