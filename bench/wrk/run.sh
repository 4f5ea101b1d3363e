#!/usr/bin/env bash
# Loads a running `./scimflow up` stack with wrk, one operation at a time, as issue 12 measured it: creates (which also
# preload the users), then GETs by id, userName filters and PATCH deactivations/reactivations of those users.
#
#   bench/wrk/run.sh [DATA_DIR] [CONNECTIONS] [SECONDS]      # defaults: .scimflow 16 15
#
# Needs wrk (Debian and Ubuntu: apt-get install wrk). Start the stack with SCIMFLOW_INGRESS_RATE_LIMIT_ENABLED=false,
# or the per-tenant rate limit answers 429 to most of it. wrk is a closed loop written in C, so it takes little of the
# CPU it shares with the stack; `scimflow bench` (docs/BENCHMARK.md) is the benchmark with open loops, mixes, tenants
# and per-process CPU.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
DATA=${1:-.scimflow}
CONNECTIONS=${2:-16}
SECONDS_EACH=${3:-15}
command -v wrk > /dev/null || { echo "wrk is needed (Debian and Ubuntu: apt-get install wrk)" >&2; exit 2; }
[ -f "$DATA/stack.json" ] || { echo "no running stack in $DATA (./scimflow up --data-dir $DATA)" >&2; exit 2; }

BASE=$(sed -n 's/.*"scimBaseUrl" : "\([^"]*\)".*/\1/p' "$DATA/stack.json")
TOKEN=$(sed -n 's/.*"token" : "\([^"]*\)".*/\1/p' "$DATA/credentials.json" | head -1)
USERS=$(mktemp)
trap 'rm -f "$USERS"' EXIT
export WRK_DIR="$DIR" WRK_USERS="$USERS"

phase() {
  local name=$1 script=$2
  printf '%-10s ' "$name"
  wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --timeout 30s -H "Authorization: Bearer $TOKEN" -s "$DIR/$script" "$BASE/Users" | sed -n 's/^RESULT //p'
}

echo "wrk against $BASE: $CONNECTIONS connections, ${SECONDS_EACH}s per operation"
phase create create.lua
# the users just created, "id userName" per line, for the phases after (at most 2,000; a page past the last is empty)
for start in 1 1001; do
  curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/Users?attributes=userName&count=1000&startIndex=$start&filter=userName%20sw%20%22wrk-%22" \
    | { grep -o '"id":"[^"]*"\|"userName":"[^"]*"' || true; } \
    | awk -F'"' '$2 == "id" { id = $4 } $2 == "userName" { name = $4 } id != "" && name != "" { print id, name; id = ""; name = "" }'
done > "$USERS"
echo "           ($(wc -l < "$USERS") of the users created are used below)"
phase get get.lua
phase filter filter.lua
phase deactivate deactivate.lua
