// Package agent is toolsmith's conversation engine. A turn runs four stages:
//
//  1. understand: the Translator model turns the user's message into a plan
//     request (goal APIs, known values, and several calls of one API when
//     the user wants them) by function calling against a JSON Schema
//     generated from the registry — over the APIs relevant to the message,
//     within a size budget, when the catalogue is large — or, when
//     questions are pending, extracts the answers, validated against each
//     slot's allowed values;
//  2. reason and plan: the API planner (ASP rules, the team's policies, PDDL
//     and search) finds the cheapest orchestration;
//  3. execute: each step's arguments are bound from the dataflow and the API
//     is called through its Invoker; a get_info step ends the turn with every
//     missing value asked for at once, an API flagged for confirmation asks
//     first, and a failing API is retried and then planned around;
//  4. respond: the User model writes the answer from the step results.
//
// The conversation state lives in the registry Store after every step, so a
// session resumes from any replica and after a crash; idempotency keys make
// sure a side-effecting API is never called twice for the same step.
package agent
