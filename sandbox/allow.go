package sandbox

import (
	"fmt"
	"path"
	"reflect"
	"slices"
	"strings"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// DefaultAllow returns the standard library packages a tool may import unless
// the runner's options widen or narrow the list. Nothing outside it is
// reachable from interpreted code: no files, processes, network, environment,
// reflection or unsafe memory.
func DefaultAllow() []string {
	return []string{
		"bytes", "strings", "strconv",
		"unicode", "unicode/utf8", "unicode/utf16",
		"math", "math/big", "math/bits", "math/rand",
		"sort", "slices", "maps", "cmp",
		"container/heap", "container/list", "container/ring",
		"regexp",
		"encoding/json", "encoding/csv", "encoding/base64", "encoding/hex",
		"errors", "fmt", "time",
		"hash/crc32", "hash/fnv", "crypto/sha256", "crypto/md5",
		"text/tabwriter",
	}
}

// neverAllowed are import paths no allow-list can open: they reach the
// interpreter itself, raw memory or the process. A deployment that needs
// more (net/http, say) widens the list explicitly; these stay closed.
func neverAllowed(p string) bool {
	switch p {
	case "unsafe", "C", "runtime", "runtime/debug", "syscall", "reflect", "os", "os/exec", "os/signal", "plugin":
		return true
	}
	return strings.HasPrefix(p, "github.com/traefik/yaegi")
}

// deniedSymbols returns the members of allowed packages that a tool may not use:
// timers and tickers outlive the call that starts them.
func deniedSymbols(pkg string) []string {
	if pkg == "time" {
		return []string{"After", "AfterFunc", "NewTicker", "NewTimer", "Tick"}
	}
	return nil
}

// symbolKey is the key yaegi's stdlib table uses for an import path.
func symbolKey(importPath string) string { return importPath + "/" + path.Base(importPath) }

// symbolTable copies the yaegi symbols of exactly the allowed packages,
// minus the denied symbols. It never hands the whole stdlib table to an
// interpreter.
func symbolTable(allow []string) (interp.Exports, error) {
	table := make(interp.Exports, len(allow))
	for _, p := range allow {
		if neverAllowed(p) {
			return nil, fmt.Errorf("sandbox: package %q can never be allowed", p)
		}
		syms, ok := stdlib.Symbols[symbolKey(p)]
		if !ok {
			return nil, fmt.Errorf("sandbox: no interpreter symbols for package %q", p)
		}
		denied := deniedSymbols(p)
		m := make(map[string]reflect.Value, len(syms))
		for name, v := range syms {
			if slices.Contains(denied, name) {
				continue
			}
			m[name] = v
		}
		table[symbolKey(p)] = m
	}
	return table, nil
}

// deniedSymbol reports whether pkg.name is refused although pkg is allowed.
func deniedSymbol(pkg, name string) bool { return slices.Contains(deniedSymbols(pkg), name) }
