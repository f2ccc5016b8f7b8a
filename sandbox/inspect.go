package sandbox

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// toolFile is a parsed tool that passed the static checks.
type toolFile struct {
	fset    *token.FileSet
	file    *ast.File
	hasMain bool     // package main with func main()
	funcs   []string // exported top-level functions, in source order
	usesGo  bool     // contains a go statement
}

// sourceName is the file name positions in messages refer to.
const sourceName = "tool.go"

// inspect parses src and applies the static checks that run before any
// interpretation: every import must be on the allow-list (and never cgo,
// relative, or the interpreter's own packages), no //go:linkname directive,
// no denied symbol of an allowed package.
// With the allow-list off (checkSymbols false, allowed true for every
// path) only cgo and relative imports are refused.
func inspect(src string, allowed func(importPath string) bool, checkSymbols bool) (*toolFile, *Error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, sourceName, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, compileError(err)
	}
	t := &toolFile{fset: fset, file: f}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:linkname") || strings.HasPrefix(c.Text, "/*go:linkname") {
				return nil, errorf(KindForbidden, "%s: //go:linkname is not allowed", fset.Position(c.Pos()))
			}
		}
	}
	names := make(map[string]string) // local name -> import path
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			return nil, errorf(KindCompile, "%s: bad import path %s", fset.Position(im.Pos()), im.Path.Value)
		}
		pos := fset.Position(im.Pos())
		switch {
		case p == "C":
			return nil, errorf(KindForbidden, `%s: import "C" (cgo) is not allowed`, pos)
		case strings.HasPrefix(p, ".") || strings.HasPrefix(p, "/"):
			return nil, errorf(KindForbidden, "%s: relative import %q is not allowed", pos, p)
		case !allowed(p):
			return nil, errorf(KindForbidden, "%s: import %q is not allowed", pos, p)
		}
		local := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			local = im.Name.Name
		}
		names[local] = p
	}
	var denied *Error
	ast.Inspect(f, func(n ast.Node) bool {
		if denied != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			t.usesGo = true
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if p, ok := names[id.Name]; ok && checkSymbols && deniedSymbol(p, n.Sel.Name) {
					denied = errorf(KindForbidden, "%s: %s.%s is not allowed (timers outlive the call)", fset.Position(n.Pos()), p, n.Sel.Name)
				}
			}
		}
		return true
	})
	if denied != nil {
		return nil, denied
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		if f.Name.Name == "main" && fd.Name.Name == "main" {
			t.hasMain = true
		}
		if fd.Name.IsExported() {
			t.funcs = append(t.funcs, fd.Name.Name)
		}
	}
	return t, nil
}

// compileError turns a parser or interpreter error into a compile Error.
func compileError(err error) *Error {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		msgs := make([]string, 0, min(len(list), 5))
		for _, e := range list[:min(len(list), 5)] {
			msgs = append(msgs, readableCompileMessage(e.Error()))
		}
		return errorf(KindCompile, "%s", strings.Join(msgs, "; "))
	}
	return errorf(KindCompile, "%s", readableCompileMessage(err.Error()))
}

// interpTypeName matches the interpreter's internal names of Go's basic
// types ("stringT", "intT") in its messages.
var interpTypeName = regexp.MustCompile(`\b(bool|string|int|int8|int16|int32|int64|uint|uint8|uint16|uint32|uint64|uintptr|float32|float64|complex64|complex128|byte|rune)T\b`)

// readableCompileMessage makes an interpreter message read like the Go
// compiler's: positions name the tool's file ("tool.go:3:25") and types
// their Go names ("string", not "stringT"), which is what a model repairing
// the tool understands.
func readableCompileMessage(msg string) string {
	msg = interpTypeName.ReplaceAllString(msg, "$1")
	if len(msg) > 0 && msg[0] >= '0' && msg[0] <= '9' {
		msg = "tool.go:" + msg
	}
	return msg
}
