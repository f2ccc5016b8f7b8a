package plugin

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// build compiles a plugin program into a temporary directory.
func build(t *testing.T, pkg string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build %s: %v", pkg, err)
	}
	return out
}

func TestTravelPluginDescribesAndServes(t *testing.T) {
	ctx := context.Background()
	c := &Client{Path: build(t, "github.com/toolsmith-dev/toolsmith/examples/plugin")}
	defer c.Close()
	apis, err := c.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range apis {
		names = append(names, a.Name)
		if a.Binding == nil || a.Binding.Kind != registry.BindPlugin || a.Binding.Plugin != c.Path {
			t.Errorf("%s not bound to the plugin: %+v", a.Name, a.Binding)
		}
	}
	if !strings.Contains(strings.Join(names, ","), "RentalCars.ReserveCar") {
		t.Fatalf("APIs %v", names)
	}
	inv := &Invoker{}
	defer inv.Close()
	var api registry.API
	for _, a := range apis {
		if a.Name == "RentalCars.GetCarsAvailable" {
			api = a
		}
	}
	out, err := inv.Invoke(ctx, agent.Invocation{API: api, Args: map[string]any{"pickup_city": "San Diego", "days": 3.0, "pickup_date": "2024-10-05", "pickup_time": "10:30"}})
	if err != nil {
		t.Fatal(err)
	}
	if out["car_id"] != "SAN-ECO-42" || out["price"] != 187.5 {
		t.Fatalf("outputs %v", out)
	}
}

func TestCrashedPluginIsAnAPIErrorAndRestarts(t *testing.T) {
	ctx := context.Background()
	c := &Client{Path: build(t, "./testdata/crashplugin")}
	defer c.Close()
	first, err := c.Call(ctx, "Test.Echo", map[string]any{"text": "hi"})
	if err != nil || first["text"] != "hi" {
		t.Fatalf("echo: %v %v", first, err)
	}
	start := time.Now()
	if _, err := c.Call(ctx, "Test.Crash", nil); err == nil || !strings.Contains(err.Error(), "crashed") {
		t.Fatalf("crash: want an error saying so, got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("crash took %v to report", time.Since(start))
	}
	if _, err := c.Call(ctx, "Test.Panic", nil); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("panic: %v", err)
	}
	again, err := c.Call(ctx, "Test.Echo", map[string]any{"text": "again"})
	if err != nil || again["text"] != "again" {
		t.Fatalf("after the crash: %v %v", again, err)
	}
	if again["pid"] == first["pid"] {
		t.Errorf("plugin was not restarted (same pid %v)", again["pid"])
	}
}

func TestNotAPluginFailsClearly(t *testing.T) {
	c := &Client{Path: "/bin/true", StartTimeout: 2 * time.Second}
	defer c.Close()
	if _, err := c.Describe(context.Background()); err == nil || !strings.Contains(err.Error(), "start plugin") {
		t.Fatalf("want a start error, got %v", err)
	}
}
