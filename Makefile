# toolsmith — build, test, demo, benchmarks.
# Quick start on a fresh Debian/Ubuntu machine with Go: `make demo`, then `make test`.

GO        ?= go
BIN       ?= bin/toolsmith
DATA      ?= ../shared/data
FUZZTIME  ?= 10s
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)

.PHONY: all build demo test test-mcp vet lint fuzz bench clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/toolsmith

# The main job, offline, on the scripted model and an embedded store in a
# throw-away home: nothing to set up, nothing left behind.
demo: build
	@home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; \
	TOOLSMITH_HOME=$$home ./scripts/demo.sh $(BIN)

# Everything a fresh machine needs: Redis and clingo are started or installed
# by scripts/test-env.sh, then vet and the whole suite with the race detector.
test:
	@eval "$$(./scripts/test-env.sh)" && \
	$(GO) vet ./... && \
	$(GO) test -race -timeout 15m ./...

# MCP against parts nobody here wrote: the official conformance suite, the
# TypeScript SDK client and the everything server (scripts/mcp-env.sh installs
# Node 22 and the pinned npm packages into a cache directory). CI runs it too.
test-mcp: build
	@eval "$$(./scripts/test-env.sh)" && ./scripts/test-mcp.sh $(BIN)

# The agent's chaos suite in full (make test runs its short version): two
# serve replicas on a Redis of their own, a counting side-effect API, faults
# under load; fails on a duplicated call, a call no session knows, or a
# stuck session.
chaos:
	@eval "$$(./scripts/test-env.sh)" && $(GO) run ./scripts/chaos -full

vet:
	$(GO) vet ./...

lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# A short run of every fuzz target (FUZZTIME each).
fuzz:
	@eval "$$(./scripts/test-env.sh)" && ./scripts/fuzz.sh $(FUZZTIME)

# Long benchmarks against clingo, Fast Downward's recorded figures and the
# other baselines; rewrites docs/BENCHMARKS.md. DATA=DIR is the benchmark
# data (default ../shared/data, which is not part of the repository).
bench: build
	@eval "$$(./scripts/test-env.sh)" && ./scripts/bench.sh $(BIN) $(DATA)

clean:
	rm -rf bin
