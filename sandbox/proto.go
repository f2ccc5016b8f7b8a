package sandbox

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// The worker protocol: one unary gRPC method whose request and response are
// messages of wire.go carried in a BytesValue, so no generated code is needed.
// This file holds what both sides share; worker.go is the server side,
// host.go the client side.

// handshake identifies a toolsmith sandbox worker to go-plugin. It is not a
// secret: it only stops the worker command from being run by hand.
func handshake() plugin.HandshakeConfig {
	return plugin.HandshakeConfig{
		ProtocolVersion:  2,
		MagicCookieKey:   "TOOLSMITH_SANDBOX_WORKER",
		MagicCookieValue: "b6f1d7a0-sandbox-worker-v2",
	}
}

const (
	pluginName    = "sandbox"
	runMethod     = "/toolsmith.sandbox.Worker/Run"
	maxMessageLen = 64 << 20
	windowSize    = 4 << 20 // HTTP/2 flow-control window, both sides
)

// wireCall is a Call as sent to a worker.
type wireCall struct {
	Source string          `json:"source"`
	Func   string          `json:"func,omitempty"`
	Args   json.RawMessage `json:"args,omitempty"`
	// Check asks only to compile Source.
	Check bool `json:"check,omitempty"`
}

// wireResult is a worker's answer.
type wireResult struct {
	Result Result `json:"result"`
	// Recycle asks the host to retire the worker: the call left goroutines
	// behind, hit the output or memory limit, or used much of the CPU limit.
	Recycle bool `json:"recycle,omitempty"`
}

// runner is the worker's service.
type runnerServer interface {
	run(ctx context.Context, c wireCall) wireResult
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: "toolsmith.sandbox.Worker",
	HandlerType: (*runnerServer)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Run",
		Handler: func(srv any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.BytesValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			c, err := decodeCall(in.Value)
			if err != nil {
				return nil, fmt.Errorf("sandbox worker: bad request: %w", err)
			}
			res := srv.(runnerServer).run(ctx, c)
			return wrapperspb.Bytes(encodeResult(res)), nil
		},
	}},
	Metadata: "sandbox/proto.go",
}

// workerPlugin adapts the service to go-plugin. The host side leaves srv
// nil and gets the connection back from GRPCClient.
type workerPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	srv runnerServer
}

func (p *workerPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	s.RegisterService(&serviceDesc, p.srv)
	return nil
}

func (p *workerPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, cc *grpc.ClientConn) (any, error) {
	return cc, nil
}

// invoke sends one call over a worker connection.
func invoke(ctx context.Context, cc *grpc.ClientConn, c wireCall) (wireResult, error) {
	b, err := encodeCall(c)
	if err != nil {
		return wireResult{}, fmt.Errorf("sandbox: encoding the call: %w", err)
	}
	out := new(wrapperspb.BytesValue)
	if err := cc.Invoke(ctx, runMethod, wrapperspb.Bytes(b), out, grpc.MaxCallRecvMsgSize(maxMessageLen), grpc.MaxCallSendMsgSize(maxMessageLen)); err != nil {
		return wireResult{}, err
	}
	res, err := decodeResult(out.Value)
	if err != nil {
		return wireResult{}, fmt.Errorf("sandbox: decoding the worker's answer: %w", err)
	}
	return res, nil
}
