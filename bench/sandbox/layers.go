package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// layerConfig is a set of confinement layers turned off.
type layerConfig struct {
	name    string
	without []sandbox.Layer
}

// layerConfigs are measured side by side: no layer but the resource limits
// (the baseline), every layer, and every layer but one group.
func layerConfigs() []layerConfig {
	namespaces := []sandbox.Layer{sandbox.LayerUserNamespace, sandbox.LayerPIDNamespace, sandbox.LayerNetworkNamespace,
		sandbox.LayerMountNamespace, sandbox.LayerIPCNamespace, sandbox.LayerUTSNamespace}
	var none []sandbox.Layer
	for _, l := range sandbox.Layers() {
		if l != sandbox.LayerRlimits {
			none = append(none, l)
		}
	}
	return []layerConfig{
		{"rlimits only (baseline)", none},
		{"every layer", nil},
		{"every layer but namespaces", namespaces},
		{"every layer but the mount namespace", []sandbox.Layer{sandbox.LayerMountNamespace}},
		{"every layer but Landlock", []sandbox.Layer{sandbox.LayerLandlock}},
		{"every layer but seccomp", []sandbox.Layer{sandbox.LayerSeccomp}},
		{"every layer but the cgroup", []sandbox.Layer{sandbox.LayerCgroup}},
	}
}

// measureLayers prints, per configuration, the worker start, a cold compile
// and first call, and a warm call, with ratios to the baseline of this run.
// Configurations are measured in interleaved rounds so that the machine's
// load falls on all of them alike.
func measureLayers(ctx context.Context, command []string, lists []wordList, starts, colds, warms int) {
	cfgs := layerConfigs()
	start := make([]samples, len(cfgs))
	cold := make([]samples, len(cfgs))
	warm := make([]samples, len(cfgs))
	const rounds = 5
	for r := range rounds {
		for i, c := range cfgs {
			opts := sandbox.Options{Workers: 1, Command: command, Without: c.without}
			for range max(starts/rounds, 1) {
				t0 := time.Now()
				p, err := sandbox.NewPool(ctx, opts)
				if err != nil {
					log.Fatalf("%s: %v", c.name, err)
				}
				start[i] = append(start[i], time.Since(t0))
				p.Close()
			}
			p, err := sandbox.NewPool(ctx, opts)
			if err != nil {
				log.Fatalf("%s: %v", c.name, err)
			}
			cold[i] = append(cold[i], latencies(max(colds/rounds, 1), func(k int) error {
				src := sortTool + fmt.Sprintf("\n// variant %d %d %d\n", r, k, time.Now().UnixNano())
				return callSrc(ctx, p, src, lists[k%len(lists)])
			})...)
			warm[i] = append(warm[i], latencies(max(warms/rounds, 1), func(k int) error { return call(ctx, p, lists[k%len(lists)]) })...)
			p.Close()
		}
	}
	fmt.Println("| confinement | worker start p50 | cold compile + first call p50 | warm call p50 | start / baseline | warm / baseline |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	for i, c := range cfgs {
		fmt.Printf("| %s | %s | %s | %s | %.2f | %.2f |\n", c.name, fmtDur(start[i].p50()), fmtDur(cold[i].p50()), fmtDur(warm[i].p50()),
			float64(start[i].p50())/float64(start[0].p50()), float64(warm[i].p50())/float64(warm[0].p50()))
	}
}
