package sandbox

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"golang.org/x/sys/unix"
)

// pipePair returns the two ends of a connected socket pair.
func pipePair(t testing.TB) (*conn, *conn) {
	fds, err := socketPair()
	if err != nil {
		t.Fatal(err)
	}
	a, b := newConn(fds[0]), newConn(fds[1])
	t.Cleanup(func() { a.close(); b.close() })
	return a, b
}

func TestConnFrames(t *testing.T) {
	a, b := pipePair(t)
	big := bytes.Repeat([]byte("x"), 3<<20) // more than a socket buffer: partial writes
	go func() {
		for _, m := range [][]byte{nil, []byte("hello"), big} {
			if err := a.send(frameCall, m); err != nil {
				t.Error(err)
			}
		}
		a.shutdown()
	}()
	for _, want := range [][]byte{{}, []byte("hello"), big} {
		kind, body, err := b.recv()
		if err != nil || kind != frameCall || !bytes.Equal(body, want) {
			t.Fatalf("got %q %d bytes %v, want %d bytes", kind, len(body), err, len(want))
		}
	}
	if _, _, err := b.recv(); err != io.EOF {
		t.Errorf("after the peer's shutdown: %v, want EOF", err)
	}
	if err := a.send(frameCall, make([]byte, maxFrame)); !errors.Is(err, errFrame) {
		t.Errorf("oversized frame sent: %v", err)
	}
}

// FuzzFrames feeds arbitrary bytes to the frame reader: it returns frames or
// an error, never more than maxFrame, and never hangs on a closed peer.
func FuzzFrames(f *testing.F) {
	f.Add([]byte{6, 0, 0, 0, 'R', 'h', 'e', 'l', 'l', 'o'})
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0x7f, 'C'})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, c := pipePair(t)
		done := make(chan struct{})
		go func() {
			defer close(done)
			unix.Write(a.fd, b)
			a.shutdown()
		}()
		// The writer is done with its descriptor before the pair is closed
		// (a closed number is reused by the next input's pair).
		defer func() { c.shutdown(); <-done }()
		total := 0
		for {
			_, body, err := c.recv()
			if err != nil {
				return
			}
			total += len(body) + 5
			if len(body) >= maxFrame || total > len(b) {
				t.Fatalf("frame of %d bytes from %d input bytes", len(body), len(b))
			}
		}
	})
}
