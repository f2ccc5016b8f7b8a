package plugin

import (
	"encoding/json"
	"fmt"
	"net/rpc"

	goplugin "github.com/hashicorp/go-plugin"
)

// Serve serves impl as an API plugin; call it from the plugin's main. It
// returns when the host goes away.
func Serve(impl APIs) {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: handshake(),
		Plugins:         map[string]goplugin.Plugin{pluginName: &rpcPlugin{impl: impl}},
	})
}

// rpcPlugin adapts APIs to go-plugin's net/rpc transport on both sides.
type rpcPlugin struct {
	impl APIs
}

func (p *rpcPlugin) Server(*goplugin.MuxBroker) (any, error) {
	return &rpcServer{impl: p.impl}, nil
}

func (p *rpcPlugin) Client(_ *goplugin.MuxBroker, c *rpc.Client) (any, error) {
	return &rpcClient{c: c}, nil
}

// rpcServer is the plugin side: net/rpc methods over impl.
type rpcServer struct {
	impl APIs
}

// Describe returns the APIs as JSON.
func (s *rpcServer) Describe(_ struct{}, reply *[]byte) error {
	apis, err := s.impl.Describe()
	if err != nil {
		return err
	}
	*reply, err = json.Marshal(apis)
	return err
}

// Call runs one API. A panic in the implementation becomes an error.
func (s *rpcServer) Call(args CallArgs, reply *[]byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin panicked in %s: %v", args.Name, r)
		}
	}()
	var in map[string]any
	if err := json.Unmarshal(args.Args, &in); err != nil {
		return fmt.Errorf("arguments of %s: %w", args.Name, err)
	}
	out, err := s.impl.Call(args.Name, in)
	if err != nil {
		return err
	}
	*reply, err = json.Marshal(out)
	return err
}
