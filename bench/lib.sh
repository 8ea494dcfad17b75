# Shared shell functions of the benchmark harness (bench/run.sh) and the soak test (bench/soak.sh).
# Sourced, not run. The caller sets: W (work directory), LOGS (log directory), and for the components
# LOAD_CPU, PROXY_CPU, JAR, GH_JAVA_OPTS. LOG_TAG (default "bench") prefixes log lines.
# Sourcing installs an EXIT trap that stops every process started with start_bg.

# ---- process helpers ------------------------------------------------------------------------------
log() { printf '[%s %s] %s\n' "${LOG_TAG:-bench}" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
    done
    wait 2>/dev/null
    PIDS=()
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# start_bg LOGNAME CMD...: starts CMD in the background, remembers its pid in $BG_PID
start_bg() {
    local name=$1; shift
    "$@" >"$LOGS/$name.log" 2>&1 &
    BG_PID=$!
    PIDS+=("$BG_PID")
}

stop_pid() {
    local pid=$1 keep=() p
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    for p in "${PIDS[@]}"; do [ "$p" != "$pid" ] && keep+=("$p"); done
    PIDS=("${keep[@]}")
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # wait_port PORT PID
    for _ in $(seq 300); do
        kill -0 "$2" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

rss_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }

# ---- components -----------------------------------------------------------------------------------
nginx_common() { # prefix lines shared by both nginx configs
    cat <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $W/$1.pid;
error_log $LOGS/$1-error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections 16384; multi_accept on; }
EOF
}

nginx_http_common() {
    cat <<EOF
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    client_body_temp_path $W/tmp/$1-body;
    proxy_temp_path $W/tmp/$1-proxy;
    fastcgi_temp_path $W/tmp/$1-fastcgi;
    uwsgi_temp_path $W/tmp/$1-uwsgi;
    scgi_temp_path $W/tmp/$1-scgi;
EOF
}

start_upstream() {
    UP_PORT=$(free_port); IDP_PORT=${BENCH_IDP_PORT:-$(free_port)}
    local body
    body=$(head -c 1024 /dev/zero | tr '\0' 'x')
    {
        nginx_common upstream
        echo "http {"
        nginx_http_common upstream
        cat <<EOF
    server {
        listen 127.0.0.1:$UP_PORT backlog=4096;
        location / { default_type text/plain; return 200 "$body"; }
    }
    server {
        listen 127.0.0.1:$IDP_PORT;
        access_log $LOGS/idp-access.log;
        default_type application/json;
        location = /realms/bench/.well-known/openid-configuration { alias $W/keys/openid-configuration; }
        location = /realms/bench/certs { alias $W/keys/jwks.json; }
    }
}
EOF
    } >"$W/upstream.conf"
    start_bg upstream-nginx taskset -c "$LOAD_CPU" nginx -p "$W" -c "$W/upstream.conf"
    UP_PID=$BG_PID
    wait_port "$UP_PORT" "$UP_PID" && wait_port "$IDP_PORT" "$UP_PID" || die "upstream nginx did not start, see $LOGS"
    log "upstream nginx (1 worker, core $LOAD_CPU) on $UP_PORT, IdP documents on $IDP_PORT"
}

# bench_app CONFIG APPS: after start_upstream, the bench IdP's signing key and one valid token (no cache-miss
# tokens) in $W/keys, and a Gatehouse config of APPS apps at that IdP forwarding to the upstream nginx;
# sets ISSUER, TOKEN and APP_HOST (the benchmarked app's host). For the small scripts (ab, deopt).
bench_app() {
    ISSUER="http://127.0.0.1:$IDP_PORT/realms/bench"
    java "$BENCH/BenchKit.java" keys "$W/keys" "$ISSUER" gatehouse 0 >/dev/null || die "key generation failed"
    chmod 644 "$W/keys/"*
    TOKEN=$(cat "$W/keys/token.txt")
    APP_HOST=$(java "$BENCH/BenchKit.java" config "$1" "$2" "$ISSUER" gatehouse "http://127.0.0.1:$UP_PORT")
}

# start_gatehouse NAME CONFIG [JVM_OPTION...]: starts the packaged jar pinned to the proxy core; sets GH_PID,
# GH_PORT, GH_MGMT, GH_READY_MS (launch to /q/health/ready 200 on the management port). GH_START_TRIES
# (default 1) tries again when a start fails (on a starved machine the store's connection pool can time out)
start_gatehouse() {
    local tries=${GH_START_TRIES:-1}
    while ! start_gatehouse_once "$@"; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || die "Gatehouse ($1) did not start, see $LOGS/gatehouse-$1.log"
        log "Gatehouse ($1) did not start; trying again"
        stop_pid "$GH_PID"
        mv "$LOGS/gatehouse-$1.log" "$LOGS/gatehouse-$1.failed-$(date +%s).log" 2>/dev/null
    done
}

start_gatehouse_once() {
    local name=$1 cfg=$2 t0 code
    shift 2
    GH_PORT=$(free_port); GH_MGMT=$(free_port)
    mkdir -p "$W/ghdata"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    start_bg "gatehouse-$name" taskset -c "$PROXY_CPU" java -XX:ActiveProcessorCount=1 $GH_JAVA_OPTS \
        -Dgatehouse.config="$cfg" -Dgatehouse.data-dir="$W/ghdata" -Dgatehouse.rate-limit.token-checks-per-ip=0 \
        -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$GH_PORT" \
        -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$GH_MGMT" \
        "$@" -jar "$JAR"
    GH_PID=$BG_PID
    for _ in $(seq 3000); do
        if ! kill -0 "$GH_PID" 2>/dev/null; then
            log "Gatehouse ($name) exited, see $LOGS/gatehouse-$name.log"
            return 1
        fi
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$GH_MGMT/q/health/ready")
        [ "$code" = 200 ] && break
        sleep 0.01
    done
    if [ "$code" != 200 ]; then
        log "Gatehouse ($name) not ready after 30 s"
        return 1
    fi
    GH_READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
    log "Gatehouse ($name) ready in $GH_READY_MS ms (pid $GH_PID, data port $GH_PORT, management $GH_MGMT)"
}
