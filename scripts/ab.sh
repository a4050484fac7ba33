#!/usr/bin/env bash
# Compares two builds of tsunagari on the same data, in one run, interleaved A/B/A/B: the way
# to tell a regression from a noisy machine.
#
#   scripts/ab.sh BIN_A BIN_B [PLACES] [SECONDS] [QUERY…]
#
# Builds one database with BIN_B (`generate` + `import`; both builds must read it), starts
# both servers on it (pinned to core 0, one at a time while measured) and runs `wrk -t1 -c64`
# on core 1 against each query, alternating, for 3 rounds; prints the best req/s of each and
# B as a share of A. Default queries: `near` + `radius` + `limit=20` in Tokyo, and a 500-feature
# `bbox` of central Osaka (the figures of README).
#
# To build an older commit next to the current one without rebuilding every dependency:
#   git worktree add /tmp/before <commit>
#   cp -a target/release /tmp/target-before/ && (cd /tmp/before &&
#     CARGO_TARGET_DIR=/tmp/target-before cargo build --release --bin tsunagari)
set -euo pipefail

if (( $# < 2 )); then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
A=$1
B=$2
PLACES=${3:-150000}
SECONDS_PER_RUN=${4:-8}
shift $(( $# < 4 ? $# : 4 ))
QUERIES=("$@")
if (( ${#QUERIES[@]} == 0 )); then
  QUERIES=('near=139.70,35.69&radius=2000&limit=20' 'bbox=135.400,34.590,135.600,34.790&limit=500')
fi
PORT=${BENCH_PORT:-18200}
ROUNDS=3

for tool in wrk curl taskset; do
  command -v "$tool" >/dev/null || { echo "ab.sh needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
server=""
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "# generating and importing $PLACES places with B" >&2
"$B" generate --places "$PLACES" --seed 1 > "$work/places.geojson"
"$B" import "$work/places.geojson" --database "sqlite://$work/ab.db" > /dev/null 2>&1

start() { # BIN
  taskset -c 0 "$1" serve --no-sample --database "sqlite://$work/ab.db" --listen "127.0.0.1:$PORT" \
    > "$work/serve.log" 2>&1 &
  server=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$server" 2>/dev/null || { echo "server exited during start-up" >&2; cat "$work/serve.log" >&2; exit 1; }
    sleep 0.05
  done
}
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}
rps() { # URL
  taskset -c 1 wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" "$1" | awk '/^Requests\/sec/ { printf "%.0f", $2 }'
}

declare -A best
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    bin=$A
    [[ $side == B ]] && bin=$B
    echo "# round $round: $side" >&2
    start "$bin"
    for i in "${!QUERIES[@]}"; do
      r=$(rps "http://127.0.0.1:$PORT/api/collections/places/items?${QUERIES[$i]}")
      key="$side$i"
      if (( r > ${best[$key]:-0} )); then best[$key]=$r; fi
    done
    stop
  done
done

echo
echo "A: $A"
echo "B: $B"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"
echo
echo "| query | A req/s | B req/s | B / A |"
echo "|---|---|---|---|"
for i in "${!QUERIES[@]}"; do
  a=${best[A$i]}
  b=${best[B$i]}
  echo "| \`${QUERIES[$i]}\` | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f %%", 100 * b / a }') |"
done
