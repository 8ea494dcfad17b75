#!/usr/bin/env bash
# A/B of two builds on the cache-hit keep-alive path: both Gatehouses running at once on the proxy core
# (shipped defaults, the bench's 10-app config and token), each warmed up for WARM s, then ROUNDS rounds
# of one D s wrk -c32 run each, the order alternated every round, with each process's CPU per request
# (user + system, every thread, from /proc). On a shared host the paired CPU ratio is the figure to read.
# usage: JAR_BASE=old/quarkus-run.jar JAR_NEW=target/quarkus-app/quarkus-run.jar [ROUNDS=4] [D=20] [WARM=40] bench/ab.sh
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); BENCH=$ROOT/bench
OUT=${OUT:-$BENCH/results/ab-$(date -u +%Y%m%dT%H%M%SZ)}; W=$OUT/work; LOGS=$OUT/logs
mkdir -p "$W/keys" "$W/tmp" "$LOGS"; chmod 755 "$OUT" "$W" "$W/keys"
PROXY_CPU=${PROXY_CPU:-0} LOAD_CPU=${LOAD_CPU:-1} GH_JAVA_OPTS=${GH_JAVA_OPTS:-} LOG_TAG=ab
ROUNDS=${ROUNDS:-4}; D=${D:-20}; WARM=${WARM:-40}
. "$BENCH/lib.sh"
[ -f "${JAR_BASE:-}" ] && [ -f "${JAR_NEW:-}" ] || die "set JAR_BASE and JAR_NEW to two built quarkus-run.jar"
start_upstream
bench_app "$W/gh.yaml" 10
declare -A PORT PID
for j in base new; do
    jar=$JAR_BASE; [ "$j" = new ] && jar=$JAR_NEW
    JAR=$jar start_gatehouse "$j" "$W/gh.yaml" -Dgatehouse.data-dir="$W/ghdata-$j"
    PORT[$j]=$GH_PORT; PID[$j]=$GH_PID
done
load() { # load LABEL SECONDS OUTFILE
    taskset -c "$LOAD_CPU" wrk -t1 -c32 -d"$2"s --latency -H "Host: $APP_HOST" -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:${PORT[$1]}/" >"$3"
}
run() { # run LABEL ROUND
    local f=$OUT/wrk-$1-$2.txt a b n
    a=$(awk '{print $14 + $15}' "/proc/${PID[$1]}/stat")
    load "$1" "$D" "$f"
    b=$(awk '{print $14 + $15}' "/proc/${PID[$1]}/stat")
    n=$(awk '/requests in/ {print $1}' "$f")
    printf '| %s | %s | %s | %s | %s |\n' "$2" "$1" "$(awk '/Requests\/sec/ {print $2}' "$f")" \
        "$(python3 -c "print(round(($b - $a) / $(getconf CLK_TCK) * 1e6 / $n, 1))")" "$(awk '/ 99%/ {print $2}' "$f")" | tee -a "$OUT/ab.md"
}
for j in base new; do load "$j" "$WARM" /dev/null; done
printf '| round | build | req/s | CPU us/request | p99 |\n| --- | --- | --- | --- | --- |\n' | tee "$OUT/ab.md"
for r in $(seq "$ROUNDS"); do
    if [ $((r % 2)) = 1 ]; then run base "$r"; run new "$r"; else run new "$r"; run base "$r"; fi
done
