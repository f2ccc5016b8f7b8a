package server

// openAPIDocument describes the server's own HTTP API (served at
// /openapi.json).
const openAPIDocument = `{
  "openapi": "3.0.3",
  "info": {"title": "toolsmith agent", "version": "1",
    "description": "Chat-driven API orchestration: the agent plans API calls, asks for missing values (get_info) and answers."},
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
      "Message": {"type": "object", "properties": {"text": {"type": "string"},
        "id": {"type": "string", "description": "Makes the message idempotent (as the Idempotency-Key header does): a message whose id was answered recently gets the same reply, with repeated set, and no second turn."}}, "required": ["text"]},
      "Event": {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}, "kind": {"type": "string"}, "data": {}}},
      "Question": {"type": "object", "properties": {
        "id": {"type": "string"}, "slot": {"type": "string"}, "text": {"type": "string"},
        "type": {"type": "string", "enum": ["string", "number", "integer", "boolean", "array", "object"]},
        "allowed": {"type": "array", "items": {}, "description": "the values accepted: render as an enum"},
        "options": {"type": "array", "description": "set on a choice among an earlier call's results: the answer must be one of these values (or a pick such as 'the second one')",
          "items": {"$ref": "#/components/schemas/Option"}}}},
      "Option": {"type": "object", "properties": {"value": {}, "label": {"type": "string"}}, "required": ["value"]},
      "Reply": {"type": "object", "properties": {
        "session_id": {"type": "string"},
        "status": {"type": "string", "enum": ["answered", "needs_info", "needs_confirmation", "outcome_unknown", "clarify", "failed"]},
        "text": {"type": "string"},
        "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
        "confirm": {"type": "object"}, "plan": {"type": "object"},
        "unknown": {"type": "object", "description": "The call whose outcome is unknown (status outcome_unknown)."},
        "choices": {"type": "array", "items": {"type": "string", "enum": ["check", "retry", "skip"]}},
        "repeated": {"type": "boolean"},
        "calls": {"type": "array", "items": {"type": "object"}},
        "cost": {"type": "object"}, "degraded": {"type": "boolean"}}}
    }
  },
  "security": [{"bearer": []}],
  "paths": {
    "/healthz": {"get": {"summary": "Liveness and store reachability", "security": [],
      "responses": {"200": {"description": "ok"}, "503": {"description": "store unreachable"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics, labelled by namespace; needs the metrics token when one is set", "responses": {"200": {"description": "metrics"}, "401": {"description": "metrics token missing"}}}},
    "/v1/sessions": {"post": {"summary": "Create a session",
      "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}},
    "/v1/sessions/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "get": {"summary": "A session's state and history", "responses": {"200": {"description": "state"}, "404": {"description": "unknown session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
      "delete": {"summary": "Forget a session", "responses": {"204": {"description": "deleted"}}}},
    "/v1/sessions/{id}/history": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "next_cursor of the previous page; empty for the first event"},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
      "get": {"summary": "A page of the session's whole history, oldest first",
        "responses": {"200": {"description": "events", "content": {"application/json": {"schema": {"type": "object", "properties": {
          "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}, "next_cursor": {"type": "string", "nullable": true}}}}}},
          "400": {"description": "invalid id, cursor or limit"}, "404": {"description": "unknown session"}}}},
    "/v1/sessions/{id}/messages": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "post": {"summary": "Send a message; the reply says what the agent did and asks what it needs. With Accept: text/event-stream the turn's events stream as server-sent events (message, plan, questions, answers, confirm, call, then reply).",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}},
        "responses": {"200": {"description": "the reply", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reply"}}, "text/event-stream": {}}},
          "400": {"description": "malformed body or invalid id"}, "401": {"description": "missing or unknown token"},
          "409": {"description": "another turn of the session is under way; the body carries the session's state"},
          "413": {"description": "body too large"},
          "429": {"description": "a namespace limit (rate, concurrency, daily_cost, daily_api_calls); Retry-After and reset say when it lifts"},
          "503": {"description": "the store is unavailable; Retry-After"},
          "504": {"description": "the turn timed out"}}}},
    "/v1/plan": {"post": {"summary": "Plan a request without running it",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
        "properties": {"query": {"type": "string"}, "goals": {"type": "array", "items": {"type": "string"}}, "known": {"type": "object"}}}}}},
      "responses": {"200": {"description": "the plan"}, "400": {"description": "malformed request"}}}},
    "/v1/apis": {"get": {"summary": "The APIs of the caller's namespace", "responses": {"200": {"description": "APIs"}}}},
    "/v1/tools": {"get": {"summary": "The tools of the caller's namespace", "responses": {"200": {"description": "tools"}}}}
  }
}`
