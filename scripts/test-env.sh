#!/usr/bin/env bash
# test-env.sh makes sure the services the test suite needs are present and
# prints the environment to use, as shell assignments (eval "$(scripts/test-env.sh)").
#
# Redis: $REDIS_URL if set; else a Redis answering on 127.0.0.1:6379; else
# redis-server (installed with apt-get when root on Debian/Ubuntu) started on a
# free port without persistence. clingo (the reference ASP solver, Debian
# package gringo) is installed the same way. Progress goes to stderr.
set -euo pipefail

say() { echo "test-env: $*" >&2; }

apt_install() {
	local pkg=$1
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		say "$pkg is missing: install it (Debian/Ubuntu: sudo apt-get install $pkg) and run again"
		exit 1
	fi
	say "installing $pkg with apt-get"
	if ! apt-get install -y -qq "$pkg" >/dev/null 2>&1; then
		apt-get update -qq >/dev/null 2>&1 || true
		apt-get install -y -qq "$pkg" >/dev/null 2>&1 || { say "apt-get install $pkg failed"; exit 1; }
	fi
}

redis_ping() { # host port
	if command -v redis-cli >/dev/null; then
		redis-cli -h "$1" -p "$2" ping 2>/dev/null | grep -q PONG
	else
		# Speak RESP over bash's /dev/tcp when redis-cli is absent.
		exec 3<>"/dev/tcp/$1/$2" 2>/dev/null || return 1
		printf 'PING\r\n' >&3
		local reply
		read -r -t 2 reply <&3 || true
		exec 3>&- 3<&-
		[[ $reply == +PONG* ]]
	fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null && return
	echo $((20000 + RANDOM % 20000))
}

if [ -n "${REDIS_URL:-}" ]; then
	say "using REDIS_URL=$REDIS_URL"
elif redis_ping 127.0.0.1 6379; then
	REDIS_URL=redis://127.0.0.1:6379/0
	say "using the Redis on 127.0.0.1:6379"
else
	command -v redis-server >/dev/null || apt_install redis-server
	port=$(free_port)
	dir=$(mktemp -d)
	redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
		--dir "$dir" --logfile "$dir/redis.log" >/dev/null
	for _ in $(seq 50); do redis_ping 127.0.0.1 "$port" && break; sleep 0.1; done
	redis_ping 127.0.0.1 "$port" || { say "redis-server did not start (log: $dir/redis.log)"; exit 1; }
	REDIS_URL=redis://127.0.0.1:$port/0
	say "started redis-server on 127.0.0.1:$port (no persistence)"
fi

# The fault tests and the chaos suite run a redis-server of their own.
command -v redis-server >/dev/null || apt_install redis-server
command -v clingo >/dev/null || apt_install gringo
command -v clingo >/dev/null || { say "clingo is still missing after installing gringo"; exit 1; }

echo "export REDIS_URL=$REDIS_URL"
