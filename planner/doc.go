// Package planner plans API orchestrations: it turns a registry of APIs and a
// user request (goals plus the values the user gave) into a plan — a sequence
// of API calls whose inputs are bound to known values, to outputs of earlier
// calls, or to get_info steps that ask the user for a missing value.
//
// Planning runs in four stages, each with its own file:
//
//  1. relevance.go keeps only the APIs backward-relevant to the goals, so a
//     registry of thousands of APIs stays fast;
//  2. facts.go writes those APIs and the request as ASP facts, and
//     reason.go solves them together with the built-in rules (rules/*.lp)
//     and the caller's policies; the answer set says which inputs are known,
//     which values conflict or are not allowed, which calls are forbidden,
//     which missing values may be asked of the user and which calls need
//     confirmation;
//  3. task.go materialises a PDDL task (package planner/pddl) in which every
//     API is an action and get_info is the action that asks for a value;
//  4. planner/search finds the cheapest plan, and decode.go binds every
//     argument of every step.
//
// Parameter names that differ between a producer and a consumer (an output
// "skyId" feeding an input "originSkyId") are linked through semantic types:
// registry.Input.Type names the slot an input takes and registry.Input.Aliases
// lists further slots it accepts; registry.Output.Type names the slot an
// output provides. A known value keyed by a slot fills every input that
// accepts the slot; a key "Api.input" fills that input alone and wins.
package planner
