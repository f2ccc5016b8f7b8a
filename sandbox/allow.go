package sandbox

import (
	"fmt"
	"go/ast"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/toolsmith-dev/toolsmith/sandbox/internal/symbols"
	"github.com/traefik/yaegi/interp"
	unsafesyms "github.com/traefik/yaegi/stdlib/unsafe"
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

// Widenable returns every package an allow-list may name, sorted: the
// packages of DefaultAllow plus these opt-ins, which a deployment widens to
// explicitly: bufio, crypto/hmac, crypto/sha1, crypto/sha512,
// encoding/binary, encoding/xml, hash, html, io, math/cmplx, net/http,
// net/url and path. The interpreter has symbol tables for exactly these (see
// sandbox/internal/symbols); an allow-list naming any other package is
// refused when the runner is made.
func Widenable() []string { return symbols.Paths() }

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

// symbolKey is the key yaegi's interp.Exports uses for an import path.
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
		syms, ok := symbols.Lookup(p)
		if !ok {
			return nil, fmt.Errorf("sandbox: no interpreter symbols for package %q: an allow-list may name only the packages of sandbox.Widenable", p)
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

// stdlibFor is the symbol table of a sandbox with the allow-list off, for
// the imports of f: any package of the standard library (but testing,
// net/http/pprof and expvar), unsafe and the interpreter's conversions to
// and from unsafe.Pointer included. Only a worker started with
// Options.UnsafeNoAllowList uses it. An import without a table is left for
// the interpreter to report.
func stdlibFor(f *ast.File) interp.Exports {
	table := make(interp.Exports, len(f.Imports)+2)
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		if syms, ok := symbols.LookupAny(p); ok {
			table[symbolKey(p)] = syms
		}
	}
	for k, v := range unsafesyms.Symbols {
		table[k] = v
	}
	return table
}

// deniedSymbol reports whether pkg.name is refused although pkg is allowed.
func deniedSymbol(pkg, name string) bool { return slices.Contains(deniedSymbols(pkg), name) }

// defaultAllowed reports whether DefaultAllow permits importing p.
func defaultAllowed(p string) bool { return slices.Contains(DefaultAllow(), p) && !neverAllowed(p) }
