#!/usr/bin/env bash
# What one cached bearer token costs: fills Gatehouse's verified-token cache with N distinct valid
# tokens and reports the live heap per token (jcmd GC.class_histogram, which runs a full GC, before
# and after, by class) and the RSS before the fill, after it and under load.
#
#   ./mvnw -B -q package -DskipTests && bench/token-heap.sh [N] [APPS]     (defaults 100000, 10000)
#
# Environment: JAR (the packaged jar), KEYS (a BenchKit key directory whose issuer uses port
# BENCH_IDP_PORT, reused when it holds at least N tokens; signing 100,000 takes minutes), OUT, and
# LOAD_CPU, PROXY_CPU, GH_JAVA_OPTS as in bench/run.sh. Note that assertions expire 5 minutes after
# they are signed: a fill slower than that counts fewer of them than tokens.
set -uo pipefail
N=${1:-100000} APPS=${2:-10000}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); BENCH=$ROOT/bench
W=${OUT:-$BENCH/results/token-heap-$(date -u +%Y%m%dT%H%M%SZ)}; LOGS=$W/logs
mkdir -p "$W/keys" "$W/tmp" "$LOGS"
LOAD_CPU=${LOAD_CPU:-1} PROXY_CPU=${PROXY_CPU:-0} JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
GH_JAVA_OPTS=${GH_JAVA_OPTS:-} LOG_TAG=token-heap
BENCH_IDP_PORT=${BENCH_IDP_PORT:-47613}
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
ISSUER=http://127.0.0.1:$BENCH_IDP_PORT/realms/bench
KEYS=${KEYS:-$BENCH/results/token-heap-keys-$BENCH_IDP_PORT}
if [ "$(wc -l <"$KEYS/miss-tokens.txt" 2>/dev/null || echo 0)" -lt "$N" ]; then
    log "signing $N distinct tokens into $KEYS"
    java "$BENCH/BenchKit.java" keys "$KEYS" "$ISSUER" gatehouse "$N" || die "key generation failed"
fi
cp "$KEYS"/* "$W/keys/"; chmod 644 "$W/keys/"*
start_upstream
APP_HOST=$(java "$BENCH/BenchKit.java" config "$W/gatehouse.yaml" "$APPS" "$ISSUER" gatehouse "http://127.0.0.1:$UP_PORT")
start_gatehouse main "$W/gatehouse.yaml"
url=http://127.0.0.1:$GH_PORT/
TOKEN=$(cat "$W/keys/token.txt")
valid() { curl -s "http://127.0.0.1:$GH_MGMT/q/metrics" | awk '/^gatehouse_token_verifications_total\{.*result="valid"/ {s += $NF} END {printf "%d", s}'; }
rss() { echo "$1 VmRSS_MB=$(( $(rss_kb "$GH_PID" VmRSS) / 1024 )) VmHWM_MB=$(( $(rss_kb "$GH_PID" VmHWM) / 1024 ))" | tee -a "$W/rss.txt"; }
load() { # load NAME SECONDS: the one valid token (cache hits), 32 connections
    BENCH_NAME=$1 taskset -c "$LOAD_CPU" wrk -t1 -c32 -d"$2s" -s "$BENCH/lua/bench.lua" -H "Host: $APP_HOST" \
        -H "Authorization: Bearer $TOKEN" "$url" >"$LOGS/wrk-$1.txt" 2>&1
    log "$1: $(grep -o '"rps":[0-9.]*' "$LOGS/wrk-$1.txt")"
}
load warmup 20
jcmd "$GH_PID" GC.class_histogram >"$W/histo-before.txt"
rss before_fill
head -n "$N" "$W/keys/miss-tokens.txt" >"$W/fill.txt"
t0=$(date +%s)
BENCH_NAME=fill BENCH_TOKEN_FILE="$W/fill.txt" taskset -c "$LOAD_CPU" wrk -t1 -c32 -d3600s -s "$BENCH/lua/bench.lua" \
    -H "Host: $APP_HOST" "$url" >"$LOGS/wrk-fill.txt" 2>&1 &
WRK=$!
while v=$(valid); [ "$v" -lt "$N" ] && kill -0 "$WRK" 2>/dev/null; do sleep 2; done
kill -INT "$WRK" 2>/dev/null; wait "$WRK"
CACHED=$(( $(valid) - 1 )) # the warm-up token
echo "filled $CACHED tokens in $(( $(date +%s) - t0 )) s" | tee -a "$W/rss.txt"
rss after_fill
load filled-load 30
rss under_load
jcmd "$GH_PID" GC.class_histogram >"$W/histo-after.txt"
jcmd "$GH_PID" GC.heap_info >"$W/heap-info.txt"
rss after_full_gc
stop_pid "$GH_PID"
python3 "$BENCH/heap-diff.py" "$W/histo-before.txt" "$W/histo-after.txt" "$CACHED" | tee "$W/per-token.txt"
