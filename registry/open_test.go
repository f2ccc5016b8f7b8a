package registry

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"
)

func TestOpenRedisUnreachable(t *testing.T) {
	// A port nobody listens on: connection refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := l.Addr().String()
	l.Close()

	// A listener that accepts and never answers: only the timeout helps.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()

	for _, addr := range []string{refused, silent.Addr().String()} {
		const dial = 300 * time.Millisecond
		start := time.Now()
		s, err := Open(context.Background(), "redis://"+addr+"/0", Options{DialTimeout: dial})
		took := time.Since(start)
		var ue *UnavailableError
		if !errors.As(err, &ue) || ue.Backend != "redis" || ue.Addr != addr {
			if s != nil {
				s.Close()
			}
			t.Fatalf("%s: got %v, want *UnavailableError", addr, err)
		}
		// Generous slack for a loaded machine; a hang would take the 3 s
		// I/O timeout or forever.
		if took > dial+time.Second {
			t.Fatalf("%s: took %v, dial timeout %v", addr, took, dial)
		}
	}
}

func TestOpenBoltLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(context.Background(), "bbolt://"+path, Options{LockTimeout: 200 * time.Millisecond})
	var ue *UnavailableError
	if !errors.As(err, &ue) || ue.Backend != "bbolt" {
		t.Fatalf("got %v, want *UnavailableError", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("lock wait took %v", took)
	}
}

func TestOpenBadTarget(t *testing.T) {
	if _, err := Open(context.Background(), "", Options{}); err == nil {
		t.Fatal("empty target accepted")
	}
	if _, err := Open(context.Background(), "redis://host:notaport/x", Options{}); err == nil {
		t.Fatal("bad redis URL accepted")
	}
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing", "dir", "x.db"), Options{}); err == nil {
		t.Fatal("bbolt file in a missing directory accepted")
	}
}

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"},
		{"redis://:s3cret@cache:6379/1", "redis://:xxxxx@cache:6379/1"},
		{"redis://ada:s3cret@cache:6379/1", "redis://ada:xxxxx@cache:6379/1"},
		{"redis://ada@cache:6379", "redis://ada@cache:6379"},
		{"/home/ada/.toolsmith/toolsmith.db", "/home/ada/.toolsmith/toolsmith.db"},
		{"redis://ada:s3%zz@cache", "redis://xxxxx@cache"},
	}
	for _, c := range cases {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
