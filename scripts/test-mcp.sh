#!/usr/bin/env bash
# test-mcp.sh tests toolsmith's MCP server and client against parts nobody
# here wrote (versions pinned in scripts/mcp/package-lock.json, installed by
# scripts/mcp-env.sh): the official conformance suite's server and client
# scenarios, the TypeScript SDK client booking the travel example's car
# through run (by elicitation, and by answers resumed across two replicas
# sharing Redis), and @modelcontextprotocol/server-everything imported with
# api add --mcp-command, one tool planned, and tools called by the agent,
# one of them asking for input. Usage: scripts/test-mcp.sh BIN (REDIS_URL
# from scripts/test-env.sh). Prints "N passed, N failed"; exit 1 on a failure.
set -uo pipefail

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
eval "$("$repo/scripts/mcp-env.sh")" || exit 1
: "${REDIS_URL:?REDIS_URL is not set: eval \"\$(scripts/test-env.sh)\" first}"
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export TOOLSMITH_HOME=$work/home
travel="--scripted $repo/examples/travel/scripted.yaml"
conformance="node $MCP_NODE_MODULES/@modelcontextprotocol/conformance/dist/index.js"
passed=0 failed=0

check() { # name command...
	local name=$1
	shift
	if "$@" >"$work/$name.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok    $name"
	else
		failed=$((failed + 1))
		echo "FAIL  $name (log below)"
		sed 's/^/    /' "$work/$name.log" | tail -40
	fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# serve LOG ARGS... starts toolsmith mcp serve on a free port and sets url.
serve() {
	local log=$1 port
	shift
	port=$(free_port)
	"$bin" "$@" mcp serve --addr "127.0.0.1:$port" 2>"$work/$log" &
	pids+=($!)
	url=http://127.0.0.1:$port/mcp
	for _ in $(seq 50); do
		grep -q "serving MCP" "$work/$log" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "mcp serve did not start:" >&2
	cat "$work/$log" >&2
	return 1
}

# Server scenarios against toolsmith mcp serve (travel APIs, scripted model).
serve serve.log $travel --apis "$repo/examples/travel/apis.yaml" || exit 1
for s in server-initialize ping tools-list logging-set-level dns-rebinding-protection resources-list prompts-list server-sse-multiple-streams; do
	check "conformance-server-$s" $conformance server --url "$url" --scenario "$s"
done

# Client scenarios: the suite appends its server's URL to each command.
check conformance-client-initialize $conformance client --scenario initialize --command "$bin mcp tools"
check conformance-client-tools_call $conformance client --scenario tools_call --command "$bin mcp call --tool add_numbers --args '{\"a\":5,\"b\":3}'"
check conformance-client-elicitation-sep1034-client-defaults $conformance client --scenario elicitation-sep1034-client-defaults \
	--command "$bin mcp call --tool test_client_elicitation_defaults --accept-defaults"

# The TypeScript SDK client books the car by elicitation...
check ts-sdk-travel-elicitation node "$repo/scripts/mcp/travel-client.mjs" elicit "$url"
# ... and, without elicitation, through two replicas sharing Redis.
ns=mcptest-$$-$RANDOM
serve replica-a.log $travel --store "$REDIS_URL" --namespace "$ns" --apis "$repo/examples/travel/apis.yaml" || exit 1
a=$url
serve replica-b.log $travel --store "$REDIS_URL" --namespace "$ns" --apis "$repo/examples/travel/apis.yaml" || exit 1
check ts-sdk-travel-two-replicas node "$repo/scripts/mcp/travel-client.mjs" resume "$a" "$url"
"$bin" --store "$REDIS_URL" api rm --namespace "$ns" RentalCars.GetCarsAvailable RentalCars.ReserveCar Weather.Forecast >/dev/null 2>&1

# server-everything: import, plan, and calls by the agent (one elicits).
everything="node $MCP_NODE_MODULES/@modelcontextprotocol/server-everything/dist/index.js stdio"
everything_import() {
	"$bin" api add --mcp-command "$everything" --json >import.json &&
		grep -q '"everything.trigger-elicitation-request"' import.json &&
		"$bin" api show everything.trigger-elicitation-request | grep -q 'effect: write' &&
		"$bin" api show everything.get-sum | grep -q 'effect: read'
}
check everything-import everything_import
everything_plan() {
	echo '{"goals": ["everything.get-sum"], "known": {"a": 2, "b": 3}}' >sum.json
	"$bin" plan --request sum.json --json >plan.json &&
		grep -q '"status": *"ok"' plan.json && grep -q '"api": *"everything.get-sum"' plan.json
}
check everything-plan everything_plan
everything_chat() {
	printf '%s\n' 'Echo hello MCP' 'Trigger an elicitation request' yes 'name: Ada Lovelace; check: yes' |
		"$bin" --scripted "$repo/scripts/mcp/everything-scripted.yaml" chat --json >chat.jsonl &&
		python3 - chat.jsonl <<'PY'
import json, sys
replies = [json.loads(l) for l in open(sys.argv[1])]
want = ["answered", "needs_confirmation", "needs_info", "answered"]
got = [r["status"] for r in replies]
assert got == want, f"statuses {got}, want {want}"
assert replies[0]["calls"][0]["outputs"]["text"] == "Echo: hello MCP", replies[0]["calls"]
assert "[name]" in replies[2]["text"] and replies[2]["questions"][0]["elicit"], replies[2]
out = replies[3]["calls"][-1]["outputs"]["text"]
assert "Name: Ada Lovelace" in out and "Agreed to terms: true" in out, out
PY
}
check everything-agent-calls-and-elicitation everything_chat

echo "mcp: $passed passed, $failed failed"
[ "$failed" = 0 ]
