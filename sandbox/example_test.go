package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/toolsmith-dev/toolsmith/sandbox"
)

const wordTool = `package tool

import (
	"sort"
	"strings"
)

// SortWords sorts the words of a sentence.
func SortWords(sentence string) string {
	w := strings.Fields(sentence)
	sort.Strings(w)
	return strings.Join(w, " ")
}
`

// A pool runs tools in worker processes; a program that uses it runs the
// worker when started as "<program> sandbox-worker" (the toolsmith binary
// and this package's tests do).
func Example() {
	ctx := context.Background()
	pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1, Timeout: 5 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	res, err := pool.Run(ctx, sandbox.Call{
		Source: wordTool,
		Func:   "SortWords",
		Args:   json.RawMessage(`{"sentence": "pear apple fig"}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.OK, string(res.Result))

	res, _ = pool.Run(ctx, sandbox.Call{Source: "package main\nimport \"os\"\nfunc main() { os.Exit(1) }\n"})
	fmt.Println(res.OK, res.Error.Kind)
	// Output:
	// true "apple fig pear"
	// false forbidden
}

func ExampleSignatures() {
	sigs, err := sandbox.Signatures(wordTool)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sigs {
		fmt.Println(s.Name, s.Params, string(s.Schema))
	}
	// Output:
	// SortWords [{sentence string}] {"additionalProperties":false,"description":"SortWords sorts the words of a sentence.","properties":{"sentence":{"type":"string"}},"required":["sentence"],"type":"object"}
}

func ExampleCheck() {
	err := sandbox.Check("package tool\nfunc F() int { return \"one\" }\n")
	fmt.Println(err != nil)
	// Output: true
}
