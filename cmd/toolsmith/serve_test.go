package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// startServer runs "toolsmith serve" as a process of its own (this test
// binary) and waits until it answers.
func startServer(t *testing.T, addr string, global, serve []string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args := append(append(append([]string(nil), global...), "serve", "--addr", addr), serve...)
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "TOOLSMITH_TEST_MAIN=1")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server on %s did not come up", addr)
	return nil
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func postMessage(t *testing.T, addr, session, text string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text})
	resp, err := http.Post("http://"+addr+"/v1/sessions/"+session+"/messages", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r map[string]any
	json.NewDecoder(resp.Body).Decode(&r)
	if resp.StatusCode != 200 {
		t.Fatalf("%q: %d %v", text, resp.StatusCode, r)
	}
	return r
}

// TestServeResumesAfterKill kills the server process mid-conversation
// (SIGKILL: no graceful shutdown) and restarts it on the same store: the
// session goes on where it stood and no call is made twice.
func TestServeResumesAfterKill(t *testing.T) {
	store := testenv.RedisURL(t)
	ns := fmt.Sprintf("serve-kill-%d", time.Now().UnixNano())
	global := []string{"--store", store, "--home", t.TempDir(), "--scripted", filepath.Join("..", "..", "examples", "travel", "scripted.yaml")}
	serve := []string{"--namespace", ns, "--apis", filepath.Join("..", "..", "examples", "travel", "apis.yaml")}
	addr := freeAddr(t)

	srv := startServer(t, addr, global, serve)
	r := postMessage(t, addr, "k1", "Book me a rental car in San Diego from Oct 5 for 3 days")
	if r["status"] != "needs_info" {
		t.Fatalf("turn 1: %v", r)
	}
	r = postMessage(t, addr, "k1", "10:30")
	if r["status"] != "needs_confirmation" {
		t.Fatalf("turn 2: %v", r)
	}
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()

	// The restarted server does not import the APIs again: they, like the
	// session, are in the store.
	startServer(t, addr, global, []string{"--namespace", ns})
	r = postMessage(t, addr, "k1", "yes")
	if r["status"] != "answered" || !strings.Contains(fmt.Sprint(r["text"]), "R-77031") {
		t.Fatalf("after restart: %v", r)
	}
	calls, _ := r["calls"].([]any)
	if len(calls) != 1 {
		t.Fatalf("after restart the turn made %d calls, want only the reservation: %v", len(calls), calls)
	}
}

// TestServeSeesNewAPIs registers APIs with another process while the server
// runs: the server's namespace agent is rebuilt from the store.
func TestServeSeesNewAPIs(t *testing.T) {
	store := testenv.RedisURL(t)
	ns := fmt.Sprintf("serve-new-apis-%d", time.Now().UnixNano())
	global := []string{"--store", store, "--home", t.TempDir(), "--scripted", filepath.Join("..", "..", "examples", "travel", "scripted.yaml")}
	addr := freeAddr(t)
	startServer(t, addr, global, []string{"--namespace", ns, "--apis", filepath.Join("..", "..", "examples", "travel", "apis.yaml")})
	apis := func() string {
		resp, err := http.Get("http://" + addr + "/v1/apis")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return b.String()
	}
	if strings.Contains(apis(), "Flights.Book") {
		t.Fatal("Flights.Book before it was added")
	}
	if code, _, errOut := runCLI(t, "", "--store", store, "api", "add", "--namespace", ns, filepath.Join("..", "..", "examples", "policies", "apis.json")); code != 0 {
		t.Fatalf("api add: %d %s", code, errOut)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(apis(), "Flights.Book") {
		if time.Now().After(deadline) {
			t.Fatal("the server did not pick up the new APIs")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
