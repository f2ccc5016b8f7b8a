#!/usr/bin/env bash
# demo.sh runs the offline demo with the binary given as $1 (make demo).
set -euo pipefail
bin=${1:-bin/toolsmith}
exec "$bin" demo
