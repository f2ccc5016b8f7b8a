package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// pingPongCommand makes the benchmark binary echo lines on stdin to stdout:
// the child of the IPC floor measurement.
const pingPongCommand = "ping-pong-child"

func servePingPong() {
	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadBytes('\n')
		if err != nil {
			return
		}
		if _, err := os.Stdout.Write(line); err != nil {
			return
		}
	}
}

// measurePingPong is the floor under any worker protocol: a round trip of
// one small message through pipes to a child process and back.
func measurePingPong(n int) (samples, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, pingPongCommand)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	out := bufio.NewReader(stdout)
	msg := []byte(`{"source":"...","args":[["a","b"]]}` + "\n")
	s := make(samples, 0, n)
	for range n {
		t0 := time.Now()
		if _, err := stdin.Write(msg); err != nil {
			return nil, err
		}
		line, err := out.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(line) != len(msg) {
			return nil, fmt.Errorf("child answered %q", line)
		}
		s = append(s, time.Since(t0))
	}
	return s, nil
}
