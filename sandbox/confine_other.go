//go:build !linux

package sandbox

// confine applies what a system without namespaces, seccomp and Landlock
// offers: resource limits.
func confine(cfg workerConfig) (Confinement, string, error) {
	var rep Confinement
	if detail, err := applyLimits(cfg); err != nil {
		rep.set(LayerRlimits, false, err.Error())
	} else {
		rep.set(LayerRlimits, true, detail)
	}
	for _, l := range []Layer{LayerNoNewPrivs, LayerCapabilities, LayerLandlock, LayerSeccomp} {
		rep.set(l, false, "a Linux feature")
	}
	return rep, cfg.tmp, nil
}
