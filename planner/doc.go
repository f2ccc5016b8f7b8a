// Package planner plans API orchestrations: it turns a registry of APIs and a
// user request (goals plus the values the user gave) into a plan — a sequence
// of API calls whose inputs are bound to known values, to outputs of earlier
// calls, or to get_info steps that ask the user for a missing value.
//
// Planning is a pipeline of stages, each a function from one value to the
// next (pipeline.go; Options.Trace reports each):
//
//  1. reading (situation.go): the request against the registry — goals,
//     values given by slot or by input, account settings, done steps, and
//     the instances ("Api#tag") it names (instances.go);
//  2. relevance (relevance.go): the APIs backward-relevant to the goals and
//     to the APIs the request names, less those that can never be called;
//     with only the built-in rules, also less those in no optimal plan of
//     the task the answer set is foreseen to give (foresee.go), so that
//     registries of thousands of APIs stay fast;
//  3. facts (facts.go): those APIs and the request as ASP facts, built as
//     asp.Symbol values (never printed and parsed back);
//  4. answer set (reason.go): the facts solved in process (package asp)
//     with the built-in rules (rules/core.lp, rules/effects.lp) and the
//     caller's policies, all parsed once by New; the answer set says which
//     inputs are known, which values conflict or are not allowed, which
//     calls are forbidden, which missing values may be asked of the user,
//     which calls need confirmation and which are preferred. Relevance and
//     reasoning go round again when the answer set needs more APIs;
//  5. task (task.go): a PDDL task (package planner/pddl) in which every API
//     is an action and get_info is the action that asks for a value,
//     costlier than a call; pruneByCost (prune.go) removes the actions in
//     no optimal plan, with h_max from package planner/search;
//  6. plan (search.go): package planner/search, A* with LM-cut on tasks up
//     to Options.LargeTask actions, greedy best-first search above;
//  7. decoded plan (decode.go, choices.go, order.go): every argument of
//     every step bound to a value, an earlier step's output or a get_info
//     answer, choices inserted, in a canonical order.
//
// Safety rules every plan keeps (rules/effects.lp, scope.go, choices.go,
// values.go): a write or destructive API (registry.EffectOf) is called only
// as a goal of the request, unless a policy derives allow_means, and waits
// for the user's confirmation unless a policy derives no_confirm; a value
// flows from an output to an input only when both denote the same thing
// (a declared type or alias, else the same name within one service, and
// for generic names within one resource); an identifying input of a write
// or destructive step taken from a call that may return several records
// (declared a list, or named or described as a search or a plural where
// the spec cannot say), or of a goal taken from a declared list, becomes
// the user's choice (a get_info step with Options); allowed values match
// after trivial normalisation, and a rejected value is asked of the user
// alone.
// Diagnostics are Issues (JSON "problems").
//
// Replan continues from executed steps, answers and failed APIs; a Cache
// (MemoryCache, or StoreCache over the registry's plan cache) skips planning
// for a request seen before. One API called on different values is planned
// as instances "Api#tag" (instances.go).
//
// Parameter names that differ between a producer and a consumer (an output
// "skyId" feeding an input "originSkyId") are linked through semantic types:
// registry.Input.Type names the slot an input takes and registry.Input.Aliases
// lists further slots it accepts; registry.Output.Type names the slot an
// output provides. A known value keyed by a slot fills every input that
// accepts the slot; a key "Api.input" fills that input alone and wins.
package planner
