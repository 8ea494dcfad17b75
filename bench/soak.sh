#!/usr/bin/env bash
# Soak test: Gatehouse under mixed traffic for a long time, watching for leaks and errors.
#
#   ./mvnw -B -q package -DskipTests && bench/soak.sh                 # 10 minutes (the full run)
#   SOAK_SECONDS=120 SOAK_LABEL="smoke run" bench/soak.sh             # short smoke run
#
# One Gatehouse (packaged jar, pinned to PROXY_CPU) in front of the bench's nginx upstream and a
# WebSocket echo upstream, with the bench's static IdP documents. After a calibration run (maximum
# throughput of allowed traffic, which also warms the JIT), it runs for SOAK_SECONDS at SOAK_RATE
# (default: SOAK_RATE_FRACTION x the calibrated maximum), all at once:
#   - allowed requests (valid token)                      wrk, must all be 2xx
#   - denied requests, a valid token the policy denies    wrk, must all be 403
#   - denied requests, no token                           wrk, must all be 401
#   - SOAK_WS WebSocket loops: open, SOAK_WS_MSGS echoed messages, clean close, again; every tenth
#     handshake carries the denied token and must get 403 (bench/ws/ws-churn.js)
# Samples at the baseline (after calibration, idle), every SOAK_INTERVAL s, when the load stops and at
# the end (idle again): RSS, heap after a forced GC (jcmd), file descriptors, threads, Gatehouse's
# /q/metrics (requests by decision, decision="error" by reason, open WebSockets), WebSocket client stats.
# Writes bench/results/soak-<time>/ (samples.jsonl, summary.json, summary.md, logs/) and prints a
# verdict; exit status 0 only on PASS. Every process it starts is stopped on exit (trap).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench

# ---- parameters -----------------------------------------------------------------------------------
SOAK_SECONDS=${SOAK_SECONDS:-600}          # length of the mixed-traffic run
SOAK_RATE=${SOAK_RATE:-}                   # total HTTP req/s; empty: SOAK_RATE_FRACTION x calibrated max
SOAK_RATE_FRACTION=${SOAK_RATE_FRACTION:-0.5}
SOAK_CALIBRATE=${SOAK_CALIBRATE:-20}       # seconds of the calibration (max throughput, allowed traffic)
SOAK_MIX=${SOAK_MIX:-"80 10 10"}           # % of SOAK_RATE: allowed, denied token (403), no token (401)
SOAK_CONNS=${SOAK_CONNS:-"64 8 8"}         # wrk connections of the three streams (calibration: the first)
SOAK_WS=${SOAK_WS:-200}                    # WebSocket loops running at once
SOAK_WS_MSGS=${SOAK_WS_MSGS:-20}           # messages per WebSocket (1 B - 4 KB, each echo checked)
SOAK_WS_GAP_MS=${SOAK_WS_GAP_MS:-250}      # pause between messages
SOAK_WS_DENY_EVERY=${SOAK_WS_DENY_EVERY:-10}  # every Nth handshake uses the denied token (0: never)
SOAK_WS_RECHECK=${SOAK_WS_RECHECK:-PT2S}   # gatehouse.websocket.recheck-interval (shipped: 15 s); short so
                                           # that every socket is re-checked during its ~5 s life
SOAK_INTERVAL=${SOAK_INTERVAL:-30}         # seconds between samples
SOAK_GC=${SOAK_GC:-1}                      # 1: force a GC (jcmd GC.run) before reading the heap
SOAK_MAX_RSS_GROWTH=${SOAK_MAX_RSS_GROWTH:-5}   # % RSS growth allowed over the second half
SOAK_FD_TOLERANCE=${SOAK_FD_TOLERANCE:-3}  # FDs above the baseline tolerated at the end
SOAK_DRAIN_WAIT=${SOAK_DRAIN_WAIT:-75}     # max seconds to wait for FDs to return (upstream keep-alive: 60 s)
SOAK_LABEL=${SOAK_LABEL:-full run}
APPS=${APPS:-10}                           # apps in the generated config (plus one WebSocket app)
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
GH_JAVA_OPTS=${GH_JAVA_OPTS:-}
OUT=${OUT:-$BENCH/results/soak-$(date -u +%Y%m%dT%H%M%SZ)}
JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
LOG_TAG=soak

# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"

for t in nginx wrk taskset java jcmd node python3 curl; do
    command -v "$t" >/dev/null 2>&1 || die "missing tool: $t (see bench/README.md for how to install it)"
done
[ -f "$JAR" ] || die "$JAR not found: build first with ./mvnw -B -q package -DskipTests"
ulimit -n "$(ulimit -Hn)" 2>/dev/null

mkdir -p "$OUT/logs" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
LOGS=$OUT/logs
W=$OUT/work
mkdir -p "$W/tmp" "$W/keys"
chmod 755 "$OUT" "$W" "$W/keys"
SAMPLES=$OUT/samples.jsonl
: >"$SAMPLES"
read -r MIX_ALLOW MIX_DENY MIX_NONE <<<"$SOAK_MIX"
read -r CONNS_ALLOW CONNS_DENY CONNS_NONE <<<"$SOAK_CONNS"
log "results in $OUT"

# ---- components -----------------------------------------------------------------------------------
AUDIENCE=gatehouse
start_upstream
ISSUER="http://127.0.0.1:$IDP_PORT/realms/bench"
java "$BENCH/BenchKit.java" keys "$W/keys" "$ISSUER" "$AUDIENCE" 0 || die "key generation failed"
java "$BENCH/BenchKit.java" token "$W/keys" "$ISSUER" "$AUDIENCE" bob "staff,sales" >"$W/keys/denied-token.txt" \
    || die "denied token generation failed"
TOKEN=$(cat "$W/keys/token.txt")
DENIED=$(cat "$W/keys/denied-token.txt")

WS_PORT=$(free_port)
start_bg ws-upstream taskset -c "$LOAD_CPU" node "$BENCH/ws/ws-upstream.js" "$WS_PORT"
WS_UP_PID=$BG_PID
wait_port "$WS_PORT" "$WS_UP_PID" || die "WebSocket upstream did not start, see $LOGS/ws-upstream.log"

CFG=$W/gatehouse-soak.yaml
APP_HOST=$(java "$BENCH/BenchKit.java" config "$CFG" "$APPS" "$ISSUER" "$AUDIENCE" "http://127.0.0.1:$UP_PORT") \
    || die "config generation failed"
WS_HOST=ws.soak.test
cat >>"$CFG" <<EOF
  - id: soak-ws
    host: "$WS_HOST"
    upstream: http://127.0.0.1:$WS_PORT
    idp: bench
    policy: {allow: {and: [{groups: {has: engineering}}, {device: {compliant: true}}]}}
EOF

# shipped defaults, except: the decision log (one line per request) goes to a size-capped rotating file
# instead of the console, and the WebSocket re-check interval is SOAK_WS_RECHECK
start_gatehouse soak "$CFG" \
    -Dgatehouse.websocket.recheck-interval="$SOAK_WS_RECHECK" \
    -Dgatehouse.decision-log.output=logger \
    -Dquarkus.log.handler.file.decisions.enable=true \
    -Dquarkus.log.handler.file.decisions.path="$LOGS/decisions.log" \
    -Dquarkus.log.handler.file.decisions.format=%s%n \
    -Dquarkus.log.handler.file.decisions.rotation.max-file-size=50M \
    -Dquarkus.log.handler.file.decisions.rotation.max-backup-index=1 \
    -Dquarkus.log.handler.file.decisions.async=true \
    '-Dquarkus.log.category."gatehouse.decision".handlers=decisions' \
    '-Dquarkus.log.category."gatehouse.decision".use-parent-handlers=false'
URL="http://127.0.0.1:$GH_PORT/"

expect_status() { # expect_status NAME WANT [TOKEN]
    local args=(-s -o "$W/body" -w '%{http_code}' -H "Host: $APP_HOST" --max-time 10) code
    [ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
    code=$(curl "${args[@]}" "$URL")
    [ "$code" = "$2" ] || die "$1: expected HTTP $2, got $code ($(head -c 300 "$W/body"))"
}
expect_status "valid token" 200 "$TOKEN"
expect_status "denied token" 403 "$DENIED"
expect_status "no token" 401

# ---- helpers of the run -------------------------------------------------------------------------------
T0=$(date +%s)
elapsed() { echo $(( $(date +%s) - T0 )); }
sample() { # sample LABEL
    python3 "$BENCH/soak.py" sample "$SAMPLES" "$1" "$(elapsed)" "$GH_PID" "$GH_MGMT" "$LOGS/ws-churn.log" "$SOAK_GC" \
        || log "WARNING: sample $1 failed"
}
# wrk_stream NAME CONNS SECONDS [ENV=VALUE ...] -- [wrk args...]: one wrk on the load core, in the background;
# its output goes to $LOGS/wrk-NAME.log
wrk_stream() {
    local name=$1 conns=$2 secs=$3; shift 3
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    start_bg "wrk-$name" env BENCH_NAME="$name" BENCH_THREADS=1 "${envs[@]}" \
        taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" -d"${secs}s" --latency --timeout 10s \
        -s "$BENCH/lua/bench.lua" -H "Host: $APP_HOST" "$@" "$URL"
    WRK_PID=$BG_PID
}
wrk_json() { sed -n 's/^BENCH_JSON //p' "$LOGS/wrk-$1.log"; }

sample launch

# ---- calibration (also the warm-up) -------------------------------------------------------------------
log "calibration: ${SOAK_CALIBRATE}s of allowed traffic at maximum throughput, $CONNS_ALLOW connections"
wrk_stream calibration "$CONNS_ALLOW" "$SOAK_CALIBRATE" -- -H "Authorization: Bearer $TOKEN"
wait "$WRK_PID"
CAL=$(wrk_json calibration)
[ -n "$CAL" ] || die "calibration produced no result, see $LOGS/wrk-calibration.log"
CAL_RPS=$(python3 -c 'import json,sys; print(int(json.loads(sys.argv[1])["rps"]))' "$CAL")
if [ -z "$SOAK_RATE" ]; then
    RATE=$(python3 -c 'import sys; print(max(30, int(float(sys.argv[1]) * float(sys.argv[2]))))' "$CAL_RPS" "$SOAK_RATE_FRACTION")
else
    RATE=$SOAK_RATE
fi
RATE_ALLOW=$(( RATE * MIX_ALLOW / 100 )); RATE_DENY=$(( RATE * MIX_DENY / 100 )); RATE_NONE=$(( RATE * MIX_NONE / 100 ))
log "calibrated maximum $CAL_RPS req/s; soak rate $RATE req/s: $RATE_ALLOW allowed, $RATE_DENY denied token, $RATE_NONE no token"

export SOAK_SECONDS SOAK_RATE_FRACTION SOAK_MIX SOAK_CONNS SOAK_WS SOAK_WS_MSGS SOAK_WS_GAP_MS SOAK_WS_RECHECK \
    SOAK_INTERVAL SOAK_GC SOAK_MAX_RSS_GROWTH SOAK_FD_TOLERANCE SOAK_LABEL RATE CAL_RPS APPS
export COMMAND="SOAK_SECONDS=$SOAK_SECONDS${SOAK_RATE:+ SOAK_RATE=$SOAK_RATE} SOAK_RATE_FRACTION=$SOAK_RATE_FRACTION SOAK_MIX='$SOAK_MIX' SOAK_CONNS='$SOAK_CONNS' SOAK_WS=$SOAK_WS SOAK_WS_MSGS=$SOAK_WS_MSGS SOAK_WS_GAP_MS=$SOAK_WS_GAP_MS SOAK_WS_RECHECK=$SOAK_WS_RECHECK SOAK_INTERVAL=$SOAK_INTERVAL SOAK_LABEL='$SOAK_LABEL' bench/soak.sh"
export HOST_FACTS="$(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg) at start, $(java -version 2>&1 | sed -n 2p), git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"
python3 -c 'import json,os,sys
keys = "SOAK_SECONDS SOAK_RATE_FRACTION SOAK_MIX SOAK_CONNS SOAK_WS SOAK_WS_MSGS SOAK_WS_GAP_MS SOAK_WS_RECHECK SOAK_INTERVAL SOAK_GC SOAK_MAX_RSS_GROWTH SOAK_FD_TOLERANCE SOAK_LABEL RATE CAL_RPS APPS COMMAND HOST_FACTS".split()
json.dump({k: os.environ.get(k, "") for k in keys}, open(sys.argv[1], "w"), indent=2)' "$OUT/params.json"

sleep 5   # the calibration's connections close
T0=$(date +%s)
sample baseline

# ---- the soak -----------------------------------------------------------------------------------------
log "soak: ${SOAK_SECONDS}s of mixed traffic and $SOAK_WS WebSocket loops; a sample every ${SOAK_INTERVAL}s"
start_bg ws-churn taskset -c "$LOAD_CPU" node "$BENCH/ws/ws-churn.js" 127.0.0.1 "$GH_PORT" "$WS_HOST" \
    "$W/keys/token.txt" "$W/keys/denied-token.txt" "$SOAK_WS" "$SOAK_WS_MSGS" "$SOAK_WS_GAP_MS" "$SOAK_INTERVAL" \
    "$SOAK_WS_DENY_EVERY"
CHURN_PID=$BG_PID
LOAD_PIDS=()
wrk_stream allowed "$CONNS_ALLOW" "$SOAK_SECONDS" BENCH_RATE="$RATE_ALLOW" -- -H "Authorization: Bearer $TOKEN"
LOAD_PIDS+=("$WRK_PID")
if [ "$RATE_DENY" -gt 0 ]; then
    wrk_stream denied-token "$CONNS_DENY" "$SOAK_SECONDS" BENCH_RATE="$RATE_DENY" BENCH_EXPECT_STATUS=403 \
        -- -H "Authorization: Bearer $DENIED"
    LOAD_PIDS+=("$WRK_PID")
fi
if [ "$RATE_NONE" -gt 0 ]; then
    wrk_stream no-token "$CONNS_NONE" "$SOAK_SECONDS" BENCH_RATE="$RATE_NONE" BENCH_EXPECT_STATUS=401 --
    LOAD_PIDS+=("$WRK_PID")
fi

next=$SOAK_INTERVAL
while [ "$next" -lt "$SOAK_SECONDS" ]; do
    while [ "$(elapsed)" -lt "$next" ]; do sleep 1; done
    sample run
    kill -0 "$GH_PID" 2>/dev/null || die "Gatehouse died, see $LOGS/gatehouse-soak.log"
    kill -0 "$CHURN_PID" 2>/dev/null || log "WARNING: the WebSocket loops exited early, see $LOGS/ws-churn.log"
    next=$(( next + SOAK_INTERVAL ))
done
for p in "${LOAD_PIDS[@]}"; do wait "$p"; done
sample load-end

log "load stopped; closing the WebSocket loops cleanly"
kill -TERM "$CHURN_PID" 2>/dev/null
for _ in $(seq 200); do kill -0 "$CHURN_PID" 2>/dev/null || break; sleep 0.1; done
stop_pid "$CHURN_PID"

BASE_FDS=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    s = json.loads(l)
    if s["label"] == "baseline": print(s["fds"])' "$SAMPLES")
BASE_FDS=${BASE_FDS:-0}
log "waiting up to ${SOAK_DRAIN_WAIT}s for file descriptors to return to the baseline ($BASE_FDS)"
for _ in $(seq "$SOAK_DRAIN_WAIT"); do
    [ "$(ls "/proc/$GH_PID/fd" | wc -l)" -le $(( BASE_FDS + SOAK_FD_TOLERANCE )) ] && break
    sleep 1
done
sample end
kill -USR2 "$WS_UP_PID" 2>/dev/null; sleep 0.5
log "WebSocket upstream: $(grep 'ws-upstream open' "$LOGS/ws-upstream.log" | tail -1)"
# what the remaining descriptors are: TCP sockets of the Gatehouse process by state and peer
ss -tanpH 2>/dev/null | grep "pid=$GH_PID," >"$OUT/sockets-end.txt"
awk -v gh="$GH_PORT" -v up="$UP_PORT" -v ws="$WS_PORT" -v idp="$IDP_PORT" '{
        lp = $4; sub(/.*:/, "", lp); pp = $5; sub(/.*:/, "", pp)
        peer = pp == up ? "upstream-nginx" : pp == ws ? "upstream-websocket" : pp == idp ? "idp" : pp == "*" ? "-" : "client"
        print $1, (lp == gh ? "data-port" : "outbound"), peer }' "$OUT/sockets-end.txt" \
    | sort | uniq -c | sort -rn >"$OUT/sockets-end-summary.txt"
log "Gatehouse's TCP sockets at the end: $(tr '\n' ';' <"$OUT/sockets-end-summary.txt")"

python3 "$BENCH/soak.py" report "$OUT"
rc=$?
log "results: $OUT (summary.md, summary.json, samples.jsonl, logs/)"
exit $rc
