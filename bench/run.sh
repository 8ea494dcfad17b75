#!/usr/bin/env bash
# Side-by-side benchmark of Gatehouse against nginx (plain reverse proxy) and HAProxy (jwt_verify),
# on one machine, in one run. See bench/README.md for what is measured and how to read it.
#
#   ./mvnw -B package -DskipTests && bench/run.sh
#
# Every duration and count is an environment variable (defaults below are the full run).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench

# ---- parameters -----------------------------------------------------------------------------------
DURATION=${DURATION:-30}            # seconds of each measured wrk run
WARMUP=${WARMUP:-30}                # seconds of unmeasured load after each proxy starts (JIT, pools)
CONNS=${CONNS:-"32 256"}            # connection counts of the throughput runs (keep-alive)
APPS=${APPS:-10}                    # apps configured in the main comparison
APPS_SCALE=${APPS_SCALE:-"10 1000 10000"}   # app counts of the "how cost grows" runs
RATE=${RATE:-}                      # fixed rate (req/s) of the latency-added runs; empty: RATE_FRACTION x Gatehouse max
RATE_FRACTION=${RATE_FRACTION:-0.5}
RATE_CONNS=${RATE_CONNS:-64}        # connections of the fixed-rate runs
RATE_DURATION=${RATE_DURATION:-$DURATION}
MISS_TOKENS=${MISS_TOKENS:-300000}  # distinct valid tokens: MISS_WARM_PERCENT % warm the miss path up, the rest are measured (must exceed the miss run's requests)
MISS_WARM_PERCENT=${MISS_WARM_PERCENT:-25}  # share of MISS_TOKENS for the miss warm-up: enough for MISS_WARMUP s of new tokens
MISS_DURATION=${MISS_DURATION:-$DURATION}
MISS_CONNS=${MISS_CONNS:-32}
MISS_WARMUP=${MISS_WARMUP:-$(( WARMUP < 10 ? WARMUP : 10 ))}  # seconds of new tokens before the miss run (the JIT must compile the verify path)
WS_COUNT=${WS_COUNT:-5000}          # idle WebSockets held through Gatehouse
WS_HOLD=${WS_HOLD:-30}              # seconds they are held
WRK_THREADS=${WRK_THREADS:-1}
SETTLE=${SETTLE:-1}                 # seconds of quiet before each wrk run (connections of the last run close)
PROXY_CPU=${PROXY_CPU:-0}           # core of the proxy under test
LOAD_CPU=${LOAD_CPU:-1}             # core of wrk, the upstream and the IdP's static server
GH_JAVA_OPTS=${GH_JAVA_OPTS:-}      # extra JVM options for Gatehouse (always: -XX:ActiveProcessorCount=1)
JFR=${JFR:-0}                       # 1: an extra Gatehouse c32 run under Java Flight Recorder, with a hot-frame summary
ASYNC_PROFILER=${ASYNC_PROFILER:-}  # step miss: path of libasyncProfiler.so, attached for each measured run (collapsed stacks in $OUT)
STEPS=${STEPS:-"gatehouse peers rounds session variants tls scale ws"}  # any subset, in this order; also "miss" (new tokens only, MISS_JARS, MISS_ROUNDS)
# rounds: nginx, HAProxy and Gatehouse all running, their c32 runs interleaved ROUNDS times (the order
# turned each round), so that the ratios are read as medians of same-minute pairs, not single runs
ROUNDS=${ROUNDS:-5}
ROUND_DURATION=${ROUND_DURATION:-20}
# variants: Gatehouse again with other JVM options, label=options separated by ';' (what the shipped
# default is measured against: allows unlogged, two event loops per core, ...)
VARIANTS=${VARIANTS:-"shipped=;unlogged=-Dgatehouse.decision-log.allow-sample-rate=0;two-loops-per-core=-Dquarkus.vertx.event-loops-pool-size=2"}
VARIANT_ROUNDS=${VARIANT_ROUNDS:-1}
VARIANT_RATE=${VARIANT_RATE:-}          # req/s: the variants step adds a fixed-rate run per variant (empty: none)
TLS_ENGINES=${TLS_ENGINES:-"jdk openssl"}  # Gatehouse's TLS engines tried in the tls step (gatehouse.tls.engine)
HS_PROCS=${HS_PROCS:-4}             # parallel `openssl s_time -new` clients of the handshake runs
FILL_TOKENS=${FILL_TOKENS:-0}       # scale step: distinct tokens sent to the largest config before its RSS is read (0: skip)
FILL_DURATION=${FILL_DURATION:-$MISS_DURATION}  # seconds of that run (it must send FILL_TOKENS requests)
BENCH_LABEL=${BENCH_LABEL:-full run}
BENCH_APPEND=${BENCH_APPEND:-1}     # 1: append the report to BENCHMARKS.md
OUT=${OUT:-$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)}
JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}

# ---- helpers (shared with bench/soak.sh) ---------------------------------------------------------
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"

fact() { # fact KEY VALUE: a string fact for the report
    python3 -c 'import json,sys; print(json.dumps({"fact": sys.argv[1], "value": sys.argv[2]}))' "$1" "$2" >>"$OUT/results.jsonl"
}

# wrk_run NAME URL CONNS SECONDS [ENV=VALUE ...]: one wrk run on the load core; records its JSON line
# unless NAME starts with "warmup". BENCH_TOKEN_FILE=...: tokens from the file (bench.lua), no fixed
# header; BENCH_COOKIE=name=value: that Cookie header instead of the bearer token
wrk_run() {
    local name=$1 url=$2 conns=$3 secs=$4; shift 4
    local auth=(-H "Authorization: Bearer $TOKEN")
    local e
    for e in "$@"; do
        [[ $e == BENCH_TOKEN_FILE=* ]] && auth=()
        [[ $e == BENCH_COOKIE=* ]] && auth=(-H "Cookie: ${e#BENCH_COOKIE=}")
    done
    sleep "$SETTLE"
    log "wrk $name: -c$conns -d${secs}s $url"
    env BENCH_NAME="$name" BENCH_THREADS="$WRK_THREADS" "$@" \
        taskset -c "$LOAD_CPU" wrk -t"$WRK_THREADS" -c"$conns" -d"${secs}s" --latency --timeout 10s \
        -s "$BENCH/lua/bench.lua" -H "Host: $APP_HOST" "${auth[@]}" "$url" >"$LOGS/wrk-$name.txt" 2>&1
    local line
    line=$(sed -n 's/^BENCH_JSON //p' "$LOGS/wrk-$name.txt")
    [ -n "$line" ] || die "wrk $name produced no result, see $LOGS/wrk-$name.txt"
    case $name in warmup*) ;; *) echo "$line" >>"$OUT/results.jsonl" ;; esac
    log "  -> $(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%.0f req/s  p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  non2xx %d  sockerr %d" % (r["rps"], r["p50_ms"], r["p99_ms"], r["p999_ms"], r["non2xx"], r["err_connect"]+r["err_read"]+r["err_write"]+r["err_timeout"]))' "$line")"
}

# expect NAME URL CODE [TOKEN]: one request; dies unless the status (and, for 200, the 1 KB body) is right
expect() {
    local name=$1 url=$2 want=$3 tok=${4-$TOKEN} code size
    local args=(-s -o "$W/body" -w '%{http_code}' -H "Host: $APP_HOST" --max-time 10)
    [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
    code=$(curl "${args[@]}" "$url")
    [ "$code" = "$want" ] || die "$name: expected HTTP $want from $url, got $code ($(head -c 300 "$W/body"))"
    if [ "$want" = 200 ]; then
        size=$(stat -c %s "$W/body")
        [ "$size" = 1024 ] || die "$name: expected the 1 KB body, got $size bytes"
    fi
}

check_auth_enforced() { # a proxy that checks tokens must refuse none and a forged one
    expect "$1 without token" "$2" 401 ""
    expect "$1 with a forged signature" "$2" 401 "${TOKEN:0:${#TOKEN}-12}AAAAAAAAAAAA"
}

# ---- tools ----------------------------------------------------------------------------------------
check_tools() {
    local missing=() t
    for t in nginx haproxy wrk taskset java jcmd jfr node python3 curl openssl h2load; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "missing tools: ${missing[*]}"
        log "  nginx, haproxy, wrk, h2load: apt-get update && apt-get install -y nginx haproxy wrk nghttp2-client openssl (Debian 12: nginx 1.22, HAProxy 2.6)"
        log "  taskset: util-linux; curl: apt-get install -y curl; python3 (standard library only): apt-get install -y python3"
        log "  java/jcmd/jfr: a JDK 17 (apt-get install -y openjdk-17-jdk-headless); node: Node.js >= 18 (no npm packages needed)"
        exit 2
    fi
    local hvv
    hvv=$(haproxy -vv 2>/dev/null)
    grep -q 'USE_OPENSSL=1\|OPENSSL' <<<"$hvv" || die "haproxy is built without OpenSSL: jwt_verify needs it"
    local hv
    hv=$(haproxy -v | sed -n 's/^HAProxy version \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
    python3 -c "import sys; sys.exit(0 if tuple(map(int,'$hv'.split('.'))) >= (2,5) else 1)" \
        || die "HAProxy $hv has no jwt_verify (needs 2.5 or later; Debian 12 ships 2.6)"
    [ -f "$JAR" ] || die "$JAR not found: build first with ./mvnw -B package -DskipTests"
    [ "$(nproc)" -ge 2 ] || log "WARNING: fewer than 2 cores: proxy and load generator will share one"
    ulimit -n "$(ulimit -Hn)" 2>/dev/null
    local need=$((2 * WS_COUNT + 2000))
    [ "$(ulimit -n)" -ge "$need" ] || log "WARNING: open-files limit $(ulimit -n) < $need: the WebSocket step may fail"
}

# ---- components -----------------------------------------------------------------------------------
start_nginx_proxy() {
    NGX_PORT=$(free_port)
    {
        nginx_common proxy
        echo "http {"
        nginx_http_common proxy
        cat <<EOF
    upstream up { server 127.0.0.1:$UP_PORT; keepalive 256; keepalive_requests 10000000; }
    server {
        listen 127.0.0.1:$NGX_PORT backlog=4096;
        location / {
            proxy_pass http://up;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;
        }
    }
}
EOF
    } >"$W/proxy.conf"
    start_bg proxy-nginx taskset -c "$PROXY_CPU" nginx -p "$W" -c "$W/proxy.conf"
    NGX_PID=$BG_PID
    wait_port "$NGX_PORT" "$NGX_PID" || die "nginx proxy did not start, see $LOGS"
}

start_haproxy() {
    HAP_PORT=$(free_port)
    cat >"$W/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn 9000

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    option http-keep-alive

frontend fe
    bind 127.0.0.1:$HAP_PORT
    # the same RS256 token Gatehouse checks: signature (jwt_verify), alg, iss, aud, exp
    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request deny deny_status 401 unless { var(txn.alg) -m str RS256 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"$W/keys/pubkey.pem") -m int 1 }
    http-request set-var(txn.iss) var(txn.bearer),jwt_payload_query('\$.iss')
    http-request set-var(txn.aud) var(txn.bearer),jwt_payload_query('\$.aud')
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('\$.exp','int')
    http-request set-var(txn.now) date()
    http-request deny deny_status 401 unless { var(txn.iss) -m str $ISSUER }
    http-request deny deny_status 401 unless { var(txn.aud) -m str $AUDIENCE }
    http-request deny deny_status 401 unless { var(txn.exp),sub(txn.now) -m int gt 0 }
    default_backend be

backend be
    http-reuse always
    server up 127.0.0.1:$UP_PORT
EOF
    haproxy -c -q -f "$W/haproxy.cfg" >"$LOGS/haproxy-check.log" 2>&1 || die "haproxy config invalid, see $LOGS/haproxy-check.log"
    start_bg haproxy taskset -c "$PROXY_CPU" haproxy -db -f "$W/haproxy.cfg"
    HAP_PID=$BG_PID
    wait_port "$HAP_PORT" "$HAP_PID" || die "haproxy did not start, see $LOGS/haproxy.log"
}

gatehouse_rss() { # gatehouse_rss PREFIX: records VmRSS and VmHWM (peak) in MB
    fact "$1_rss_mb" "$(( $(rss_kb "$GH_PID" VmRSS) / 1024 ))"
    fact "$1_hwm_mb" "$(( $(rss_kb "$GH_PID" VmHWM) / 1024 ))"
}

# proc_cpu_ticks PID: user + system CPU of the process so far, in clock ticks (every thread)
proc_cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

max_conns() { local m=0 c; for c in $CONNS; do [ "$c" -gt "$m" ] && m=$c; done; echo "$m"; }
first_conns() { set -- $CONNS; echo "$1"; }

# ---- steps ----------------------------------------------------------------------------------------

# bench_config FILE APPS [UPSTREAM_PORT]: writes a Gatehouse config with APPS apps for the bench IdP,
# forwarding to the upstream nginx (or UPSTREAM_PORT); prints the benchmarked app's Host
bench_config() {
    java "$BENCH/BenchKit.java" config "$1" "$2" "$ISSUER" "$AUDIENCE" "http://127.0.0.1:${3:-$UP_PORT}"
}

step_gatehouse() {
    local cfg=$W/gatehouse-$APPS.yaml c url
    APP_HOST=$(bench_config "$cfg" "$APPS")
    start_gatehouse "main" "$cfg"
    fact gatehouse_ready_ms_main "$GH_READY_MS"
    url="http://127.0.0.1:$GH_PORT/"
    expect gatehouse "$url" 200
    check_auth_enforced gatehouse "$url"
    wrk_run warmup-gatehouse "$url" "$(max_conns)" "$WARMUP"
    for c in $CONNS; do wrk_run "gatehouse-c$c" "$url" "$c" "$DURATION"; done
    gatehouse_rss gatehouse_load
    if [ -z "$RATE" ]; then
        RATE=$(python3 -c 'import json,sys
best=0
for l in open(sys.argv[1]):
    r=json.loads(l)
    if r.get("name","").startswith("gatehouse-c"): best=max(best,r["rps"])
print(int(best*float(sys.argv[2])))' "$OUT/results.jsonl" "$RATE_FRACTION")
    fi
    fact rate_rps "$RATE"
    wrk_run "rate-gatehouse" "$url" "$RATE_CONNS" "$RATE_DURATION" BENCH_RATE="$RATE"
    # the verification path is cold until now: warm it with the last MISS_WARM_PERCENT % of the tokens
    # (they become cache hits), then measure with the rest (all still misses)
    wrk_run "warmup-miss" "$url" "$MISS_CONNS" "${MISS_WARMUP:-$(( WARMUP < 10 ? WARMUP : 10 ))}" BENCH_TOKEN_FILE="$W/keys/warm-tokens.txt"
    local cpu0
    cpu0=$(proc_cpu_ticks "$GH_PID")
    wrk_run "miss-gatehouse" "$url" "$MISS_CONNS" "$MISS_DURATION" BENCH_TOKEN_FILE="$W/keys/cold-tokens.txt"
    # CPU the process spent (every thread, JIT and GC included) during the miss run: on a shared machine
    # "per second of CPU" is steadier than req/s
    fact miss_cpu_seconds "$(awk -v a="$cpu0" -v b="$(proc_cpu_ticks "$GH_PID")" -v t="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / t}')"
    gatehouse_rss gatehouse_after_miss
    if [ "$JFR" = 1 ]; then
        wrk_run warmup-jfr "$url" "$(first_conns)" "$WARMUP"
        jcmd "$GH_PID" JFR.start name=bench settings=default filename="$OUT/gatehouse.jfr" >"$LOGS/jfr-start.log" 2>&1
        wrk_run "jfr-gatehouse-c$(first_conns)" "$url" "$(first_conns)" "$DURATION"
        jcmd "$GH_PID" JFR.stop name=bench >"$LOGS/jfr-stop.log" 2>&1
        python3 "$BENCH/jfr-top.py" "$OUT/gatehouse.jfr" >"$OUT/jfr-summary.txt" 2>"$LOGS/jfr-top.err" \
            && log "JFR hot frames: $OUT/jfr-summary.txt" || log "JFR summary failed, see $LOGS/jfr-top.err"
    fi
    stop_pid "$GH_PID"
}

# miss: the new-token measurement alone, for A/B work on the verification path. For each of
# MISS_ROUNDS rounds and each jar of MISS_JARS ("label=path;...", default the built jar), interleaved:
# a fresh Gatehouse, WARMUP s of cache hits, MISS_WARMUP s of new tokens (the warm quarter), then
# MISS_DURATION s of new tokens (the cold share) with the process's CPU read from /proc.
# Prints one line per run and writes $OUT/miss.md. With JFR=1, the measured run itself is recorded
# (settings=profile) and summarised by jfr-top.py: its CPU figure then includes the recorder.
step_miss() {
    local cfg=$W/gatehouse-$APPS.yaml url round entry label jar cpu0 secs line rps n
    APP_HOST=$(bench_config "$cfg" "$APPS")
    local jars=${MISS_JARS:-"built=$JAR"}
    {
        echo "| round | jar | new tokens/s | CPU s | CPU per new token | new tokens per CPU second | tokens reused | errors | load |"
        echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    } >"$OUT/miss.md"
    for round in $(seq "${MISS_ROUNDS:-1}"); do
        IFS=';' read -ra entries <<<"$jars"
        for entry in "${entries[@]}"; do
            label=${entry%%=*}; jar=${entry#*=}
            JAR=$jar start_gatehouse "miss-$label-$round" "$cfg"
            url="http://127.0.0.1:$GH_PORT/"
            expect "gatehouse $label" "$url" 200
            check_auth_enforced "gatehouse $label" "$url"
            wrk_run "warmup-hit-$label-$round" "$url" "$MISS_CONNS" "$WARMUP"
            wrk_run "warmup-miss-$label-$round" "$url" "$MISS_CONNS" "$MISS_WARMUP" BENCH_TOKEN_FILE="$W/keys/warm-tokens.txt"
            if [ "$JFR" = 1 ]; then
                jcmd "$GH_PID" JFR.start name=miss settings=profile filename="$OUT/miss-$label-$round.jfr" \
                    >"$LOGS/jfr-start-$label-$round.log" 2>&1
            fi
            if [ -n "$ASYNC_PROFILER" ]; then # async-profiler's agent, attached for the measured run only
                jcmd "$GH_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=cpu,interval=${AP_INTERVAL:-997us}\"" \
                    >"$LOGS/ap-start-$label-$round.log" 2>&1
            fi
            python3 "$BENCH/thread-cpu.py" snap "$GH_PID" "$W/threads-$label-$round"
            cpu0=$(proc_cpu_ticks "$GH_PID")
            wrk_run "miss-$label-$round" "$url" "$MISS_CONNS" "$MISS_DURATION" BENCH_TOKEN_FILE="$W/keys/cold-tokens.txt"
            secs=$(awk -v a="$cpu0" -v b="$(proc_cpu_ticks "$GH_PID")" -v t="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / t}')
            python3 "$BENCH/thread-cpu.py" diff "$GH_PID" "$W/threads-$label-$round" \
                "$(sed -n 's/^BENCH_JSON //p' "$LOGS/wrk-miss-$label-$round.txt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')" \
                >"$OUT/threads-miss-$label-$round.md" 2>&1
            if [ -n "$ASYNC_PROFILER" ]; then
                jcmd "$GH_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$OUT/ap-miss-$label-$round.collapsed,collapsed\"" \
                    >"$LOGS/ap-stop-$label-$round.log" 2>&1
            fi
            if [ "$JFR" = 1 ]; then
                jcmd "$GH_PID" JFR.stop name=miss >"$LOGS/jfr-stop-$label-$round.log" 2>&1
                python3 "$BENCH/jfr-top.py" "$OUT/miss-$label-$round.jfr" 40 >"$OUT/jfr-miss-$label-$round.txt" \
                    2>"$LOGS/jfr-top-$label-$round.err" || log "JFR summary failed, see $LOGS/jfr-top-$label-$round.err"
            fi
            line=$(sed -n 's/^BENCH_JSON //p' "$LOGS/wrk-miss-$label-$round.txt")
            python3 -c 'import json,sys
r=json.loads(sys.argv[1]); cpu=float(sys.argv[2]); n=r["requests"]
print("| %s | %s | %.0f | %.2f | %.0f us | %.0f | %d | %d / %d | %s |" % (sys.argv[3], sys.argv[4], r["rps"], cpu,
      cpu * 1e6 / max(n, 1), n / cpu if cpu > 0 else 0, r["tokens_reused"], r["non2xx"],
      r["err_connect"] + r["err_read"] + r["err_write"] + r["err_timeout"], sys.argv[5]))' \
                "$line" "$secs" "$round" "$label" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/miss.md" >&2
            stop_pid "$GH_PID"
        done
    done
}

step_peers() {
    local c url
    [ -n "$RATE" ] || RATE=${RATE:-5000}
    # direct to the upstream
    url="http://127.0.0.1:$UP_PORT/"
    expect direct "$url" 200
    for c in $CONNS; do wrk_run "direct-c$c" "$url" "$c" "$DURATION"; done
    wrk_run "rate-direct" "$url" "$RATE_CONNS" "$RATE_DURATION" BENCH_RATE="$RATE"
    # nginx, plain reverse proxy
    start_nginx_proxy
    url="http://127.0.0.1:$NGX_PORT/"
    expect nginx "$url" 200
    wrk_run warmup-nginx "$url" "$(max_conns)" "$WARMUP"
    for c in $CONNS; do wrk_run "nginx-c$c" "$url" "$c" "$DURATION"; done
    wrk_run "rate-nginx" "$url" "$RATE_CONNS" "$RATE_DURATION" BENCH_RATE="$RATE"
    stop_pid "$NGX_PID"
    # HAProxy with jwt_verify
    start_haproxy
    url="http://127.0.0.1:$HAP_PORT/"
    expect haproxy "$url" 200
    check_auth_enforced haproxy "$url"
    wrk_run warmup-haproxy "$url" "$(max_conns)" "$WARMUP"
    for c in $CONNS; do wrk_run "haproxy-c$c" "$url" "$c" "$DURATION"; done
    wrk_run "rate-haproxy" "$url" "$RATE_CONNS" "$RATE_DURATION" BENCH_RATE="$RATE"
    wrk_run "miss-haproxy" "$url" "$MISS_CONNS" "$MISS_DURATION" BENCH_TOKEN_FILE="$W/keys/cold-tokens.txt"
    stop_pid "$HAP_PID"
}

# rounds: the three proxies side by side, interleaved. nginx, HAProxy and Gatehouse run at once (each
# pinned to the proxy core, idle while another is measured), each warmed up; then ROUNDS rounds of one
# ROUND_DURATION c32 run each, the order turned every round (G H N, H N G, N G H, ...), so that a change
# in the machine's speed falls on all three alike. Runs are named round-TARGET-rK, with the CPU the
# proxy used per request (fact cpu_us_per_req_round-TARGET-rK; nginx: its worker). report.py takes
# the median of each round's Gatehouse/peer ratio.
step_rounds() {
    local cfg=$W/gatehouse-$APPS.yaml c r i k t n url pids
    c=$(first_conns)
    APP_HOST=$(bench_config "$cfg" "$APPS")
    start_gatehouse "rounds" "$cfg"
    start_nginx_proxy
    start_haproxy
    local -A urls=([gatehouse]="http://127.0.0.1:$GH_PORT/" [haproxy]="http://127.0.0.1:$HAP_PORT/" [nginx]="http://127.0.0.1:$NGX_PORT/")
    local -A cpu=([gatehouse]="$GH_PID" [haproxy]="$HAP_PID" [nginx]="$(pgrep -P "$NGX_PID" | tr '\n' ' ')")
    expect "gatehouse (rounds)" "${urls[gatehouse]}" 200; check_auth_enforced "gatehouse (rounds)" "${urls[gatehouse]}"
    expect "haproxy (rounds)" "${urls[haproxy]}" 200; check_auth_enforced "haproxy (rounds)" "${urls[haproxy]}"
    expect "nginx (rounds)" "${urls[nginx]}" 200
    for t in gatehouse haproxy nginx; do wrk_run "warmup-round-$t" "${urls[$t]}" "$c" "$WARMUP"; done
    local order=(gatehouse haproxy nginx)
    for r in $(seq "$ROUNDS"); do
        for i in 0 1 2; do
            t=${order[$(( (i + r - 1) % 3 ))]}
            # shellcheck disable=SC2086
            DURATION=$ROUND_DURATION cpu_run "round-$t-r$r" "${urls[$t]}" "$c" ${cpu[$t]}
        done
    done
    fact rounds "$ROUNDS"
    fact rounds_conns "$c"
    gatehouse_rss gatehouse_rounds
    stop_pid "$HAP_PID"; stop_pid "$NGX_PID"; stop_pid "$GH_PID"
}

# session: one Gatehouse, the benchmarked app `login: both` at a small code-flow IdP (BenchKit idp),
# a session made by Gatehouse's real sign-in (BenchKit signin), then the same app, connections and
# duration with the bearer token (a token-cache hit) and with the session cookie (a session-cache
# hit): issue 11's "a session request costs within 10% of a bearer cache hit"
step_session() {
    local cfg=$W/gatehouse-session.yaml c url sso_port sso_issuer sso_pid bearer cookie code saved_token=$TOKEN
    c=$(first_conns)
    sso_port=$(free_port)
    sso_issuer="http://127.0.0.1:$sso_port"
    start_bg session-idp taskset -c "$LOAD_CPU" java "$BENCH/BenchKit.java" idp "$W/keys" "$sso_port"
    sso_pid=$BG_PID
    wait_port "$sso_port" "$sso_pid" || die "the session step's IdP did not start, see $LOGS/session-idp.log"
    APP_HOST=$(java "$BENCH/BenchKit.java" config "$cfg" "$APPS" "$sso_issuer" "$AUDIENCE" "http://127.0.0.1:$UP_PORT" both)
    bearer=$(java "$BENCH/BenchKit.java" token "$W/keys" "$sso_issuer" "$AUDIENCE" alice staff,engineering) \
        || die "cannot sign the session step's bearer token"
    start_gatehouse session "$cfg"
    url="http://127.0.0.1:$GH_PORT/"
    TOKEN=$bearer
    expect "gatehouse (login: both, bearer)" "$url" 200
    cookie=$(java "$BENCH/BenchKit.java" signin "$url" "$APP_HOST" 2>"$LOGS/session-signin.log") \
        || die "signing in through Gatehouse failed, see $LOGS/session-signin.log and $LOGS/gatehouse-session.log"
    code=$(curl -s -o "$W/body" -w '%{http_code}' -H "Host: $APP_HOST" -H "Cookie: $cookie" --max-time 10 "$url")
    [ "$code" = 200 ] && [ "$(stat -c %s "$W/body")" = 1024 ] || die "the session cookie was refused ($code)"
    expect "gatehouse (login: both) without credentials" "$url" 401 ""
    fact session_cookie_bytes "${#cookie}"
    wrk_run warmup-session-bearer "$url" "$c" "$WARMUP"
    wrk_run warmup-session-cookie "$url" "$c" "$WARMUP" BENCH_COOKIE="$cookie"
    wrk_run "session-bearer-c$c" "$url" "$c" "$DURATION"
    wrk_run "session-cookie-c$c" "$url" "$c" "$DURATION" BENCH_COOKIE="$cookie"
    TOKEN=$saved_token
    stop_pid "$GH_PID"
    stop_pid "$sso_pid"
}

step_variants() {
    local cfg=$W/gatehouse-$APPS.yaml c v label opts vs round sfx
    c=$(first_conns)
    APP_HOST=$(bench_config "$cfg" "$APPS")
    IFS=';' read -ra vs <<<"$VARIANTS"
    [ -z "$VARIANT_RATE" ] || { fact variant_rate "$VARIANT_RATE"; fact rate_conns "$RATE_CONNS"; }
    # VARIANT_ROUNDS > 1: the variants interleaved (A B A B ...), so that a change in the machine's load
    # hits each alike; the report takes each one's median
    for round in $(seq "$VARIANT_ROUNDS"); do
        sfx=$([ "$round" = 1 ] || echo "-r$round")
        for v in "${vs[@]}"; do
            label=${v%%=*}; opts=${v#*=}
            [ -n "$label" ] || continue
            fact "variant_${label}_opts" "$opts"
            # shellcheck disable=SC2086
            start_gatehouse "variant-$label$sfx" "$cfg" $opts
            expect "gatehouse ($label)" "http://127.0.0.1:$GH_PORT/" 200
            wrk_run "warmup-variant-$label$sfx" "http://127.0.0.1:$GH_PORT/" "$c" "$WARMUP"
            wrk_run "variant-$label-c$c$sfx" "http://127.0.0.1:$GH_PORT/" "$c" "$DURATION"
            # VARIANT_RATE (req/s): also the fixed-rate run of step 1 on each variant (its p99/p99.9 is
            # what a variant does to the tail at a load it can carry; empty: skipped)
            [ -z "$VARIANT_RATE" ] || wrk_run "variant-$label-rate$sfx" "http://127.0.0.1:$GH_PORT/" \
                "$RATE_CONNS" "$RATE_DURATION" BENCH_RATE="$VARIANT_RATE"
            stop_pid "$GH_PID"
        done
    done
}

# handshakes NAME PORT: new TLS connections per second, each with one request (`openssl s_time -new`:
# a full handshake every time, no session resumption), from HS_PROCS clients on the load core
handshakes() {
    local name=$1 port=$2 i pids=() req
    req=$'/ HTTP/1.1\r\nHost: '"$APP_HOST"$'\r\nAuthorization: Bearer '"$TOKEN"$'\r\nConnection: close\r\nX-Bench:'
    sleep "$SETTLE"
    log "handshakes $name: $HS_PROCS x openssl s_time -new -time $DURATION"
    for i in $(seq "$HS_PROCS"); do
        taskset -c "$LOAD_CPU" openssl s_time -connect "127.0.0.1:$port" -new -time "$DURATION" -www "$req" \
            >"$LOGS/hs-$name-$i.txt" 2>&1 &
        pids+=($!)
    done
    wait "${pids[@]}"
    python3 - "$name" "$LOGS"/hs-"$name"-*.txt >>"$OUT/results.jsonl" <<'PY'
import json, re, sys
n, secs, bytes_ = 0, 0.0, []
for path in sys.argv[2:]:
    text = open(path).read()
    m = re.search(r"(\d+) connections in (\d+) real seconds, (\d+) bytes read per connection", text)
    if m:
        n += int(m.group(1)); secs = max(secs, float(m.group(2))); bytes_.append(int(m.group(3)))
print(json.dumps({"name": "handshake-" + sys.argv[1], "rps": n / secs if secs else 0, "connections": n,
                  "bytes_per_conn": min(bytes_) if bytes_ else 0}))
PY
    log "  -> $(tail -1 "$OUT/results.jsonl")"
}

# h2_run NAME URL: HTTP/2 over TLS (ALPN h2) with h2load, the first of CONNS connections x 10 streams
h2_run() {
    local name=$1 url=$2 c
    c=$(first_conns)
    sleep "$SETTLE"
    log "h2load $name: -c$c -m10 -D$DURATION $url"
    taskset -c "$LOAD_CPU" h2load -t1 -c"$c" -m10 -D "$DURATION" --warm-up-time=3 -H ":authority: $APP_HOST" \
        -H "authorization: Bearer $TOKEN" "$url" >"$LOGS/h2-$name.txt" 2>&1
    python3 - "$name" "$LOGS/h2-$name.txt" >>"$OUT/results.jsonl" <<'PY'
import json, re, sys
t = open(sys.argv[2]).read()
rps = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", t)
st = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", t)
req = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", t)
lat = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", t)
proto = re.search(r"Application protocol: (\S+)", t)
def ms(v):
    if v.endswith("ms"):
        return float(v[:-2])
    if v.endswith("us"):
        return float(v[:-2]) / 1000
    return float(v[:-1]) * 1000
print(json.dumps({"name": "h2-" + sys.argv[1], "rps": float(rps.group(1)) if rps else 0,
                  "ok2xx": int(st.group(1)) if st else 0,
                  "non2xx": sum(int(st.group(i)) for i in (2, 3, 4)) if st else 0,
                  "failed": int(req.group(3)) + int(req.group(4)) if req else 0,
                  "mean_ms": ms(lat.group(3)) if lat else 0, "max_ms": ms(lat.group(2)) if lat else 0,
                  "protocol": proto.group(1) if proto else "?"}))
PY
    log "  -> $(tail -1 "$OUT/results.jsonl")"
}

# cpu_run NAME URL CONNS PID...: wrk_run, plus the CPU the given processes used during it, per request
# (fact cpu_us_per_req_NAME): on a shared machine the steadier figure than req/s
cpu_run() {
    local name=$1 url=$2 conns=$3 p a=0 b=0; shift 3
    for p in "$@"; do a=$((a + $(proc_cpu_ticks "$p"))); done
    wrk_run "$name" "$url" "$conns" "$DURATION"
    for p in "$@"; do b=$((b + $(proc_cpu_ticks "$p"))); done
    fact "cpu_us_per_req_$name" "$(tail -1 "$OUT/results.jsonl" | python3 -c 'import json,sys
r = json.load(sys.stdin); n = r["requests"]
print("%.1f" % ((int(sys.argv[2]) - int(sys.argv[1])) / int(sys.argv[3]) * 1e6 / n if n else 0))' "$a" "$b" "$(getconf CLK_TCK)")"
}

# tls: nginx and Gatehouse terminating TLS with the same certificate: keep-alive HTTP/1.1 (wrk),
# new handshakes (s_time) and HTTP/2 (h2load); Gatehouse once per engine of TLS_ENGINES. Each
# keep-alive run over TLS is followed by one over plain HTTP on the same process (tlsplain-*), so
# what TLS itself costs is read within one process and one minute, with the CPU per request of both
tls_cert() { # the TLS certificate of the tls and hs steps (once per run): RSA 2048, self-signed, for APP_HOST
    [ -f "$W/keys/tls-cert.pem" ] && return 0
    openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=$APP_HOST" -days 2 -keyout "$W/keys/tls-key.pem" \
        -out "$W/keys/tls-cert.pem" >"$LOGS/tls-cert.log" 2>&1 || die "cannot make the TLS certificate"
    chmod 644 "$W/keys/tls-key.pem"
    fact tls_certificate "RSA 2048, self-signed, the same files for nginx and Gatehouse"
}

# tls_nginx_conf NAME PORT [PLAIN_PORT]: the nginx of the tls and hs steps, proxying to the upstream with
# the tls step's certificate on PORT (TLS, HTTP/2 by ALPN) and, when given, plain HTTP on PLAIN_PORT
tls_nginx_conf() {
    local name=$1 port=$2 pport=${3:-}
    nginx_common "$name"
    echo "http {"
    nginx_http_common "$name"
    cat <<EOF
    upstream up { server 127.0.0.1:$UP_PORT; keepalive 256; keepalive_requests 10000000; }
    server {
        listen 127.0.0.1:$port ssl http2 backlog=4096;
EOF
    [ -n "$pport" ] && echo "        listen 127.0.0.1:$pport backlog=4096;"
    cat <<EOF
        ssl_protocols TLSv1.2 TLSv1.3;  # nginx 1.22 offers TLS 1.2 at most by default; Gatehouse negotiates 1.3
        ssl_certificate $W/keys/tls-cert.pem;
        ssl_certificate_key $W/keys/tls-key.pem;
        http2_max_requests 10000000;
        location / {
            proxy_pass http://up;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;
        }
    }
}
EOF
}

# start_tls_gatehouse LABEL CFG PORT ENGINE: Gatehouse (JAR) with the tls step's certificate on PORT too
start_tls_gatehouse() {
    local label=$1 cfg=$2 port=$3 engine=$4
    start_gatehouse "$label" "$cfg" -Dquarkus.http.ssl-port="$port" -Dgatehouse.tls.engine="$engine" \
        -Dquarkus.http.ssl.certificate.files="$W/keys/tls-cert.pem" \
        -Dquarkus.http.ssl.certificate.key-files="$W/keys/tls-key.pem"
    wait_port "$port" "$GH_PID" || die "Gatehouse TLS port did not open, see $LOGS/gatehouse-$label.log"
}

step_tls() {
    local cfg=$W/gatehouse-$APPS.yaml c port pport e ngx
    c=$(first_conns)
    APP_HOST=$(bench_config "$cfg" "$APPS")
    tls_cert
    port=$(free_port); pport=$(free_port)
    tls_nginx_conf tls "$port" "$pport" >"$W/tls.conf"
    start_bg tls-nginx taskset -c "$PROXY_CPU" nginx -p "$W" -c "$W/tls.conf"
    ngx=$BG_PID
    wait_port "$port" "$ngx" || die "nginx TLS proxy did not start, see $LOGS"
    wrk_run warmup-tls-nginx "https://127.0.0.1:$port/" "$c" "$WARMUP"
    cpu_run "tls-nginx-c$c" "https://127.0.0.1:$port/" "$c" $(pgrep -P "$ngx")
    cpu_run "tlsplain-nginx-c$c" "http://127.0.0.1:$pport/" "$c" $(pgrep -P "$ngx")
    handshakes nginx "$port"
    h2_run nginx "https://127.0.0.1:$port/"
    stop_pid "$ngx"
    for e in $TLS_ENGINES; do
        port=$(free_port)
        start_tls_gatehouse "tls-$e" "$cfg" "$port" "$e"
        wrk_run "warmup-tls-gatehouse-$e" "https://127.0.0.1:$port/" "$c" "$WARMUP"
        # the plain port too, so that neither measured run pays for the JIT compiling the other's path
        wrk_run "warmup-tlsplain-gatehouse-$e" "http://127.0.0.1:$GH_PORT/" "$c" "$WARMUP"
        cpu_run "tls-gatehouse-$e-c$c" "https://127.0.0.1:$port/" "$c" "$GH_PID"
        cpu_run "tlsplain-gatehouse-$e-c$c" "http://127.0.0.1:$GH_PORT/" "$c" "$GH_PID"
        handshakes "gatehouse-$e" "$port"
        h2_run "gatehouse-$e" "https://127.0.0.1:$port/"
        stop_pid "$GH_PID"
    done
}

# hs: new TLS handshakes alone, for A/B work on the handshake path. For each of HS_ROUNDS rounds,
# interleaved: nginx with the tls step's certificate, then each jar of HS_JARS ("label=path;...",
# default the built jar) with gatehouse.tls.engine=HS_ENGINE (default openssl); each gets WARMUP s of
# unmeasured handshakes (the JIT), then the handshakes function's DURATION s with the server's CPU
# read from /proc (nginx: its worker). One row per run in $OUT/hs.md: handshakes/s, CPU per
# connection, connections per CPU second. With JFR=1 each Gatehouse's measured run is recorded
# (settings=profile) and summarised in $OUT/jfr-hs-<jar>-<round>.txt (its CPU then includes the recorder);
# with ASPROF=<path of async-profiler's libasyncProfiler.so> it is profiled by async-profiler instead
# (native frames too: BoringSSL, the kernel), collapsed stacks in $OUT/asprof-hs-<jar>-<round>.collapsed
# (ASPROF_EVENT, default cpu; ASPROF_INTERVAL, default 1ms).
hs_measure() { # hs_measure ROUND LABEL PORT PID...: warm-up, then the measured handshakes run
    local r=$1 l=$2 p=$3 x a=0 b=0 secs line saved=$DURATION; shift 3
    DURATION=$WARMUP handshakes "warmup-$l-$r" "$p"
    DURATION=$saved
    if [ "$JFR" = 1 ] && [ "$l" != nginx ]; then
        jcmd "$1" JFR.start name=hs settings=profile filename="$OUT/hs-$l-$r.jfr" >"$LOGS/jfr-start-hs-$l-$r.log" 2>&1
    fi
    if [ -n "${ASPROF:-}" ] && [ "$l" != nginx ]; then
        # quoted: jcmd would read the '=' of the options as its own name=value
        jcmd "$1" JVMTI.agent_load "$ASPROF" "\"start,event=${ASPROF_EVENT:-cpu},interval=${ASPROF_INTERVAL:-1ms}\"" \
            >"$LOGS/asprof-start-hs-$l-$r.log" 2>&1
    fi
    for x in "$@"; do a=$((a + $(proc_cpu_ticks "$x"))); done
    handshakes "$l-$r" "$p"
    for x in "$@"; do b=$((b + $(proc_cpu_ticks "$x"))); done
    if [ -n "${ASPROF:-}" ] && [ "$l" != nginx ]; then
        jcmd "$1" JVMTI.agent_load "$ASPROF" "\"stop,collapsed,file=$OUT/asprof-hs-$l-$r.collapsed\"" \
            >"$LOGS/asprof-stop-hs-$l-$r.log" 2>&1
    fi
    if [ "$JFR" = 1 ] && [ "$l" != nginx ]; then
        jcmd "$1" JFR.stop name=hs >"$LOGS/jfr-stop-hs-$l-$r.log" 2>&1
        python3 "$BENCH/jfr-top.py" "$OUT/hs-$l-$r.jfr" 60 >"$OUT/jfr-hs-$l-$r.txt" 2>"$LOGS/jfr-top-hs-$l-$r.err" \
            || log "JFR summary failed, see $LOGS/jfr-top-hs-$l-$r.err"
    fi
    secs=$(awk -v a="$a" -v b="$b" -v t="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / t}')
    line=$(tail -1 "$OUT/results.jsonl")
    python3 -c 'import json,sys
r=json.loads(sys.argv[1]); cpu=float(sys.argv[2]); n=r["connections"]
print("| %s | %s | %.0f | %.2f | %.0f us | %.0f | %s |" % (sys.argv[3], sys.argv[4], r["rps"], cpu,
      cpu * 1e6 / max(n, 1), n / cpu if cpu > 0 else 0, sys.argv[5]))' \
        "$line" "$secs" "$r" "$l" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/hs.md" >&2
}

step_hs() {
    local cfg=$W/gatehouse-$APPS.yaml round entry label jar port ngx
    APP_HOST=$(bench_config "$cfg" "$APPS")
    tls_cert
    local jars=${HS_JARS:-"built=$JAR"}
    {
        echo "| round | server | handshakes/s | CPU s | CPU per connection | connections per CPU second | load |"
        echo "| --- | --- | --- | --- | --- | --- | --- |"
    } >"$OUT/hs.md"
    for round in $(seq "${HS_ROUNDS:-1}"); do
        port=$(free_port)
        tls_nginx_conf hs "$port" >"$W/hs.conf"
        start_bg "hs-nginx-$round" taskset -c "$PROXY_CPU" nginx -p "$W" -c "$W/hs.conf"
        ngx=$BG_PID
        wait_port "$port" "$ngx" || die "nginx TLS proxy did not start, see $LOGS"
        # shellcheck disable=SC2046
        hs_measure "$round" nginx "$port" $(pgrep -P "$ngx")
        stop_pid "$ngx"
        IFS=';' read -ra entries <<<"$jars"
        for entry in "${entries[@]}"; do
            label=${entry%%=*}; jar=${entry#*=}
            port=$(free_port)
            JAR=$jar start_tls_gatehouse "hs-$label-$round" "$cfg" "$port" "${HS_ENGINE:-openssl}"
            hs_measure "$round" "$label" "$port" "$GH_PID"
            stop_pid "$GH_PID"
        done
    done
}

step_scale() {
    local n cfg url c
    c=$(first_conns)
    for n in $APPS_SCALE; do
        cfg=$W/gatehouse-$n.yaml
        APP_HOST=$(bench_config "$cfg" "$n")
        start_gatehouse "apps-$n" "$cfg"
        fact "apps_${n}_ready_ms" "$GH_READY_MS"
        fact "apps_${n}_idle_rss_mb" "$(( $(rss_kb "$GH_PID" VmRSS) / 1024 ))"
        url="http://127.0.0.1:$GH_PORT/"
        expect "gatehouse ($n apps)" "$url" 200
        wrk_run "warmup-apps-$n" "$url" "$c" "$WARMUP"
        wrk_run "apps-$n-c$c" "$url" "$c" "$DURATION"
        gatehouse_rss "apps_${n}_load"
        if [ "$FILL_TOKENS" -gt 0 ] && [ "$n" = "${APPS_SCALE##* }" ]; then
            # as many distinct tokens as the cache should hold, then the RSS of that state under load
            head -n "$FILL_TOKENS" "$W/keys/miss-tokens.txt" >"$W/keys/fill-tokens.txt"
            wrk_run "fill-apps-$n" "$url" "$MISS_CONNS" "$FILL_DURATION" BENCH_TOKEN_FILE="$W/keys/fill-tokens.txt"
            wrk_run "filled-apps-$n-c$c" "$url" "$c" "$DURATION"
            fact "apps_${n}_cached_tokens" "$(curl -s "http://127.0.0.1:$GH_MGMT/q/metrics" \
                | awk '/^gatehouse_token_verifications_total\{.*result="valid"/ {s += $NF} END {printf "%d", s}')"
            gatehouse_rss "apps_${n}_filled"
        fi
        stop_pid "$GH_PID"
    done
}

step_ws() {
    local ws_port cfg out
    ws_port=$(free_port)
    start_bg ws-upstream taskset -c "$LOAD_CPU" node "$BENCH/ws/ws-upstream.js" "$ws_port"
    local ws_pid=$BG_PID
    wait_port "$ws_port" "$ws_pid" || die "WebSocket upstream did not start, see $LOGS/ws-upstream.log"
    cfg=$W/gatehouse-ws.yaml
    APP_HOST=$(bench_config "$cfg" "$APPS" "$ws_port")
    start_gatehouse ws "$cfg"
    sleep 2
    fact ws_before_rss_mb "$(( $(rss_kb "$GH_PID" VmRSS) / 1024 ))"
    out=$LOGS/ws-clients.log
    log "opening $WS_COUNT idle WebSockets through Gatehouse, holding them ${WS_HOLD}s"
    start_bg ws-clients taskset -c "$LOAD_CPU" node "$BENCH/ws/ws-clients.js" 127.0.0.1 "$GH_PORT" "$WS_COUNT" \
        "$APP_HOST" "$W/keys/token.txt" "$WS_HOLD"
    local cl_pid=$BG_PID
    for _ in $(seq 1200); do grep -q '"phase":"opened"' "$out" 2>/dev/null && break; kill -0 "$cl_pid" 2>/dev/null || break; sleep 0.25; done
    grep -q '"phase":"opened"' "$out" || die "WebSocket clients did not finish their handshakes, see $out"
    sleep $(( WS_HOLD / 2 ))
    fact ws_held_rss_mb "$(( $(rss_kb "$GH_PID" VmRSS) / 1024 ))"
    wait "$cl_pid" 2>/dev/null
    fact ws_hwm_mb "$(( $(rss_kb "$GH_PID" VmHWM) / 1024 ))"
    sed -n 's/^WS_JSON //p' "$out" | while read -r l; do fact ws_json "$l"; done
    log "  -> $(sed -n 's/^WS_JSON //p' "$out" | tr '\n' ' ')"
    stop_pid "$GH_PID"
    stop_pid "$ws_pid"
}

# ---- main -----------------------------------------------------------------------------------------
check_tools
mkdir -p "$OUT/logs" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
LOGS=$OUT/logs
W=$OUT/work
mkdir -p "$W/tmp" "$W/keys" "$W/logs"
chmod 755 "$OUT" "$W" "$W/keys"
: >"$OUT/results.jsonl"

ISSUER= AUDIENCE=gatehouse
log "results in $OUT"
fact label "$BENCH_LABEL"
fact command "DURATION=$DURATION WARMUP=$WARMUP CONNS='$CONNS' APPS=$APPS APPS_SCALE='$APPS_SCALE' RATE_FRACTION=$RATE_FRACTION RATE_CONNS=$RATE_CONNS RATE_DURATION=$RATE_DURATION MISS_TOKENS=$MISS_TOKENS MISS_DURATION=$MISS_DURATION MISS_CONNS=$MISS_CONNS MISS_WARMUP=$MISS_WARMUP MISS_WARM_PERCENT=$MISS_WARM_PERCENT ROUNDS=$ROUNDS ROUND_DURATION=$ROUND_DURATION WS_COUNT=$WS_COUNT WS_HOLD=$WS_HOLD WRK_THREADS=$WRK_THREADS STEPS='$STEPS' VARIANTS='$VARIANTS' VARIANT_ROUNDS=$VARIANT_ROUNDS TLS_ENGINES='$TLS_ENGINES' HS_PROCS=$HS_PROCS FILL_TOKENS=$FILL_TOKENS FILL_DURATION=$FILL_DURATION JFR=$JFR GH_JAVA_OPTS='$GH_JAVA_OPTS' BENCH_LABEL='$BENCH_LABEL' bench/run.sh"
fact apps_main "$APPS"
fact rate_fraction "$RATE_FRACTION"
fact miss_conns "$MISS_CONNS"
fact miss_duration "$MISS_DURATION"
fact round_duration "$ROUND_DURATION"
fact hs_procs "$HS_PROCS"
fact date "$(date -u +%Y-%m-%dT%H:%MZ)"
fact nproc "$(nproc)"
fact cpu "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
fact kernel "$(uname -r)"
fact mem "$(free -m | awk '/^Mem:/ {print $2 " MB"}')"
fact java "$(java -version 2>&1 | sed -n 2p)"
fact nginx "$(nginx -v 2>&1 | sed 's/.*version: //')"
fact haproxy "$(haproxy -v | head -1 | awk '{print $3}')"
fact wrk "$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
fact node "$(node --version)"
fact gh_java_opts "-XX:ActiveProcessorCount=1 $GH_JAVA_OPTS"
fact git "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"
fact load "$(cut -d' ' -f1-3 /proc/loadavg)"

start_upstream
ISSUER="http://127.0.0.1:$IDP_PORT/realms/bench"
log "generating the RSA key, JWKS, token and $MISS_TOKENS distinct tokens"
if [ -n "${KEYS_CACHE:-}" ] && [ "$(cat "$KEYS_CACHE/issuer" 2>/dev/null)" = "$ISSUER" ] \
        && [ "$(wc -l <"$KEYS_CACHE/miss-tokens.txt" 2>/dev/null || echo 0)" -ge "$MISS_TOKENS" ]; then
    # signing many tokens takes minutes on a busy machine: reuse those of an earlier run with the same
    # issuer (BENCH_IDP_PORT fixes the IdP's port, which is part of the issuer)
    cp "$KEYS_CACHE"/* "$W/keys/" && head -n "$MISS_TOKENS" "$KEYS_CACHE/miss-tokens.txt" >"$W/keys/miss-tokens.txt"
    log "reusing the keys and tokens of $KEYS_CACHE"
else
    java "$BENCH/BenchKit.java" keys "$W/keys" "$ISSUER" "$AUDIENCE" "$MISS_TOKENS" || die "key generation failed"
    if [ -n "${KEYS_CACHE:-}" ]; then
        mkdir -p "$KEYS_CACHE" && cp "$W/keys"/* "$KEYS_CACHE/" && echo "$ISSUER" >"$KEYS_CACHE/issuer"
    fi
fi
chmod 644 "$W/keys/"*
TOKEN=$(cat "$W/keys/token.txt")
COLD_TOKENS=$(( MISS_TOKENS * (100 - MISS_WARM_PERCENT) / 100 ))
head -n "$COLD_TOKENS" "$W/keys/miss-tokens.txt" >"$W/keys/cold-tokens.txt"
tail -n +$(( COLD_TOKENS + 1 )) "$W/keys/miss-tokens.txt" >"$W/keys/warm-tokens.txt"
APP_HOST=app.bench.test
curl -sf "$ISSUER/.well-known/openid-configuration" >/dev/null || die "discovery document not served"
curl -sf "http://127.0.0.1:$IDP_PORT/realms/bench/certs" >/dev/null || die "JWKS not served"

for s in $STEPS; do
    case $s in
        gatehouse|peers|rounds|session|variants|tls|scale|ws|miss|hs) log "== step $s"; "step_$s" ;;
        *) die "unknown step '$s' (gatehouse peers rounds session variants tls scale ws miss hs)" ;;
    esac
done
fact load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
fact jwks_fetches "$(grep -c '/realms/bench/certs' "$LOGS/idp-access.log" 2>/dev/null || echo 0)"

python3 "$BENCH/report.py" "$OUT/results.jsonl" >"$OUT/report.md" || die "report failed"
log "report: $OUT/report.md"
if [ "$BENCH_APPEND" = 1 ]; then
    { echo; cat "$OUT/report.md"; } >>"$ROOT/BENCHMARKS.md"
    log "appended to BENCHMARKS.md"
fi
cat "$OUT/report.md"
