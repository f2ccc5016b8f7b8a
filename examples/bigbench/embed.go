// Package bigbench embeds the BIG-Bench tool-making example: the scripted
// Maker and Dispatcher replies and a few examples per task, so that
// `toolsmith demo` can make and use a tool offline.
package bigbench

import "embed"

// Files holds scripted.yaml and the tasks' examples (*.jsonl).
//
//go:embed scripted.yaml *.jsonl
var Files embed.FS
