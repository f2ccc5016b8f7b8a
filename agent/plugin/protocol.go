// Package plugin runs API plugins: separate programs that describe a set of
// APIs and serve their calls, started and supervised by toolsmith through
// hashicorp/go-plugin (net/rpc transport, values as JSON). A plugin author
// implements APIs and calls Serve from main; the host side, Client and
// Invoker, starts the program, reads its APIs and calls them. A plugin that
// crashes fails the call in progress with an API error and is started again
// on the next call.
package plugin

import (
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// APIs is what a plugin implements.
type APIs interface {
	// Describe lists the plugin's APIs. Bindings are set by the host.
	Describe() ([]registry.API, error)
	// Call invokes one API with its arguments by input name and returns
	// its outputs by output name.
	Call(name string, args map[string]any) (map[string]any, error)
}

// pluginName is the name the APIs are dispensed under.
const pluginName = "apis"

// handshake is shared by host and plugin; a program started without it
// (by hand, say) refuses to run.
func handshake() goplugin.HandshakeConfig {
	return goplugin.HandshakeConfig{
		ProtocolVersion:  1,
		MagicCookieKey:   "TOOLSMITH_API_PLUGIN",
		MagicCookieValue: "9f1c2d7e-api-plugin",
	}
}

// CallArgs is the RPC request of a call (exported because net/rpc only
// serves methods whose argument types are).
type CallArgs struct {
	Name string
	Args []byte // JSON object
}
