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
// against DNS rebinding. Agent sessions and the state of each Streamable
// HTTP session live in the registry Store, so any replica serves any
// request, and an answer to a question that reaches another replica than the
// one that asked is relayed to it through the store.
//
// As a client ([Connect], [Invoker]), it lists and calls the tools of any
// MCP server, imports them as registry APIs (see registry.ParseMCPTools),
// and serves the agent's calls of APIs bound with kind "mcp"; a request for
// input that a remote tool makes during a call becomes a question to the
// toolsmith user.
package mcp
