// Package policies embeds the team-policy examples (APIs, requests and ASP
// policy files) so that `toolsmith demo` can show a policy changing a plan.
package policies

import "embed"

// Files holds the example's APIs, requests and .lp policies.
//
//go:embed *.json *.lp
var Files embed.FS
