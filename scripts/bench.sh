#!/usr/bin/env bash
# Measures every figure of README's "Figures measured so far" table in one run, each HTTP
# figure next to its ceiling: a bare axum handler (examples/static_body.rs) answering the same
# bytes, measured in the same run, interleaved A/B/A/B.
#
#   scripts/bench.sh [PLACES] [SECONDS]        # defaults: 150000 places, 10 s per wrk run
#   BENCH_SEARCH_ONLY=1 scripts/bench.sh        # start-up, memory and the search table only
#
# The search table gives the median latency of each query shape of issue #20, one client at
# a time (wrk -c1 --latency), so that the figure is one request's time, not a queue's.
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
bin=${CARGO_TARGET_DIR:-target}/release/tsunagari
ceiling=${CARGO_TARGET_DIR:-target}/release/examples/static_body

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
# SERVE_ARGS: more options for serve, e.g. --no-readings to compare without the dictionary.
# shellcheck disable=SC2086
taskset -c 0 "$bin" serve --no-sample --database "$db" --listen "127.0.0.1:$PORT" ${SERVE_ARGS:-} \
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

# Text search: the median of one request at a time, each shape. Words are percent-encoded:
# 体操 (half of all places), 茶話 (13 %), 脳 (one character), いきいき百歳体操 (a long phrase
# common to half), 脳トレ (3.6 %), zzzz (nothing), 子供 (a spelling variant of 子ども),
# たいそう (kana: found by the names' readings, with a dictionary), and what a user types
# into the box (さっぽ → 札幌…). Near is Tokyo station.
TOKYO='near=139.767,35.681'
SEARCHES=(
  "q two characters 体操|q=%E4%BD%93%E6%93%8D&limit=20"
  "q two characters 茶話|q=%E8%8C%B6%E8%A9%B1&limit=20"
  "q one character 脳|q=%E8%84%B3&limit=20"
  "q long phrase いきいき百歳体操|q=%E3%81%84%E3%81%8D%E3%81%84%E3%81%8D%E7%99%BE%E6%AD%B3%E4%BD%93%E6%93%8D&limit=20"
  "q spelling variant 子供|q=%E5%AD%90%E4%BE%9B&limit=20"
  "q in kana たいそう (by readings, with a dictionary)|q=%E3%81%9F%E3%81%84%E3%81%9D%E3%81%86&limit=20"
  "q matching nothing zzzz|q=zzzz&limit=20"
  "near + q matching nothing|$TOKYO&q=zzzz&limit=20"
  "near + q 脳トレ (rare)|$TOKYO&q=%E8%84%B3%E3%83%88%E3%83%AC&limit=20"
  "near + q 体操 (common)|$TOKYO&q=%E4%BD%93%E6%93%8D&limit=20"
  "near + radius 2 km + q 体操|$TOKYO&radius=2000&q=%E4%BD%93%E6%93%8D&limit=20"
  "near + category salon|$TOKYO&category=salon&limit=20"
  "q 体操 + category + bbox (central Osaka)|q=%E4%BD%93%E6%93%8D&category=exercise&bbox=135.45,34.64,135.55,34.74&limit=20"
  "suggest さっぽ|suggest:q=%E3%81%95%E3%81%A3%E3%81%BD"
  "suggest 札幌|suggest:q=%E6%9C%AD%E5%B9%8C"
)
median_ms() { # URL -> median latency in ms
  taskset -c 1 wrk -t1 -c1 -d"${SEARCH_SECONDS:-5}s" --latency "$1" |
    awk '$1 == "50%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
                       else if (v ~ /ms$/) { sub(/ms$/, "", v) }
                       else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
                       printf "%.2f", v }'
}
search_rows=""
for shape in "${SEARCHES[@]}"; do
  name=${shape%%|*}
  query=${shape#*|}
  case $query in
    suggest:*) url="http://127.0.0.1:$PORT/api/suggest?${query#suggest:}" ;;
    *) url="$items?$query" ;;
  esac
  matched=$(curl -fs "$url" | grep -o '"numberMatched":[0-9]*' | cut -d: -f2 || true)
  search_rows+="| ${name} | ${matched:--} | $(median_ms "$url") ms |"$'\n'
done
if [ -n "${BENCH_SEARCH_ONLY:-}" ]; then
  cat <<TABLE

Search: $PLACES synthetic places (seed $SEED), release build, server on core 0, wrk -t1 -c1
--latency -d${SEARCH_SECONDS:-5}s on core 1. Load average before the run: $load.
Serve options: ${SERVE_ARGS:-none}. Start-up ${startup_s} s; resident memory after start-up ${rss_mb} MB.

| query shape | numberMatched | median latency |
|---|---|---|
${search_rows}
TABLE
  exit 0
fi

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

| search query shape (one client at a time) | numberMatched | median latency |
|---|---|---|
${search_rows}
EOF
