// Package progress shows the progress of long commands on a stream
// (stderr): a line redrawn in place — a spinner, a bar — when the stream is
// a terminal, plain lines that read well in a log otherwise.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// spinner holds the frames of a spinner.
const spinner = `|/-\`

// Display reports progress on one stream. It is safe for concurrent use.
type Display struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	frame int
	drawn bool
	last  time.Time
}

// New returns a Display writing to w, redrawing in place when w is a
// terminal.
func New(w io.Writer) *Display {
	return &Display{w: w, tty: IsTerminal(w)}
}

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Line reports one step: after a spinner frame, cut to a line of a
// terminal; as a line of its own otherwise.
func (d *Display) Line(msg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.tty {
		fmt.Fprintln(d.w, msg)
		return
	}
	d.frame++
	fmt.Fprintf(d.w, "\r\033[K%c %s", spinner[d.frame%len(spinner)], trim(msg, 100))
	d.drawn = true
}

// Bar reports done of total: a bar on a terminal (redrawn at most every
// 100 ms), a plain line at every tenth otherwise.
func (d *Display) Bar(label string, done, total int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if total <= 0 {
		return
	}
	if !d.tty {
		step := max(1, total/10)
		if done%step == 0 || done == total {
			fmt.Fprintf(d.w, "%s %d/%d\n", label, done, total)
		}
		return
	}
	if done != total && time.Since(d.last) < 100*time.Millisecond {
		return
	}
	d.last = time.Now()
	const width = 30
	fill := width * done / total
	fmt.Fprintf(d.w, "\r\033[K%s [%s%s] %d/%d", label, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, total)
	d.drawn = true
}

// Done ends a redrawn line, so that what follows starts on a line of its
// own.
func (d *Display) Done() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tty && d.drawn {
		fmt.Fprintln(d.w)
		d.drawn = false
	}
}

// trim cuts s to n bytes on one line.
func trim(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
