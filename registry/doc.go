// Package registry keeps toolsmith's records — tools, APIs, task families,
// sessions, plan-cache entries and policies — in a Store, backed by Redis for shared
// deployments or by an embedded bbolt file by default, and searches them by
// name, family, namespace and relevance.
//
// # Records
//
// A [Tool] is a versioned Go function made by the tool maker: registering a
// tool under an existing name makes a new version; older versions stay
// readable; [Store.RemoveTool] is soft and [Store.RestoreTool] undoes it;
// [Store.RollbackTool] makes an older version current. Call statistics
// ([ToolStats]) are kept apart from the record so that hot counters never
// rewrite it. An [API] is a callable operation the planner orchestrates; a
// [Family] collects pending examples of a task until a tool is made for it
// ([Store.AddFamilyExample], then [Store.ClaimFamily], which lets exactly one
// replica take them); a [Session] holds an agent conversation's opaque state
// with a time to live ([Store.UpdateSession] changes it atomically); a
// [PlanCacheEntry] holds a plan keyed by [PlanKey] of the API set's version
// and the request; a [Policy] holds a team's ASP rules, which the planner
// adds to every plan made in its namespace. Every record is validated before it is written; a
// [*ValidationError] lists the offending fields.
//
// # Stores
//
// [Open] picks the backend from a URL: "redis://host:port/db" selects Redis
// (github.com/redis/go-redis/v9), anything else is a bbolt file path. Both
// backends have the same semantics and pass one conformance suite. In Redis
// every key of a namespace carries the hash tag "{prefix:namespace}", so a
// namespace lives in one Redis Cluster slot and multi-key transactions are
// legal; writes that read before they write use WATCH/MULTI with retries,
// counters use a Lua script. Each collection of a namespace has a version
// counter, incremented by every write and announced on a pub/sub channel
// ([Store.Subscribe]) so replicas can drop caches. The bbolt backend keeps
// the same layout in nested buckets of one file; it is for one process at a
// time (bbolt locks the file), and its notifications reach subscribers of the
// same Store only.
//
// # Search
//
// [Searcher] ranks tools and APIs for a free-text query with BM25 over names,
// descriptions, demos and parameter texts, rebuilding its in-process index
// whenever the store's collection version moves; an optional [Embedder]
// (the method set of langchaingo's embeddings.Embedder) blends in cosine
// similarity. Each hit's Coverage, the matched share of the query's weight,
// is comparable across queries. [Searcher.AllAPIs] serves the whole API
// catalogue from the same snapshot, so an unchanged catalogue costs one
// version check.
//
// # Import
//
// [ParseAPIs] reads the native format (a YAML or JSON list of API records, or
// a document {apis: [...]}), the NESTFUL specification format and OpenAPI 3
// documents. OpenAPI is read by the package's own walk over
// gopkg.in/yaml.v3 nodes rather than github.com/getkin/kin-openapi: linking
// kin-openapi added about 5 ms to every start of the toolsmith binary (its
// JSON Schema dependency's initialisation alone takes ~4 ms), against a
// budget of ~15 ms for the whole start-up and a threshold of 3 ms for this
// package; see docs/benchmarks/registry.md and bench/registry/startup.sh.
// For the same reason the package compiles no regular expressions at
// initialisation.
package registry
