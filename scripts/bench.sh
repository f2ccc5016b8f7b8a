#!/usr/bin/env bash
# bench.sh runs every benchmark (make bench) and rewrites docs/BENCHMARKS.md:
# the recorded tables of docs/benchmarks/*.md, then this run's raw output of
# each benchmark with the command that produced it. Long: the IPC suite alone
# runs up to 212 problems x 60 s (about an hour on 2 cores).
#
#   scripts/bench.sh BIN DATA     (make bench: BIN=bin/toolsmith DATA=../shared/data)
set -uo pipefail

# assemble writes docs/BENCHMARKS.md from the recorded sections and the raw
# output of the last run (if any).
assemble() {
	{
		cat docs/benchmarks/intro.md
		# Sections in the order of the architecture, then any others; each
		# section's headings move one level down under this page's title.
		local order="startup llm sandbox registry asp pddl-front planner plan toolmaker agent"
		local f seen=" "
		for name in $order $(ls docs/benchmarks/*.md | xargs -n1 basename | sed 's/\.md$//'); do
			f=docs/benchmarks/$name.md
			case "$seen" in *" $name "*) continue ;; esac
			seen="$seen$name "
			[ "$name" = intro ] || [ ! -f "$f" ] && continue
			echo
			if head -1 "$f" | grep -q '^# '; then
				sed -E 's/^(#+) /\1# /' "$f"
			else
				cat "$f"
			fi
		done
		if ls docs/benchmarks/raw/*.txt >/dev/null 2>&1; then
			echo
			echo "## Raw output of the last \`make bench\`"
			for f in docs/benchmarks/raw/*.txt; do
				echo
				echo "### $(basename "$f" .txt)"
				echo
				echo '```'
				cat "$f"
				echo '```'
			done
		fi
	} > docs/BENCHMARKS.md
	echo "bench: wrote docs/BENCHMARKS.md" >&2
}
if [ "${1:-}" = --assemble ]; then
	assemble
	exit 0
fi

bin=$(realpath "${1:-bin/toolsmith}")
data=${2:-../shared/data}
if [ ! -d "$data" ]; then
	echo "bench: no benchmark data at $data: the data set is not part of the repository; give its directory as make bench DATA=DIR (or scripts/bench.sh BIN DIR)" >&2
	exit 2
fi
data=$(realpath "$data")
redis=${REDIS_URL:-redis://127.0.0.1:6379/0}
out=docs/benchmarks/raw
mkdir -p "$out"

run() { # name, command...
	local name=$1; shift
	echo "bench: $name: $*" >&2
	{
		echo "\$ $*"
		echo
		"$@" 2>&1
		echo
		echo "(exit $?, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
	} > "$out/$name.txt"
}

run startup   go run ./bench/startup -toolsmith "$bin"
run kinopenapi sh bench/registry/startup.sh
run llm       go test ./llm -run '^$' -bench . -count 5 -benchtime 0.5s -benchmem
run sandbox   go run ./bench/sandbox -data "$data" -toolsmith "$bin"
run registry  go run ./bench/registry -data "$data/nestful" -bbh "$data/bbh" -redis "$redis"
run asp       go run ./bench/asp -toolsmith "$bin"
run aspsolver go test ./asp/solver -run '^$' -bench . -benchtime 5x
run pddlfront go run ./bench/pddlfront -data "$data" -runs 9
run ipc       go run ./bench/ipc -bin "$bin" -data "$data/ipc" -timeout 60s -jobs 2 -wall-factor 8
run ipcastar  go run ./bench/ipc -bin "$bin" -data "$data/ipc" -timeout 20s -per-domain 2 -search astar -heuristic lmcut \
	-domains barman-sat11-strips,blocks,depot,driverlog,elevators-sat08-strips,gripper,logistics00,miconic,miconic-simpleadl,psr-small,rovers,satellite,visitall-sat11-strips,zenotravel
run plan      go run ./bench/plan
run planstress go run ./bench/plan -uniform
run toolmaker go run ./bench/toolmaker -data "$data/bbh"
run evalbbh   "$bin" eval bbh "$data/bbh" --scripted examples/bigbench/scripted.yaml
run nestful   "$bin" eval nestful "$data/nestful"
run llmp      "$bin" eval llmp "$data/llmp" --scripted examples/llmp/scripted.yaml
run agent     go run ./bench/agent -redis "$redis"

assemble
