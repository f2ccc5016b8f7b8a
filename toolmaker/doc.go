// Package toolmaker is toolsmith's tool-making pipeline, after "Large
// Language Models as Tool Makers" (LATM): a strong model (the Maker) writes a
// reusable Go function for a family of tasks from a few examples; the
// function is compiled and verified in the sandbox, repaired by the Maker
// when it fails, wrapped with usage demos and tests, and registered in the
// registry. Later requests are routed to a cached tool by the Dispatcher
// model and solved by the tool's own parser (no model call at all) or by the
// cheap User model calling the tool through function calling.
//
// The stages:
//
//   - Propose ([Toolmaker.Make]): the Maker sees the family's description,
//     the training examples and the tool contract (one Go file; a Solve
//     function with typed parameters; optional Parse(input string) returning
//     Solve's arguments and optional Format rendering Solve's result as the
//     answer; only the sandbox's allowed imports). Replies without code,
//     compile errors, forbidden imports and contract violations go back to
//     the Maker, at most Options.ProposeRounds times.
//   - Verify: Parse → Solve → Format runs in the sandbox on the validation
//     examples; the failing example with the expected and the actual answer
//     goes back to the Maker, who may fix any function, at most
//     Options.VerifyRounds times.
//   - Wrap: only a verified tool is registered, as a registry.Tool with its
//     source, JSON Schemas, docstring, demos (input → arguments → answer),
//     the examples as tests and provenance (tokens and cost of making it,
//     from the llm meter). Remaking a family registers a new version.
//   - Dispatch ([Toolmaker.Dispatch]): relevance search over the registry
//     gives candidates; the Dispatcher model picks one or answers unknown.
//   - Use ([Toolmaker.Use], [Toolmaker.Solve]): Parse path first; else the
//     User model produces Solve's arguments against its JSON Schema; a tool
//     error gives the User model one retry with the error; then the Maker
//     answers directly and the answer is flagged. Requests no tool serves
//     are answered by the Maker and kept as pending examples of a family,
//     for which a tool is made once enough have accumulated
//     ([Toolmaker.MakeFamily]).
//
// Every model call is metered per request (llm.WithRequest), so each
// [Answer] and each made tool reports its calls, tokens and cost by role.
// Model output is treated as hostile: it only ever runs in the sandbox
// Runner given to [New], and a family whose tool cannot be made is marked
// failed with the reasons (see [MakeError]).
package toolmaker
