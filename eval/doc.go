// Package eval runs toolsmith's evaluations over its engines and reports
// them in one layout:
//
//   - [Nestful]: the API planner (package planner) on NESTFUL's gold
//     sequences of nested API calls, complete and with a required value left
//     out (the plan must ask for it with get_info);
//   - [BBH]: tool making (package toolmaker) on BIG-Bench tasks, as "Large
//     Language Models as Tool Makers" (LATM) evaluates it;
//   - [LLMP]: LLM+P — a model writes a planning problem in PDDL from its
//     natural-language description, the classical planner (planner/search)
//     solves it, and the plan is validated against the ground-truth problem.
//
// Each evaluation returns its own report type, which implements [Result]:
// its JSON encoding is the benchmark's document, and [Write] prints any
// result as Markdown tables (or that JSON). Evaluations read their data
// from a directory given by the caller (the shared data set,
// ../shared/data from a checkout) and never write outside a temporary
// store.
package eval
