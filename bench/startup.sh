#!/usr/bin/env bash
# Startup check: launch to /q/health/ready with N apps, several times per JVM option set, pinned to
# one core as bench/run.sh runs Gatehouse. Prints, per start, the wall time to ready and the CPU time
# the process had used by then (user + system, every thread): on a shared machine the CPU time is the
# steadier figure.
# usage: [JAR=other/quarkus-run.jar] [APPS=10000] [RUNS=3] [THREADS=1 (CPU per thread name at ready, on stderr)] [VARIANTS='shipped=;label=JVM options;...'] bench/startup.sh
#   A/B of two builds: JARS='base=/tmp/base/quarkus-run.jar new=target/quarkus-app/quarkus-run.jar' (space-
#   separated label=path; each run starts every jar with every variant, interleaved; rows are jar.variant)
#   (needs the packaged jar, nginx, curl; the IdP documents are served by the upstream nginx)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); BENCH=$ROOT/bench
OUT=${OUT:-$BENCH/results/startup-$(date -u +%Y%m%dT%H%M%SZ)}; W=$OUT/work; LOGS=$OUT/logs; mkdir -p "$W/keys" "$W/tmp" "$LOGS"
PROXY_CPU=${PROXY_CPU:-0} LOAD_CPU=${LOAD_CPU:-1} GH_JAVA_OPTS=${GH_JAVA_OPTS:-} JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar} LOG_TAG=startup
APPS=${APPS:-10000}; RUNS=${RUNS:-3}; VARIANTS=${VARIANTS:-shipped=}
. "$BENCH/lib.sh"
JARS=${JARS:-"=$JAR"}
for j in $JARS; do [ -f "${j#*=}" ] || die "no ${j#*=}: run ./mvnw -B package -DskipTests first"; done
start_upstream
ISSUER="http://127.0.0.1:$IDP_PORT/realms/bench"
java "$BENCH/BenchKit.java" keys "$W/keys" "$ISSUER" gatehouse 0 >/dev/null || die "key generation failed"
java "$BENCH/BenchKit.java" config "$W/gh.yaml" "$APPS" "$ISSUER" gatehouse "http://127.0.0.1:$UP_PORT" >/dev/null
TICK=$(getconf CLK_TCK)
printf '| variant | options | run | ready ms | CPU s at ready | load avg |\n| --- | --- | --- | --- | --- | --- |\n'
IFS=';' read -ra VS <<<"$VARIANTS"
for r in $(seq "$RUNS"); do # jars and variants interleaved, so that a change in the machine's load hits each alike
  for j in $JARS; do
    JAR=${j#*=}; jar_label=${j%%=*}
    for v in "${VS[@]}"; do
        label=${jar_label:+$jar_label.}${v%%=*}; opts=${v#*=}
        rm -rf "$W/ghdata"
        # shellcheck disable=SC2086
        start_gatehouse "$label-$r" "$W/gh.yaml" $opts
        cpu=$(awk -v t="$TICK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$GH_PID/stat")
        printf '| %s | `%s` | %s | %s | %s | %s |\n' "$label" "$opts" "$r" "$GH_READY_MS" "$cpu" "$(cut -d' ' -f1-3 /proc/loadavg)"
        if [ -n "${THREADS:-}" ]; then # CPU by thread name at ready: where the start's CPU went
            for t in /proc/$GH_PID/task/*; do
                awk -v t="$TICK" -v n="$(tr ' ' '_' <"$t/comm")" '{printf "%s %.2f\n", n, ($14 + $15) / t}' "$t/stat"
            done | sed -E 's/[0-9]+ / /' | awk '{c[$1] += $2} END {for (n in c) if (c[n] >= 0.05) printf "    %-28s %.2f s\n", n, c[n]}' | sort -k2 -nr >&2
        fi
        stop_pid "$GH_PID"
    done
  done
done
