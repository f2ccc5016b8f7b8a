// Package travel embeds the travel example — mock rental-car and weather APIs
// with fixed responses, and the scripted model replies of the demo — so that
// `toolsmith demo` runs from the binary alone.
package travel

import "embed"

// Files holds apis.yaml and scripted.yaml.
//
//go:embed apis.yaml scripted.yaml
var Files embed.FS
