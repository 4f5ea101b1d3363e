#!/usr/bin/env bash
# Measures a running `./scimflow up` stack against issue 12's write-path targets, in its steady state: first creates at
# 64 in flight until the services' JIT compilers are done with the request paths (a fresh stack needs about four
# minutes of load for that: docs/BENCHMARK.md, "The steady state"), then each target's run, one after the other
# (about 16 minutes in all).
#
#   bench/targets.sh [DATA_DIR] [WARM_UP]      # defaults: .scimflow 240s
#
# Start the stack with SCIMFLOW_INGRESS_RATE_LIMIT_ENABLED=false, or the per-tenant rate limit answers 429 to most of
# it. Each run is `scimflow bench` (8 new tenants each, no audit lag samples); its table and per-process CPU are printed
# as they come, and results.json/report.html of each go to DATA_DIR/targets/<run>. If wrk is installed, creates are also
# measured with it (one tenant, the stack's own), as the issue first measured: it takes far less of the shared CPU than
# `scimflow bench`'s own load generator.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
SCIMFLOW="$DIR/../scimflow"
DATA=${1:-.scimflow}
WARM_UP=${2:-240s}
[ -f "$DATA/stack.json" ] || { echo "no running stack in $DATA (./scimflow up --data-dir $DATA)" >&2; exit 2; }
OUT="$DATA/targets"
mkdir -p "$OUT"

run() {
  local name=$1
  shift
  echo
  echo "## $name"
  "$SCIMFLOW" bench --data-dir "$DATA" --tenants 8 --lag-samples 0 --out "$OUT/$name" "$@" 2> "$OUT/$name.log" \
    | sed -n '/^note: the load generator ran/d;/^load:/p;/^operation/,/stack and load generator/p;/^note: /p'
}

echo "issue 12's targets on the stack in $DATA ($(nproc) cores), $(date -u +%FT%TZ)"
run warm-up --users 0 --only create --concurrency 64 --duration "$WARM_UP"
echo "target: >= 2,000 creates/s, 0 errors"
run creates-64 --users 0 --only create --concurrency 64 --warm-up 20s --duration 30s
run creates-128 --users 0 --only create --concurrency 128 --warm-up 20s --duration 30s
echo "target: create p99 <= 50 ms at 500/s open loop"
for n in 1 2 3; do run "creates-500-per-s-$n" --users 0 --only create --rate 500 --warm-up 20s --duration 30s; done
echo "target: GET p99 <= 10 ms at 500/s open loop"
run gets-500-per-s --users 2000 --only get --rate 500 --warm-up 15s --duration 30s
# deactivations and reactivations in turn, as bench/wrk/deactivate.lua sends them: each PATCH changes its user (with
# deactivations alone, the preloaded users are all inactive within a second, and the PATCHes after that change nothing);
# two minutes of them first, for the JIT compilers of the PATCH path and of the audit service, which creates do not use
echo "target: >= 1,500 PATCH deactivations/s"
run deactivations-64 --users 2000 --mix deactivate=1,reactivate=1 --concurrency 64 --warm-up 2m --duration 30s
echo "target: one create on an idle stack, p50 <= 10 ms"
run creates-1 --users 0 --only create --concurrency 1 --warm-up 10s --duration 20s

if command -v wrk > /dev/null; then
  BASE=$(sed -n 's/.*"scimBaseUrl" : "\([^"]*\)".*/\1/p' "$DATA/stack.json")
  TOKEN=$(sed -n 's/.*"token" : "\([^"]*\)".*/\1/p' "$DATA/credentials.json" | head -1)
  export WRK_DIR="$DIR/wrk"
  echo
  echo "## creates with wrk (the stack's own tenant), 30 s each"
  for connections in 64 64 128; do
    printf '%4s connections: ' "$connections"
    wrk -t1 -c"$connections" -d30s --timeout 30s -H "Authorization: Bearer $TOKEN" -s "$DIR/wrk/create.lua" "$BASE/Users" \
      | sed -n 's/^RESULT //p'
  done
else
  echo
  echo "(wrk is not installed: no wrk runs; Debian and Ubuntu: apt-get install wrk)"
fi
