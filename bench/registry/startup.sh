#!/bin/sh
# startup.sh measures what linking github.com/getkin/kin-openapi would add to
# every start of the toolsmith binary: it times `toolsmith version` and a
# probe binary that only links kin-openapi/openapi3 (built in a throw-away
# copy of the module, so go.mod stays untouched), 5 rounds of 100 runs each,
# and prints the package initialisation times from GODEBUG=inittrace=1.
#
# Usage (from the repository root): sh bench/registry/startup.sh
set -eu
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/toolsmith" ./cmd/toolsmith
mkdir -p "$tmp/mod/probe"
cp go.mod go.sum "$tmp/mod/"
cat > "$tmp/mod/probe/main.go" <<'GO'
package main

import (
	"fmt"

	_ "github.com/getkin/kin-openapi/openapi3"
)

func main() { fmt.Println("probe") }
GO
(cd "$tmp/mod" && go get github.com/getkin/kin-openapi/openapi3@v0.153.0 >/dev/null 2>&1 && go build -o "$tmp/kinprobe" ./probe)
cat > "$tmp/empty.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("probe") }
GO
(cd "$tmp" && go build -o "$tmp/emptyprobe" empty.go)

per_run() { # binary args... -> median ms per run over 5 rounds of 100
	for r in 1 2 3 4 5; do
		s=$(date +%s%N)
		i=0
		while [ $i -lt 100 ]; do "$@" >/dev/null; i=$((i+1)); done
		e=$(date +%s%N)
		echo $(( (e - s) / 100000 ))
	done | sort -n | sed -n 3p | awk '{printf "%.2f ms\n", $1/1000}'
}
echo "toolsmith version:          $(per_run "$tmp/toolsmith" version)"
echo "empty Go binary (baseline): $(per_run "$tmp/emptyprobe")"
echo "binary linking kin-openapi: $(per_run "$tmp/kinprobe")"
echo "largest package inits with kin-openapi:"
GODEBUG=inittrace=1 "$tmp/kinprobe" 2>&1 >/dev/null | sort -t' ' -k5 -rn | head -3
echo "registry package init in toolsmith:"
GODEBUG=inittrace=1 "$tmp/toolsmith" version 2>&1 >/dev/null | grep 'toolsmith/registry ' || true
