#!/usr/bin/env bash
# The latency tail of builds side by side (issue 13, round eight; BENCHMARKS.md): per round and jar a fresh
# Gatehouse pinned like bench/run.sh's (core 0, -XX:ActiveProcessorCount=1, shipped defaults), WARMUP s at
# 256 connections, DURATION s at 32 (the c32 p99), then the fixed-rate run of run.sh's gatehouse step (RATE
# req/s over 64 connections, bench.lua's pacer) for RATE_DURATION s; after each round the upstream direct at
# the same rate (for "p99 added"). Jars interleaved (A B A B ...), one line per run in $OUT/results.jsonl,
# each with the load average at its end; the CPU per request by thread group of each rate run in
# $OUT/threads-<jar>-r<round>.txt (bench/thread-cpu.py).
#
#   JARS='base=/tmp/base/quarkus-run.jar;new=target/quarkus-app/quarkus-run.jar' ROUNDS=3 RATE=14803 bench/tail.sh
#
# DIAG=1 adds diagnostics that leave Gatehouse's behaviour as shipped: -Xlog:gc*,safepoint to
# $OUT/gc-<run>.log (decorated with CLOCK_MONOTONIC, `tn`), the trim log at DEBUG, and during each rate run
# `perf sched record` of core 0 (root) and bench/lua/gaps.lua's log of pauses in response completions;
# then bench/sched-attrib.py's report of who ran while the event loop waited ($OUT/sched-<run>.txt).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
JARS=${JARS:-built=$ROOT/target/quarkus-app/quarkus-run.jar}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-14803}                 # round seven's half load (0.5 x its best req/s)
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-20}
RATE_DURATION=${RATE_DURATION:-30}
DIAG=${DIAG:-0}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
GH_JAVA_OPTS=${GH_JAVA_OPTS:-}
OUT=${OUT:-$BENCH/results/tail-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/logs" "$OUT/work/tmp" "$OUT/work/keys" || exit 1
OUT=$(cd "$OUT" && pwd)
LOGS=$OUT/logs
W=$OUT/work
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
LOG_TAG=tail
: >"$OUT/results.jsonl"

start_upstream
ISSUER="http://127.0.0.1:$IDP_PORT/realms/bench"
AUDIENCE=gatehouse
java "$BENCH/BenchKit.java" keys "$W/keys" "$ISSUER" "$AUDIENCE" 10 >/dev/null || die "key generation failed"
TOKEN=$(cat "$W/keys/token.txt")
CFG=$W/gatehouse-10.yaml
APP_HOST=$(java "$BENCH/BenchKit.java" config "$CFG" 10 "$ISSUER" "$AUDIENCE" "http://127.0.0.1:$UP_PORT")

# run NAME URL CONNS SECONDS LUA [ENV=VALUE ...]: one wrk run on the load core; records its JSON line
# (with the load average) unless NAME starts with "warmup"
run() {
    local name=$1 url=$2 conns=$3 secs=$4 lua=$5 line
    shift 5
    sleep 1
    env BENCH_NAME="$name" BENCH_THREADS=1 BENCH_LUA="$BENCH/lua/bench.lua" "$@" \
        taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" -d"${secs}s" --latency --timeout 10s -s "$lua" \
        -H "Host: $APP_HOST" -H "Authorization: Bearer $TOKEN" "$url" >"$LOGS/wrk-$name.txt" 2>&1
    line=$(sed -n 's/^BENCH_JSON //p' "$LOGS/wrk-$name.txt")
    [ -n "$line" ] || die "wrk $name produced no result, see $LOGS/wrk-$name.txt"
    case $name in warmup*) return ;; esac
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r["load"]=sys.argv[2]; print(json.dumps(r))' \
        "$line" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/results.jsonl"
    log "$name: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%.0f req/s p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f" % (r["rps"], r["p50_ms"], r["p90_ms"], r["p99_ms"], r["p999_ms"], r["max_ms"]))' "$line"), load $(cut -d' ' -f1 /proc/loadavg)"
}

# rate NAME URL: the fixed-rate run, under perf sched and the gap log with DIAG=1
rate() {
    local name=$1 url=$2 pp
    if [ "$DIAG" != 1 ]; then
        run "$name" "$url" 64 "$RATE_DURATION" "$BENCH/lua/bench.lua" BENCH_RATE="$RATE"
        return
    fi
    perf sched record -k CLOCK_MONOTONIC -C "$PROXY_CPU" -o "$OUT/perf-$name.data" -- sleep $((RATE_DURATION + 2)) \
        >/dev/null 2>&1 &
    pp=$!
    run "$name" "$url" 64 "$RATE_DURATION" "$BENCH/lua/gaps.lua" BENCH_RATE="$RATE" GAP_FILE="$OUT/gaps-$name"
    wait "$pp"
}

IFS=';' read -ra jars <<<"$JARS"
for round in $(seq "$ROUNDS"); do
    for j in "${jars[@]}"; do
        label=${j%%=*}
        JAR=${j#*=}
        n=$label-r$round
        opts=(-Dquarkus.log.category.\"dev.gatehouse.lifecycle.NativeHeapTrim\".level=DEBUG)
        [ "$DIAG" = 1 ] && opts+=("-Xlog:gc*,safepoint:file=$OUT/gc-$n.log:tn,un,tid,tags")
        start_gatehouse "$n" "$CFG" "${opts[@]}"
        url="http://127.0.0.1:$GH_PORT/"
        run "warmup-$n" "$url" 256 "$WARMUP" "$BENCH/lua/bench.lua"
        run "c32-$n" "$url" 32 "$DURATION" "$BENCH/lua/bench.lua"
        python3 "$BENCH/thread-cpu.py" snap "$GH_PID" "$W/threads.snap"
        rate "rate-$n" "$url"
        python3 "$BENCH/thread-cpu.py" diff "$GH_PID" "$W/threads.snap" \
            "$(sed -n 's/^BENCH_JSON .*"requests":\([0-9]*\).*/\1/p' "$LOGS/wrk-rate-$n.txt")" >"$OUT/threads-$n.txt" 2>&1
        grep -h 'Trim native\|trim skipped' "$LOGS/gatehouse-$n.log" \
            | sed -E 's/.*"timestamp":"([^"]+)".*"message":"([^"]+)".*/\1 \2/' >"$OUT/trims-$n.txt"
        if [ "$DIAG" = 1 ]; then
            perf sched timehist --state -i "$OUT/perf-rate-$n.data" >"$W/timehist.txt" 2>/dev/null
            python3 "$BENCH/sched-attrib.py" "$W/timehist.txt" "$GH_PID" "$OUT/gaps-rate-$n.0" >"$OUT/sched-rate-$n.txt"
        fi
        stop_pid "$GH_PID"
    done
    rate "rate-direct-r$round" "http://127.0.0.1:$UP_PORT/"
done
log "results in $OUT"
