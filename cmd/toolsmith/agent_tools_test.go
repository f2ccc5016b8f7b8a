package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer collects what the sandbox pool's goroutines log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A served namespace's sandbox pool says, once when it starts, how its
// workers are confined (which layers are missing, if any), in the server's
// log with the namespace.
func TestToolRouterLogsConfinement(t *testing.T) {
	var log lockedBuffer
	r := &toolRouter{namespace: "team-a", logger: slog.New(slog.NewTextHandler(&log, nil))}
	defer r.Close()
	if _, err := r.toolmaker(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.Close()
	var lines []string
	for _, l := range strings.Split(log.String(), "\n") {
		if strings.Contains(l, "every layer") || strings.Contains(l, "without some confinement layers") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("%d confinement lines, want one:\n%s", len(lines), log.String())
	}
	if !strings.Contains(lines[0], "namespace=team-a") {
		t.Errorf("the confinement line does not name the namespace: %s", lines[0])
	}
}
