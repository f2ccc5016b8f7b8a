package registry

// API describes one callable API: what it needs, what it produces, what it
// costs and how it is invoked. The planner turns each API into an action; the
// agent invokes it through its Binding.
type API struct {
	// Name is unique within a namespace, e.g. "RentalCars.GetCarsAvailable".
	Name        string   `json:"name" yaml:"name"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Inputs      []Input  `json:"inputs,omitempty" yaml:"inputs,omitempty"`
	Outputs     []Output `json:"outputs,omitempty" yaml:"outputs,omitempty"`
	// Cost is the planner's cost of one call (default 1 when zero).
	Cost int `json:"cost,omitempty" yaml:"cost,omitempty"`
	// Confirm asks the user before calling (side effects such as payments).
	Confirm bool `json:"confirm,omitempty" yaml:"confirm,omitempty"`
	// Effect says what a call does beyond returning data: read, write or
	// destructive. Empty means the importer's default for the source
	// (see EffectOf); the planner never calls a write or destructive API
	// except as a goal of the request.
	Effect Effect `json:"effect,omitempty" yaml:"effect,omitempty"`
	// Idempotent says that calling the API twice with the same arguments
	// has the effect of calling it once (HTTP PUT and DELETE, say).
	Idempotent bool `json:"idempotent,omitempty" yaml:"idempotent,omitempty"`
	// List says that a call returns a list: its outputs are the fields of
	// each element. The planner never binds an identifying input of a
	// write or destructive call to "the first element" of a list: it asks
	// the user to choose (a get_info step with options).
	List      bool     `json:"list,omitempty" yaml:"list,omitempty"`
	Binding   *Binding `json:"binding,omitempty" yaml:"binding,omitempty"`
	Namespace string   `json:"namespace,omitempty" yaml:"namespace,omitempty"`
	// Tags are free-form labels used by search and policies.
	Tags []string `json:"tags,omitempty" yaml:"tags,omitempty"`
}

// Effect classifies what calling an API does to the world.
type Effect string

// Effects.
const (
	// EffectRead: the call only returns data (HTTP GET, HEAD).
	EffectRead Effect = "read"
	// EffectWrite: the call creates or changes something (HTTP POST, PUT,
	// PATCH; a booking, a payment, a message sent).
	EffectWrite Effect = "write"
	// EffectDestructive: the call deletes or cancels something (HTTP
	// DELETE).
	EffectDestructive Effect = "destructive"
)

// SideEffect reports whether the effect changes the world (write or
// destructive).
func (e Effect) SideEffect() bool { return e == EffectWrite || e == EffectDestructive }

// Input is one parameter of an API.
type Input struct {
	Name string `json:"name" yaml:"name"`
	// Type is the semantic type (the "slot") of the value: inputs and outputs
	// of the same type may feed each other, and a known value of that slot
	// fills the input. Empty means the input's own name.
	Type        string `json:"type,omitempty" yaml:"type,omitempty"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	Required    bool   `json:"required,omitempty" yaml:"required,omitempty"`
	// Default is used when nothing else binds the input.
	Default any `json:"default,omitempty" yaml:"default,omitempty"`
	// Allowed lists the values the input accepts (empty: any).
	Allowed []any `json:"allowed,omitempty" yaml:"allowed,omitempty"`
	// NotAskable marks values the user cannot be asked for (internal ids
	// produced only by other APIs).
	NotAskable bool `json:"not_askable,omitempty" yaml:"not_askable,omitempty"`
	// Aliases are further semantic types this input accepts (e.g. an input
	// "originSkyId" fed by an output of type "skyId").
	Aliases []string `json:"aliases,omitempty" yaml:"aliases,omitempty"`
	// DataType is the value's JSON Schema type ("string", "number",
	// "integer", "boolean", "array", "object"), when the source gives one.
	DataType string `json:"data_type,omitempty" yaml:"data_type,omitempty"`
}

// Output is one field of an API's result.
type Output struct {
	Name        string `json:"name" yaml:"name"`
	Type        string `json:"type,omitempty" yaml:"type,omitempty"` // semantic type; empty means Name
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// DataType is the value's JSON Schema type, when the source gives one.
	DataType string `json:"data_type,omitempty" yaml:"data_type,omitempty"`
}

// SlotType returns the input's semantic type: Type, or Name when Type is empty.
func (in Input) SlotType() string {
	if in.Type != "" {
		return in.Type
	}
	return in.Name
}

// SlotType returns the output's semantic type: Type, or Name when Type is empty.
func (out Output) SlotType() string {
	if out.Type != "" {
		return out.Type
	}
	return out.Name
}

// BindingKind says how an API is invoked.
type BindingKind string

// Binding kinds.
const (
	BindHTTP   BindingKind = "http"   // an HTTP operation (from OpenAPI or written by hand)
	BindPlugin BindingKind = "plugin" // a go-plugin binary serving the API
	BindTool   BindingKind = "tool"   // a sandboxed tool from the registry
	BindFunc   BindingKind = "func"   // a Go function registered by an embedding program
	BindFixed  BindingKind = "fixed"  // a fixed response, for examples and tests
	BindMCP    BindingKind = "mcp"    // a tool of a Model Context Protocol server
)

// Binding says how to invoke an API.
type Binding struct {
	Kind BindingKind `json:"kind" yaml:"kind"`
	// HTTP
	Method  string            `json:"method,omitempty" yaml:"method,omitempty"`
	URL     string            `json:"url,omitempty" yaml:"url,omitempty"` // may hold {param} placeholders
	Headers map[string]string `json:"headers,omitempty" yaml:"headers,omitempty"`
	// In says where each input goes for HTTP: "path", "query", "header" or
	// "body" (default "query" for GET, "body" otherwise).
	In map[string]string `json:"in,omitempty" yaml:"in,omitempty"`
	// Wire gives the name an input is sent under where it differs from
	// the input's name: an operation may take two parameters of one name
	// in different places (a path "path" and a query "path"), and inputs
	// need names of their own.
	Wire map[string]string `json:"wire,omitempty" yaml:"wire,omitempty"`
	// Plugin: the plugin binary's path.
	Plugin string `json:"plugin,omitempty" yaml:"plugin,omitempty"`
	// Tool: the registry tool's name and function; for an MCP binding, the
	// tool's name on its server.
	Tool     string `json:"tool,omitempty" yaml:"tool,omitempty"`
	Function string `json:"function,omitempty" yaml:"function,omitempty"`
	// Command: for an MCP binding, the program (and its arguments) that
	// serves the tool over standard input and output; URL holds the
	// server's Streamable HTTP endpoint instead.
	Command []string `json:"command,omitempty" yaml:"command,omitempty"`
	// Func: the name an embedding program registered its Go function under.
	Func string `json:"func,omitempty" yaml:"func,omitempty"`
	// Fixed: the response returned as is.
	Response map[string]any `json:"response,omitempty" yaml:"response,omitempty"`
	// Idempotency says how a repeated call is made safe: IdempotencyKey
	// means the API honours an idempotency key (for HTTP, the
	// Idempotency-Key header), so a call whose outcome is unknown may be
	// sent again with the same key. Empty: it does not.
	Idempotency string `json:"idempotency,omitempty" yaml:"idempotency,omitempty"`
	// StatusCheck names a read API of the same namespace that tells whether
	// a call of this one took effect, for calls whose outcome is unknown:
	// it is called with the call's arguments (those it takes) and
	// idempotency key; an answer means the call took effect (the answer
	// stands for its outputs), HTTP 404 means it did not.
	StatusCheck string `json:"status_check,omitempty" yaml:"status_check,omitempty"`
	// Auth says how the call is authenticated (HTTP); the credential itself
	// never appears in the registry.
	Auth *Auth `json:"auth,omitempty" yaml:"auth,omitempty"`
	// Encoding is how an HTTP body is sent: "json" (the default) or "form"
	// (application/x-www-form-urlencoded).
	Encoding string `json:"encoding,omitempty" yaml:"encoding,omitempty"`
}

// IdempotencyKey is the Binding.Idempotency value of an API that honours
// idempotency keys.
const IdempotencyKey = "key"

// Auth describes how an HTTP binding authenticates. The credential is read
// at call time from Secret — an environment variable or a namespace secret
// setting of that name — and is never asked of the user, stored in a plan or
// logged.
type Auth struct {
	// Scheme is "apikey", "bearer" or "basic".
	Scheme string `json:"scheme" yaml:"scheme"`
	// In is where an API key goes: "header", "query" or "cookie".
	In string `json:"in,omitempty" yaml:"in,omitempty"`
	// Name is the header, query parameter or cookie carrying an API key.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Secret names the setting holding the credential (for basic,
	// "user:password").
	Secret string `json:"secret,omitempty" yaml:"secret,omitempty"`
}
