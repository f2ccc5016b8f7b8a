// Package llm is toolsmith's model layer: four model roles over langchaingo,
// a scripted model for offline runs, and a meter that records the tokens,
// latency and cost of every call.
//
// The roles follow "Large Language Models as Tool Makers": the Maker is a
// strong model that writes tools, the User a cheap model that applies them,
// the Dispatcher routes requests to cached tools and the Translator turns
// requests into facts for the planner. Dispatcher and Translator default to
// the User model.
//
// Models are named "provider:model" (see [ParseSpec]) and configured from the
// environment with [ConfigFromEnv]; [Open] turns a [Config] into [Models].
// Every [Model] implements [llms.Model]: it adds a per-attempt timeout,
// retries with exponential backoff and jitter on HTTP 429 and 5xx responses
// and on transport errors, and records each call in a [Meter]. Request and
// session identifiers travel in the context ([WithRequest], [WithSession]) so
// the meter can total costs per request, per session and per role.
//
// When a scripted-model file is configured ([LoadScript]), every role answers
// from its rules instead of a network; token counts are then estimated at
// about four characters a token and priced like the configured models, so
// cost reports work offline.
package llm
