#!/usr/bin/env bash
# JIT stability under steady load: one Gatehouse (10 apps, the bench IdP and upstream), RUNS back-to-back
# 15 s wrk runs at 32 connections with one cached token, the JVM's compilation log on
# (-XX:+LogCompilation); then bench/deopt.py counts, per 15 s window since the JVM started, C2
# compilations, C2 code made not entrant and uncommon traps, next to when the IdP key probe fetched
# (the IdP's access log) and when /q/metrics was scraped (SCRAPE seconds apart, 0: never).
# A steady workload should leave the C2 compiler idle after the first minute; a burst of traps at a
# recurring time names a periodic task that runs the hot code with other types.
# ADMIN_POLL=N: from ADMIN_FROM s after the start (default 120), an admin polls the admin API on the data
# port every N s (GET /api/v1/apps and /api/v1/audit, the bench token, the admin policy opened to
# its group), as a console or a script would; the windows before and after show what that does.
# usage: [JAR=...] [RUNS=14] [SCRAPE=0] [ADMIN_POLL=0] [OUT=dir] bench/deopt.sh   (needs nginx, wrk, curl; a built jar)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); BENCH=$ROOT/bench
OUT=${OUT:-$BENCH/results/deopt-$(date -u +%Y%m%dT%H%M%SZ)}; W=$OUT/work; LOGS=$OUT/logs
mkdir -p "$W/keys" "$W/tmp" "$LOGS"; chmod 755 "$OUT" "$W" "$W/keys"
PROXY_CPU=${PROXY_CPU:-0} LOAD_CPU=${LOAD_CPU:-1} JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar} LOG_TAG=deopt
RUNS=${RUNS:-14}; SCRAPE=${SCRAPE:-0}; ADMIN_POLL=${ADMIN_POLL:-0}; ADMIN_FROM=${ADMIN_FROM:-120}
GH_JAVA_OPTS="${GH_JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$OUT/compilation.log"
. "$BENCH/lib.sh"
[ -f "$JAR" ] || die "no $JAR: run ./mvnw -B package -DskipTests first"
start_upstream
bench_app "$W/gh.yaml" 10
start_gatehouse deopt "$W/gh.yaml" "-Dgatehouse.admin.policy={allow: {groups: {has: engineering}}}"
url="http://127.0.0.1:$GH_PORT/"
if [ "$SCRAPE" -gt 0 ]; then
    ( while kill -0 "$GH_PID" 2>/dev/null; do
        sleep "$SCRAPE"; curl -s -o /dev/null "http://127.0.0.1:$GH_MGMT/q/metrics" && date +%s >>"$OUT/scrapes"
    done ) &
fi
if [ "$ADMIN_POLL" -gt 0 ]; then
    ( sleep "$ADMIN_FROM"; while kill -0 "$GH_PID" 2>/dev/null; do
        for path in /api/v1/apps /api/v1/audit; do
            code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: admin.localhost' -H "Authorization: Bearer $TOKEN" \
                "http://127.0.0.1:$GH_PORT$path")
            echo "$(date +%s) $path $code" >>"$OUT/admin-polls"
        done
        sleep "$ADMIN_POLL"
    done ) &
fi
for i in $(seq "$RUNS"); do
    taskset -c "$LOAD_CPU" wrk -t1 -c32 -d15s -H "Host: $APP_HOST" -H "Authorization: Bearer $TOKEN" "$url" \
        | awk -v i="$i" '/Requests\/sec/ {print "run " i ": " $2 " req/s"}' >&2
done
stop_pid "$GH_PID"
python3 "$BENCH/deopt.py" "$OUT" | tee "$OUT/summary.txt"
