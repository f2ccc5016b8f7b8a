package sandbox

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sys/unix"
)

// The worker protocol.
//
// A host and its worker talk over one connected AF_UNIX stream socket that
// the host makes with socketpair(2) before it starts the worker and hands to
// it as file descriptor 3 (exec.Cmd.ExtraFiles). The channel needs no
// address, no listening socket and no network interface, so it works inside
// the worker's empty network namespace, and the worker's seccomp filter can
// forbid creating sockets at all.
//
// Every message is a frame:
//
//	length  uint32, little endian: the number of bytes that follow (kind and
//	        body), at most maxFrame
//	kind    one byte: frameHello, frameCall or frameResult
//	body    the message, encoded as in wire.go
//
// The conversation:
//
//	worker -> host  hello   once, after the worker has confined itself: the
//	                        protocol version and its confinement report
//	host -> worker  call    a tool call, or a compile-only check
//	worker -> host  result  the call's result; the worker then waits for the
//	                        next call
//
// There is one call at a time. The host owns time: when a call's deadline
// passes it kills the worker, which never answers late. Either side closing
// the socket ends the conversation; the worker then exits.
//
// host.go is the host's side and worker.go the worker's, mirrored: the
// host's worker type owns the handshake and the process's lifecycle, the
// worker's serve loop answers calls.

// protocolVersion changes whenever a frame's meaning does; the host refuses a
// worker that greets it with another version.
const protocolVersion = 3

// workerEnv is the environment variable that marks a process started by a
// host as a worker (its value is the protocol version). It is not a secret:
// it only stops the worker command from being run by hand.
const workerEnv = "TOOLSMITH_SANDBOX_WORKER"

// connFD is the worker's end of the channel.
const connFD = 3

// Frame kinds.
const (
	frameHello  byte = 'H'
	frameCall   byte = 'C'
	frameResult byte = 'R'
)

// maxFrame bounds a frame's length: a call's source and arguments, or a
// result with its output (the result itself is bounded by resultLimit).
const maxFrame = 64 << 20

// errFrame reports a frame that is malformed or longer than maxFrame.
var errFrame = errors.New("sandbox: malformed frame")

// conn is one end of the channel: frames over a blocking stream socket.
// Reads and writes are plain system calls, each side has one call in flight
// at a time, and the host unblocks a read by shutting the socket down.
type conn struct {
	fd int
	r  *bufio.Reader
}

func newConn(fd int) *conn {
	c := &conn{fd: fd}
	c.r = bufio.NewReaderSize(fdReader(fd), 64<<10)
	return c
}

// send writes one frame.
func (c *conn) send(kind byte, body []byte) error {
	if len(body)+1 > maxFrame {
		return fmt.Errorf("%w: %d bytes", errFrame, len(body)+1)
	}
	var hdr [5]byte
	binary.LittleEndian.PutUint32(hdr[:4], uint32(len(body)+1))
	hdr[4] = kind
	bufs := [][]byte{hdr[:], body}
	for len(bufs) > 0 {
		n, err := unix.Writev(c.fd, bufs)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		for n > 0 && len(bufs) > 0 {
			if n >= len(bufs[0]) {
				n -= len(bufs[0])
				bufs = bufs[1:]
				continue
			}
			bufs[0] = bufs[0][n:]
			n = 0
		}
		for len(bufs) > 0 && len(bufs[0]) == 0 {
			bufs = bufs[1:]
		}
	}
	return nil
}

// recv reads one frame; its body is newly allocated. io.EOF means the peer
// closed the channel between frames.
func (c *conn) recv() (kind byte, body []byte, err error) {
	var hdr [5]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[:4])
	if n < 1 || n > maxFrame {
		return 0, nil, fmt.Errorf("%w: length %d", errFrame, n)
	}
	body = make([]byte, n-1)
	if _, err := io.ReadFull(c.r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	return hdr[4], body, nil
}

// shutdown makes a blocked recv (and any later one) on this end return.
func (c *conn) shutdown() { _ = unix.Shutdown(c.fd, unix.SHUT_RDWR) }

func (c *conn) close() error { return unix.Close(c.fd) }

// fdReader reads a file descriptor with read(2), retrying on EINTR.
type fdReader int

func (fd fdReader) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), p)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}
