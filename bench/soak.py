#!/usr/bin/env python3
"""Samples and judges bench/soak.sh (standard library only).

  soak.py sample SAMPLES.jsonl LABEL ELAPSED PID MGMT_PORT WS_LOG GC(0|1)   appends one sample
  soak.py report OUTDIR                                                  summary.json, summary.md, verdict
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

METRIC = re.compile(r'^(gatehouse_[a-z_]+)\{([^}]*)\}\s+([0-9.eE+-]+|NaN)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "Threads"):
                out[k] = int(v.split()[0])
    return out


def fd_kinds(pid):
    """Open file descriptors by kind (socket, pipe, anon_inode:[eventpoll], file, ...)."""
    kinds = {}
    d = f"/proc/{pid}/fd"
    for fd in os.listdir(d):
        try:
            target = os.readlink(os.path.join(d, fd))
        except OSError:
            continue
        kind = target.split(":")[0] if ":" in target and not target.startswith("/") else "file"
        if kind == "anon_inode":
            kind = target
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def heap_after_gc(pid, gc):
    """Heap used (KB) per `jcmd GC.heap_info`, after `jcmd GC.run` when gc is set. Works for Serial
    (the JVM's choice with one CPU: young + old generation) and G1 (one heap line)."""
    env = dict(os.environ, JAVA_TOOL_OPTIONS="")
    if gc:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60, env=env)
    text = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60,
                          env=env).stdout
    used = 0
    committed = 0
    for line in text.splitlines():
        m = re.match(r'^\s*(garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen|'
                     r'Shenandoah|ZHeap)\s.*?total (\d+)K, used (\d+)K', line)
        if m:
            committed += int(m.group(2))
            used += int(m.group(3))
    meta = re.search(r'Metaspace\s+used (\d+)K', text)
    return used or None, committed or None, int(meta.group(1)) if meta else None


def metrics(port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/q/metrics", timeout=10).read().decode()
    requests, errors, verifications, ws_open = {}, {}, {}, 0
    for line in text.splitlines():
        m = METRIC.match(line)
        if not m:
            continue
        name, labels, value = m.group(1), dict(LABEL.findall(m.group(2))), float(m.group(3))
        if name == "gatehouse_requests_total":
            d = labels.get("decision", "?")
            requests[d] = requests.get(d, 0) + value
            if d == "error":
                r = labels.get("reason", "?")
                errors[r] = errors.get(r, 0) + value
        elif name == "gatehouse_token_verifications_total":
            r = labels.get("result", "?")
            verifications[r] = verifications.get(r, 0) + value
        elif name == "gatehouse_open_connections" and labels.get("kind") == "websocket":
            ws_open += value
    return {"requests": requests, "errors": errors, "verifications": verifications, "ws_open": ws_open}


def last_ws_stats(path):
    last = None
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("WS_STATS "):
                    last = json.loads(line[9:])
    except FileNotFoundError:
        pass
    return last


def sample(args):
    out, label, elapsed, pid, port, ws_log, gc = args
    st = proc_status(pid)
    s = {"label": label, "elapsed_s": float(elapsed), "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
         "rss_kb": st.get("VmRSS"), "hwm_kb": st.get("VmHWM"), "threads": st.get("Threads"),
         "fds": len(os.listdir(f"/proc/{pid}/fd")), "fd_kinds": fd_kinds(pid)}
    t0 = time.monotonic()
    s["heap_used_kb"], s["heap_committed_kb"], s["metaspace_kb"] = heap_after_gc(pid, gc == "1")
    s["gc_forced"] = gc == "1"
    s["jcmd_s"] = round(time.monotonic() - t0, 2)
    s["rss_after_gc_kb"] = proc_status(pid).get("VmRSS")
    s["gatehouse"] = metrics(port)
    s["ws"] = last_ws_stats(ws_log)
    s["loadavg"] = open("/proc/loadavg").read().split()[:3]
    with open(out, "a") as f:
        f.write(json.dumps(s) + "\n")
    print(f"{label:>9} t={float(elapsed):6.0f}s rss={s['rss_kb'] // 1024} MB heap-after-gc="
          f"{(s['heap_used_kb'] or 0) // 1024} MB fds={s['fds']} threads={s['threads']} "
          f"errors={sum(s['gatehouse']['errors'].values()):.0f} ws-open={s['gatehouse']['ws_open']:.0f} "
          f"ws-failures={(s['ws'] or {}).get('failures', '-')}", file=sys.stderr)


def slope_per_min(points):
    n = len(points)
    if n < 2:
        return None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return None if den == 0 else sum((x - mx) * (y - my) for x, y in points) / den * 60


def growth(series, key):
    """Start and end of the second half of the load samples, growth in %, least-squares slope (KB/min)."""
    pts = [(s["elapsed_s"], s[key]) for s in series if s.get(key) is not None]
    if len(pts) < 2:
        return None
    first, last = pts[0][1], pts[-1][1]
    return {"from_kb": first, "to_kb": last, "growth_pct": round((last - first) * 100.0 / first, 2),
            "slope_kb_per_min": round(slope_per_min(pts), 1)}


def report(outdir):
    env = json.load(open(os.path.join(outdir, "params.json")))
    samples = [json.loads(l) for l in open(os.path.join(outdir, "samples.jsonl"))]
    wrk = {}
    for name in ("allowed", "denied-token", "no-token", "calibration"):
        p = os.path.join(outdir, "logs", f"wrk-{name}.log")
        if os.path.exists(p):
            for line in open(p):
                if line.startswith("BENCH_JSON "):
                    wrk[name] = json.loads(line[11:])
    by = {s["label"]: s for s in samples}
    base, end, load_end = by.get("baseline"), by.get("end"), by.get("load-end")
    soak_s = float(env["SOAK_SECONDS"])
    load = [s for s in samples if s["label"] in ("run", "load-end")]
    half = [s for s in load if s["elapsed_s"] >= soak_s / 2 - 1]
    if len(half) < 2:
        half = load[-2:]
    rss = growth(half, "rss_kb")
    heap = growth(half, "heap_used_kb")
    checks, warnings = [], []

    def check(name, ok, detail):
        checks.append({"check": name, "ok": bool(ok), "detail": detail})

    max_rss = float(env["SOAK_MAX_RSS_GROWTH"])
    check("RSS flat over the second half", rss and rss["growth_pct"] < max_rss,
          f"{rss['from_kb'] // 1024} -> {rss['to_kb'] // 1024} MB ({rss['growth_pct']:+.1f}%, limit {max_rss}%), "
          f"slope {rss['slope_kb_per_min'] / 1024:+.2f} MB/min" if rss else "too few samples")
    if heap:
        heap_ok = heap["growth_pct"] < max_rss or heap["to_kb"] - heap["from_kb"] < 2048
        check("heap after GC flat over the second half", heap_ok,
              f"{heap['from_kb'] / 1024:.1f} -> {heap['to_kb'] / 1024:.1f} MB ({heap['growth_pct']:+.1f}%; passes under "
              f"{max_rss}% or under 2 MB), slope {heap['slope_kb_per_min'] / 1024:+.2f} MB/min")
    fd_tol = int(env["SOAK_FD_TOLERANCE"])
    check("file descriptors back to baseline", end and base and end["fds"] <= base["fds"] + fd_tol,
          f"baseline {base['fds']}, peak under load {max(s['fds'] for s in load)}, end {end['fds']} "
          f"(tolerance +{fd_tol})" if end and base else "missing samples")
    if end and base and end["threads"] > base["threads"] + 2:
        warnings.append(f"threads: baseline {base['threads']}, end {end['threads']}")
    # errors seen by the clients
    w = wrk.get("allowed")
    if w:
        sock = w["err_connect"] + w["err_read"] + w["err_write"] + w["err_timeout"]
        check("allowed traffic: all 2xx, no socket errors", w["non2xx"] == 0 and sock == 0,
              f"{w['requests']} requests, {w['rps']:.0f}/s (target {w['target_rps']}), non-2xx {w['non2xx']}, "
              f"socket errors {sock}, p99 {w['p99_ms']:.2f} ms, max {w['max_ms']:.0f} ms")
    else:
        check("allowed traffic: all 2xx, no socket errors", False, "no wrk result")
    for name in ("denied-token", "no-token"):
        w = wrk.get(name)
        if w:
            sock = w["err_connect"] + w["err_read"] + w["err_write"] + w["err_timeout"]
            check(f"{name} traffic: exactly {w['expect_status']}, no socket errors", w["unexpected"] == 0 and sock == 0,
                  f"{w['requests']} requests, {w['rps']:.0f}/s (target {w['target_rps']}), statuses {w['statuses']}, "
                  f"socket errors {sock}")
        else:
            check(f"{name} traffic", False, "no wrk result")
    ws = None
    p = os.path.join(outdir, "logs", "ws-churn.log")
    if os.path.exists(p):
        ws = last_ws_stats(p)
    check("WebSockets: no failures, all closed cleanly",
          ws and ws["failures"] == 0 and ws["phase"] == "final" and ws["opened"] == ws["closed_clean"],
          (f"{ws['opened']} opened, {ws['closed_clean']} closed cleanly, {ws['denied_ok']} denied handshakes "
           f"answered 403, {ws['messages_ok']} messages echoed intact, failures {ws['failures']} "
           f"{ws['failure_kinds'] or ''}") if ws else "no WebSocket stats")
    # errors seen by Gatehouse (decision="error"), from the baseline (after calibration) on
    if base and end and load_end:
        def delta(a, b):
            keys = set(a["gatehouse"]["errors"]) | set(b["gatehouse"]["errors"])
            return {k: b["gatehouse"]["errors"].get(k, 0) - a["gatehouse"]["errors"].get(k, 0) for k in keys}
        last_run = [s for s in samples if s["label"] == "run"]
        during = delta(base, last_run[-1]) if last_run else {}
        total = delta(base, end)
        other = {k: v for k, v in total.items() if v and k != "client-closed"}
        cc_during = during.get("client-closed", 0)
        cc_stop = total.get("client-closed", 0) - cc_during
        check('Gatehouse: no decision="error" requests', not other and cc_during == 0,
              f"by reason {json.dumps({k: int(v) for k, v in total.items() if v}) or '{}'}; client-closed while "
              f"running {cc_during:.0f}, when the load generators stopped {cc_stop:.0f} (those are not errors)")
        check("Gatehouse: no WebSocket left open", end["gatehouse"]["ws_open"] == 0,
              f"gatehouse_open_connections{{kind=websocket}} at the end: {end['gatehouse']['ws_open']:.0f}")
        reqs = {k: int(end["gatehouse"]["requests"].get(k, 0) - base["gatehouse"]["requests"].get(k, 0))
                for k in end["gatehouse"]["requests"]}
    else:
        reqs = {}
        check("Gatehouse metrics sampled", False, "missing baseline/load-end/end sample")
    ok = all(c["ok"] for c in checks)
    summary = {"verdict": "PASS" if ok else "FAIL", "label": env.get("SOAK_LABEL"), "params": env,
               "calibration": wrk.get("calibration"), "checks": checks, "warnings": warnings,
               "requests_by_decision": reqs, "rss": rss, "heap_after_gc": heap,
               "start": base and {k: base[k] for k in ("rss_kb", "heap_used_kb", "fds", "threads")},
               "end": end and {k: end[k] for k in ("rss_kb", "heap_used_kb", "fds", "threads")},
               "peak_rss_kb": max((s["hwm_kb"] for s in samples), default=None)}
    json.dump(summary, open(os.path.join(outdir, "summary.json"), "w"), indent=2)
    md = [f"### Soak: {env.get('SOAK_LABEL')} ({summary['verdict']})", "",
          f"`{env['COMMAND']}` on {env.get('HOST_FACTS')}", "",
          f"Rate {env['RATE']} req/s HTTP (calibrated max "
          f"{(wrk.get('calibration') or {}).get('rps', 0):.0f} req/s x {env['SOAK_RATE_FRACTION']}, split "
          f"{env['SOAK_MIX']} allowed/denied-token/no-token) plus {env['SOAK_WS']} WebSocket loops, for "
          f"{env['SOAK_SECONDS']} s.", "",
          "| sample | t (s) | RSS (MB) | heap after GC (MB) | FDs | threads | errors | WS open |",
          "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in samples:
        md.append(f"| {s['label']} | {s['elapsed_s']:.0f} | {s['rss_kb'] / 1024:.0f} | "
                  f"{(s['heap_used_kb'] or 0) / 1024:.1f} | {s['fds']} | {s['threads']} | "
                  f"{sum(s['gatehouse']['errors'].values()):.0f} | {s['gatehouse']['ws_open']:.0f} |")
    md += ["", "| check | result | detail |", "| --- | --- | --- |"]
    md += [f"| {c['check']} | {'ok' if c['ok'] else '**FAIL**'} | {c['detail']} |" for c in checks]
    if warnings:
        md += ["", "Warnings: " + "; ".join(warnings)]
    md += ["", f"Requests seen by Gatehouse after calibration, by decision: {json.dumps(reqs)}"]
    if base and end:
        md += ["", f"File descriptors by kind: baseline {json.dumps(base.get('fd_kinds'))}, end {json.dumps(end.get('fd_kinds'))}"]
    p = os.path.join(outdir, "sockets-end-summary.txt")
    if os.path.exists(p) and os.path.getsize(p):
        md += ["", "Gatehouse's TCP sockets at the end (count, state, local side, peer):", "```",
               open(p).read().rstrip(), "```"]
    p = os.path.join(outdir, "logs", "ws-upstream.log")
    if os.path.exists(p):
        lines = [l.strip() for l in open(p) if l.startswith("ws-upstream open")]
        if lines:
            md += ["", f"WebSocket upstream at the end: `{lines[-1]}`"]
    md.append("")
    open(os.path.join(outdir, "summary.md"), "w").write("\n".join(md))
    print("\n".join(md))
    print(f"VERDICT: {summary['verdict']}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "sample" and len(sys.argv) == 9:
        sample(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "report":
        sys.exit(report(sys.argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
