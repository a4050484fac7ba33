#!/usr/bin/env bash
# Measures every figure of README's "Figures measured so far" table in one run, each HTTP
# figure next to its ceiling: a bare axum handler (examples/static_body.rs) answering the same
# bytes, measured in the same run, interleaved A/B/A/B.
#
#   scripts/bench.sh [PLACES] [SECONDS]        # defaults: 150000 places, 10 s per wrk run
#
# Needs: cargo, wrk, curl, taskset (util-linux). The server is pinned to core 0 and wrk to
# core 1, as README describes. Work files go to a fresh temporary directory, removed at exit.
set -euo pipefail

PLACES=${1:-150000}
SECONDS_PER_RUN=${2:-10}
SEED=1
PORT=${BENCH_PORT:-18100}
CEILING_PORT=$((PORT + 1))
ROUNDS=2
NEAR='near=139.70,35.69&radius=2000&limit=20'
# A city-zoom box of central Osaka answering about 500 features: the smallest of these
# half-widths (degrees) around Osaka's centre that matches 500 or more.
OSAKA=(135.50 34.69)
HALF_WIDTHS=(0.025 0.05 0.1 0.2 0.4 0.8)
# open_at: a Tuesday morning instant and a whole day (Japan time), added to the same queries.
OPEN_INSTANT='open_at=2026-12-01T10:30:00%2B09:00'
OPEN_DAY='open_at=2026-12-01'

cd "$(dirname "$0")/.."
for tool in cargo wrk curl taskset; do
  command -v "$tool" >/dev/null || { echo "bench.sh needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# building (release)" >&2
cargo build --release --quiet --bin tsunagari --example static_body
bin=target/release/tsunagari
ceiling=target/release/examples/static_body

echo "# generating $PLACES places (seed $SEED)" >&2
"$bin" generate --places "$PLACES" --seed "$SEED" > "$work/places.geojson"

db="sqlite://$work/bench.db"
t0=$(now)
"$bin" import "$work/places.geojson" --database "$db" > "$work/import.log" 2>&1
import_s=$(elapsed "$t0" "$(now)")

wait_ready() { # URL PID
  until curl -fs -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || { echo "server exited during start-up" >&2; exit 1; }
    sleep 0.02
  done
}

t0=$(now)
taskset -c 0 "$bin" serve --no-sample --database "$db" --listen "127.0.0.1:$PORT" \
  > "$work/serve.log" 2>&1 &
server=$!
pids+=("$server")
wait_ready "http://127.0.0.1:$PORT/healthz" "$server"
startup_s=$(elapsed "$t0" "$(now)")
rss_mb=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")

items="http://127.0.0.1:$PORT/api/collections/places/items"
curl -fs "$items?$NEAR" > "$work/near.json"
for half in "${HALF_WIDTHS[@]}"; do
  BBOX=$(awk -v x="${OSAKA[0]}" -v y="${OSAKA[1]}" -v h="$half" \
    'BEGIN { printf "bbox=%.3f,%.3f,%.3f,%.3f&limit=500", x - h, y - h, x + h, y + h }')
  curl -fs "$items?$BBOX" > "$work/bbox.json"
  matched=$(grep -o '"numberMatched":[0-9]*' "$work/bbox.json" | cut -d: -f2)
  if (( matched >= 500 )); then break; fi
done
near_bytes=$(wc -c < "$work/near.json")
bbox_bytes=$(wc -c < "$work/bbox.json")
count() { grep -o '"numberReturned":[0-9]*' "$1" | cut -d: -f2; }

taskset -c 0 "$ceiling" "127.0.0.1:$CEILING_PORT" "$work/near.json" "$work/bbox.json" \
  > "$work/ceiling.log" 2>&1 &
pids+=("$!")
wait_ready "http://127.0.0.1:$CEILING_PORT/near" "$!"

rps() { # URL -> requests per second
  taskset -c 1 wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" "$1" | awk '/^Requests\/sec/ { printf "%.0f", $2 }'
}

declare -A best=([near]=0 [near_ceiling]=0 [bbox]=0 [bbox_ceiling]=0
  [near_open]=0 [bbox_open]=0 [bbox_open_day]=0)
keep_best() { if (( $2 > ${best[$1]} )); then best[$1]=$2; fi; }
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round of $ROUNDS" >&2
  keep_best near "$(rps "$items?$NEAR")"
  keep_best near_ceiling "$(rps "http://127.0.0.1:$CEILING_PORT/near")"
  keep_best bbox "$(rps "$items?$BBOX")"
  keep_best bbox_ceiling "$(rps "http://127.0.0.1:$CEILING_PORT/bbox")"
  keep_best near_open "$(rps "$items?$NEAR&$OPEN_INSTANT")"
  keep_best bbox_open "$(rps "$items?$BBOX&$OPEN_INSTANT")"
  keep_best bbox_open_day "$(rps "$items?$BBOX&$OPEN_DAY")"
done
share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }

cat <<EOF

Figures: $PLACES synthetic places (tsunagari generate --seed $SEED), release build,
server on core 0, wrk -t1 -c64 -d${SECONDS_PER_RUN}s on core 1, best of $ROUNDS interleaved rounds.
Load average before the run: $load (2 cores: above 2, other work competed with this run).

| what | figure |
|---|---|
| start-up (launch to /healthz ready: read places, build the index) | ${startup_s} s |
| resident memory after start-up | ${rss_mb} MB |
| \`near\` + \`radius=2000\` + \`limit=20\` ($(count "$work/near.json") features, ${near_bytes} B) | ${best[near]} req/s |
| bare axum, same ${near_bytes} B body (ceiling) | ${best[near_ceiling]} req/s |
| near as a share of its ceiling (target ≥ 60 %) | $(share "${best[near]}" "${best[near_ceiling]}") |
| \`bbox\` of central Osaka ($BBOX) ($(count "$work/bbox.json") features, ${bbox_bytes} B) | ${best[bbox]} req/s |
| bare axum, same ${bbox_bytes} B body (ceiling) | ${best[bbox_ceiling]} req/s |
| bbox as a share of its ceiling (target ≥ 40 %) | $(share "${best[bbox]}" "${best[bbox_ceiling]}") |
| \`near\` as above + \`$OPEN_INSTANT\` | ${best[near_open]} req/s |
| near with open_at as a share of near without it (target ≥ 50 %, "within 2×") | $(share "${best[near_open]}" "${best[near]}") |
| \`bbox\` as above + \`$OPEN_INSTANT\` | ${best[bbox_open]} req/s |
| bbox with an open_at instant as a share of bbox without it (target ≥ 50 %) | $(share "${best[bbox_open]}" "${best[bbox]}") |
| \`bbox\` as above + \`$OPEN_DAY\` (a whole day) | ${best[bbox_open_day]} req/s |
| bbox with a whole-day open_at as a share of bbox without it (target ≥ 50 %) | $(share "${best[bbox_open_day]}" "${best[bbox]}") |
| import of $PLACES places (\`tsunagari import\`) | ${import_s} s |
EOF
