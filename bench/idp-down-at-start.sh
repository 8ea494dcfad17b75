#!/usr/bin/env bash
# Fault check: Gatehouse started while its IdP is down, then the IdP comes up (no restart).
# usage: bench/idp-down-at-start.sh   (needs the packaged jar, nginx, python3; prints what it sees)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); BENCH=$ROOT/bench
OUT=${OUT:-$BENCH/results/idp-down-$(date -u +%Y%m%dT%H%M%SZ)}; W=$OUT/work; LOGS=$OUT/logs; mkdir -p "$W/keys" "$W/tmp" "$LOGS"
PROXY_CPU=0 LOAD_CPU=1 GH_JAVA_OPTS= JAR=$ROOT/target/quarkus-app/quarkus-run.jar LOG_TAG=idp-down
. "$BENCH/lib.sh"
start_upstream
IDP2=$(free_port)
ISSUER="http://127.0.0.1:$IDP2/realms/bench"
java "$BENCH/BenchKit.java" keys "$W/keys" "$ISSUER" gatehouse 0
TOKEN=$(cat "$W/keys/token.txt")
HOST=$(java "$BENCH/BenchKit.java" config "$W/gh.yaml" 2 "$ISSUER" gatehouse "http://127.0.0.1:$UP_PORT")
start_gatehouse idpdown "$W/gh.yaml"
req() { curl -s -o "$W/body" -w '%{http_code}' -H "Host: $HOST" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GH_PORT/"; echo " $(head -c 100 "$W/body")"; }
log "IdP down, request 1: $(req)"
log "IdP down, request 2: $(req)"
log "readiness while IdP down: $(curl -s -w ' %{http_code}' http://127.0.0.1:$GH_MGMT/q/health/ready)"
cat >"$W/idp.py" <<EOF
import http.server, sys
docs = {"/realms/bench/.well-known/openid-configuration": "$W/keys/openid-configuration", "/realms/bench/certs": "$W/keys/jwks.json"}
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        p = docs.get(self.path)
        if not p: self.send_response(404); self.end_headers(); return
        b = open(p, "rb").read(); self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
http.server.HTTPServer(("127.0.0.1", $IDP2), H).serve_forever()
EOF
start_bg idp2 python3 "$W/idp.py"; wait_port "$IDP2" "$BG_PID"
log "IdP up now"
for i in 1 2 3; do log "IdP up, request $i: $(req)"; sleep 2; done
sleep 20
log "IdP up, after 20 s more: $(req)"
sleep 45
log "IdP up, after 65 s: $(req)"
grep -iE 'WARN|ERROR' "$LOGS/gatehouse-idpdown.log" | cut -c1-300 | head -8
