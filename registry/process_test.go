package registry

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// The helper process registers a tool repeatedly and prints each version it
// got. It runs only when the environment asks for it.
func TestHelperProcessRegister(t *testing.T) {
	target := os.Getenv("REGISTRY_HELPER_TARGET")
	if target == "" {
		t.Skip("helper process only")
	}
	n, _ := strconv.Atoi(os.Getenv("REGISTRY_HELPER_N"))
	opts := Options{Prefix: os.Getenv("REGISTRY_HELPER_PREFIX"), LockTimeout: 20 * time.Second, NoSync: true}
	ctx := context.Background()
	var s Store
	var err error
	reopen := !IsRedisURL(target) // bbolt: one process holds the file at a time
	for i := 0; i < n; i++ {
		if s == nil {
			if s, err = Open(ctx, target, opts); err != nil {
				fmt.Fprintln(os.Stderr, "open:", err)
				os.Exit(3)
			}
		}
		v, err := s.PutTool(ctx, sampleTool("raced", "", fmt.Sprintf("return words[%d:] // pid %d", i, os.Getpid())))
		if err != nil {
			fmt.Fprintln(os.Stderr, "put:", err)
			os.Exit(4)
		}
		fmt.Println("version", v)
		if reopen {
			s.Close()
			s = nil
		}
	}
	if s != nil {
		s.Close()
	}
	os.Exit(0)
}

// TestTwoProcessesDistinctVersions starts two processes registering the same
// tool name at once against one store; together they must get 1..2n.
func TestTwoProcessesDistinctVersions(t *testing.T) {
	for _, backend := range []string{"redis", "bbolt"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			var target, prefix string
			var verify func() Store
			switch backend {
			case "redis":
				prefix = uniquePrefix()
				rs := openTestRedis(t, prefix) // skips when Redis is absent; cleans up
				target = testenv.RedisURL(t)
				verify = func() Store { return rs }
			case "bbolt":
				target = filepath.Join(t.TempDir(), "shared.db")
				verify = func() Store {
					s, err := Open(context.Background(), target, Options{})
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { s.Close() })
					return s
				}
			}
			const n = 15
			versions := make(chan int, 2*n)
			errs := make(chan error, 2)
			for p := 0; p < 2; p++ {
				go func() {
					cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessRegister$")
					cmd.Env = append(os.Environ(), "REGISTRY_HELPER_TARGET="+target,
						"REGISTRY_HELPER_PREFIX="+prefix, "REGISTRY_HELPER_N="+strconv.Itoa(n))
					var stderr bytes.Buffer
					cmd.Stderr = &stderr
					out, err := cmd.Output()
					if err != nil {
						errs <- fmt.Errorf("helper: %v: %s", err, stderr.String())
						return
					}
					sc := bufio.NewScanner(bytes.NewReader(out))
					for sc.Scan() {
						if v, ok := strings.CutPrefix(sc.Text(), "version "); ok {
							x, _ := strconv.Atoi(v)
							versions <- x
						}
					}
					errs <- nil
				}()
			}
			for p := 0; p < 2; p++ {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			close(versions)
			checkDistinctVersions(t, versions, 2*n)
			vs, err := verify().ToolVersions(context.Background(), "", "raced")
			if err != nil || len(vs) != 2*n || !vs[2*n-1].Current {
				t.Fatalf("stored versions = %d, %v", len(vs), err)
			}
		})
	}
}
