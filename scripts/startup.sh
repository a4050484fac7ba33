#!/usr/bin/env bash
# Start-up on both backends, side by side: import N synthetic places into a fresh SQLite file
# and a fresh PostgreSQL database, then time `serve` from launch to /healthz ready (reading the
# places and building the index) and read its resident memory.
#
#   scripts/startup.sh [PLACES]          # default 150000
#
# Each database is served twice, without and with readings from a dictionary (IPADIC at
# serve's default place, its compiled form cached in the user's cache directory: the second
# start and later read the cache).
#
# Needs: cargo, curl, psql, and PostgreSQL at TSUNAGARI_TEST_POSTGRES
# (default postgres://postgres@127.0.0.1:5432/postgres). The PostgreSQL database it creates
# is dropped at exit.
set -euo pipefail
PLACES=${1:-150000}
PORT=${STARTUP_PORT:-18200}
admin="${TSUNAGARI_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
pgdb="tsunagari_startup_$$"
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  psql "$admin" -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

cargo build --release --quiet --bin tsunagari
bin=${CARGO_TARGET_DIR:-target}/release/tsunagari
"$bin" generate --places "$PLACES" --seed 1 > "$work/places.geojson"

printf '| backend | places | import (s) | readings | start-up to ready (s) | index build (ms, from the log) | RSS after start-up (MB) |\n|---|---|---|---|---|---|---|\n'
for db in "sqlite://$work/startup.db" "${admin%/*}/$pgdb"; do
  t0=$(now)
  "$bin" import "$work/places.geojson" --database "$db" > /dev/null 2>&1
  import_s=$(elapsed "$t0" "$(now)")
  for readings in --no-readings ""; do
    t0=$(now)
    # shellcheck disable=SC2086
    RUST_LOG=info "$bin" serve --no-sample --database "$db" --listen "127.0.0.1:$PORT" $readings > "$work/serve.log" 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
      kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
      sleep 0.02
    done
    ready_s=$(elapsed "$t0" "$(now)")
    rss_mb=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    build_ms=$(sed 's/\x1b\[[0-9;]*m//g' "$work/serve.log" | grep 'index built' | grep -o 'ms=[0-9]*' | head -1 | cut -d= -f2 || true)
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${db%%:*}" "$PLACES" "$import_s" "${readings:-IPADIC}" "$ready_s" "$build_ms" "$rss_mb"
  done
done
