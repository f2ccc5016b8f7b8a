// Package mcp connects toolsmith to the Model Context Protocol, over the
// official Go SDK (github.com/modelcontextprotocol/go-sdk).
//
// As a server ([Server]), it offers a namespace's planning and agent to any
// MCP host over Streamable HTTP or stdio: the tool "plan" (a plan request →
// the plan), the tool "run" (an agent turn, whose questions are asked with
// elicitation: a form of the missing slots, or a yes/no for a call with side
// effects), one tool per made tool of the namespace, resources for the
// namespace's APIs and tools, logging and progress notifications. Bearer
// tokens select namespaces; a server on loopback checks Host and Origin
// against DNS rebinding. Agent sessions live in the registry Store: a
// question left pending (declined, or asked of a client without
// elicitation) is answered by a later run call through any replica; a
// client on protocol 2026-07-28 or later (the Go SDK's, over stdio) gets
// each form as an input request of the result, which its retry answers.
// The Streamable HTTP session itself
// (initialisation, log level, open streams, a question asked by
// elicitation/create within a call) is kept in memory by the SDK, so a load
// balancer must send a session's requests to one replica (by the
// Mcp-Session-Id header).
//
// As a client ([Connect], [Invoker]), it lists and calls the tools of any
// MCP server, imports them as registry APIs (see registry.ParseMCPTools),
// and serves the agent's calls of APIs bound with kind "mcp"; a request for
// input that a remote tool makes during a call becomes a question to the
// toolsmith user.
package mcp
