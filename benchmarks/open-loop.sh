#!/usr/bin/env bash
# An open loop at scale: 10,000 connections, each sending at a fixed rate whether or not its last request was
# answered, the total rate stepped up until p99 passes 100 ms; for loom-counter (virtual threads), the Go peer when it
# is there, and the Netty fan-out peer. The highest rate each sustains (p99 at most 100 ms, and at least 95% of the
# asked rate achieved) is its sustainable rate; every step is a point of its latency-throughput curve.
#
#   bash benchmarks/open-loop.sh                                  the default run (about 12 minutes on 2 cores)
#   RATES="1000 2000" CLIENTS=1000 SECONDS_PER_STEP=3 bash benchmarks/open-loop.sh     a quick look
#
# The load comes from this project's own client (`client --rate`, see docs/load-client.md): the load generator of
# ../shared/peers is closed-loop only. Latency counts from each request's due time, so a server that falls behind
# shows it in every request it delayed (no coordinated omission). The steps are interleaved: rate 1 on every server,
# then rate 2, and so on; a server leaves the run after its first step past 100 ms.
# Writes benchmarks/results/open-loop.{json,md,png} (OUT= elsewhere). Needs what benchmarks/peers.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1)}
[[ -x $JAVA ]] || { echo "open-loop.sh: no JDK 25 found under /usr/lib/jvm (set JAVA)" >&2; exit 2; }
CLIENTS=${CLIENTS:-10000}
RATES=${RATES:-1000 1500 2000 3000 5000 7500 10000 15000 20000}
SECONDS_PER_STEP=${SECONDS_PER_STEP:-10}
# The client's warm-up includes opening its 10,000 connections (several seconds here) and sending the requests that
# fell due meanwhile: measured too early, a step shows the client catching up, not the server (p99 of 300 ms at
# 1,000 requests/s, falling to 30 ms within 5 s, whatever the server).
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
# The client's own JVM: 10,000 connections are some 200 MB of live objects in the client, and with its default GC
# every young collection copied them, in pauses of 0.2 to 1.3 s on this machine, counted in every server's latency.
# A young generation larger than a step allocates means no collection while a step is measured.
CLIENT_JVM_OPTS=${CLIENT_JVM_OPTS:--XX:+UseSerialGC -Xms2g -Xmn1536m}
LIMIT_MS=${LIMIT_MS:-100}
JVM_OPTS=${JVM_OPTS:--XX:+UseSerialGC -Xmn24m -XX:SurvivorRatio=2 -XX:+UseCompactObjectHeaders}
OUT=${OUT:-benchmarks/results}
RAW=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$RAW"' EXIT

[[ -f target/loom-counter.jar ]] || ./mvnw -B -q package -DskipTests
BENCHMARKS_JAR=benchmarks/target/benchmarks.jar
if ! { [[ -f $BENCHMARKS_JAR ]] && "${JAVA%/java}/jar" tf "$BENCHMARKS_JAR" | grep -q 'netty/NettyCounter.class'; }; then
    ./mvnw -B -q -f benchmarks/pom.xml package -DskipTests >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
client() { "$JAVA" --enable-preview $CLIENT_JVM_OPTS -jar target/loom-counter.jar client "$@"; }

declare -A PORT
start() {
    local name=$1 port=$2; shift 2
    "$@" >"$RAW/$name.log" 2>&1 &
    PIDS+=($!); PORT[$name]=$port
    for _ in $(seq 150); do
        client --port "$port" --clients 1 --requests 1 --increments 0..0 >/dev/null 2>&1 && return
        sleep 0.2
    done
    echo "open-loop.sh: $name did not start; its log:" >&2; cat "$RAW/$name.log" >&2; exit 1
}
SERVERS=(virtual)
start virtual 7421 $JAVA --enable-preview $JVM_OPTS -jar target/loom-counter.jar server --port 7421 --unit-iterations 1 \
    --quiet --max-connections 20000 --max-subtasks 200000
if [[ -x $PEERS/go-server ]]; then
    SERVERS+=(go)
    start go 7422 "$PEERS/go-server" -port 7422 -unit-iterations 1 -max-connections 20000
fi
SERVERS+=(netty_fanout)
start netty_fanout 7423 $JAVA --enable-preview --enable-native-access=ALL-UNNAMED $JVM_OPTS -cp "$BENCHMARKS_JAR" \
    dev.loomcounter.benchmarks.netty.NettyCounter --shape fanout --port 7423 --unit-iterations 1 --max-connections 20000

# Warm-up: the JIT compiles each server's serving path before any step is measured (the first step would otherwise
# measure the compiler).
for s in "${SERVERS[@]}"; do
    echo "warm-up: $s" >&2
    client --port "${PORT[$s]}" --clients 50 --duration 5s --increments 1..1 --json >/dev/null 2>&1 || true
done

declare -A DONE
for rate in $RATES; do
    for s in "${SERVERS[@]}"; do
        [[ -z ${DONE[$s]:-} ]] || continue
        echo "$s: $CLIENTS connections, $rate requests/s" >&2
        client --port "${PORT[$s]}" --clients "$CLIENTS" --rate "$rate" --duration "${SECONDS_PER_STEP}s" \
            --warmup "${WARMUP_SECONDS}s" --increments 1..1 --json >"$RAW/step-$s-$rate.json" 2>"$RAW/step-$s-$rate.err" \
            || true
        p99=$(python3 -c 'import json,sys
try:
    r = json.load(open(sys.argv[1])); print((r["latency_ms"] or {}).get("p99") or 1e9)
except Exception:
    print(1e9)' "$RAW/step-$s-$rate.json")
        echo "  p99 $p99 ms" >&2
        if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)' "$p99" "$LIMIT_MS"; then
            DONE[$s]=$rate
        fi
    done
done

mkdir -p "$OUT"
WARMUP_SECONDS=$WARMUP_SECONDS SECONDS_PER_STEP=$SECONDS_PER_STEP python3 - "$RAW" "$OUT" "$CLIENTS" "$LIMIT_MS" "$JVM_OPTS" "$(nproc)" <<'PY'
import glob, json, os, sys
raw, out, clients, limit, jvm_opts, cores = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
NAMES = {"virtual": "loom-counter, virtual", "go": "Go peer", "netty_fanout": "Netty, fan-out"}
curves = {}
for path in glob.glob(os.path.join(raw, "step-*.json")):
    _, server, rate = os.path.basename(path)[:-5].split("-")
    point = {"rate_asked": int(rate)}
    try:
        with open(path) as f:
            r = json.load(f)
        lat = r.get("latency_ms") or {}
        counts = r.get("counts", {})
        point.update({"rate_achieved": r.get("rate_achieved"), "p50_ms": lat.get("p50"), "p99_ms": lat.get("p99"),
                      "max_ms": lat.get("max"), "clean": r.get("clean"),
                      "wrong": counts.get("wrong"), "errors": sum((counts.get("errors") or {}).values()),
                      "connection_failures": counts.get("connection_failures"),
                      "first_problem": r.get("first_problem")})
    except (OSError, ValueError):
        point.update({"rate_achieved": None, "p99_ms": None, "clean": False,
                      "first_problem": "no result (the client failed; see its standard error)"})
    curves.setdefault(server, []).append(point)
servers = [s for s in NAMES if s in curves]
result = {"clients": clients, "p99_limit_ms": limit, "jvm_options": jvm_opts, "cores": int(cores), "servers": {}}
for s in servers:
    points = sorted(curves[s], key=lambda p: p["rate_asked"])
    ok = [p for p in points if p["p99_ms"] is not None and p["p99_ms"] <= limit and p["rate_achieved"]
          and p["rate_achieved"] >= 0.95 * p["rate_asked"] and p.get("clean")]
    result["servers"][s] = {"name": NAMES[s], "points": points,
                            "sustainable_rate": max((p["rate_asked"] for p in ok), default=None)}
with open(os.path.join(out, "open-loop.json"), "w") as f:
    json.dump(result, f, indent=2)
def num(v, fmt):
    return "-" if v is None else fmt.format(v)
md = ["# An open loop at scale, one run", "",
      "{:,} connections, each sending at a fixed share of the total rate (this project's `client --rate`, latency from "
      "each request's due time), `x 1`, `--unit-iterations 1`, on {} cores; the rate stepped up, interleaved across "
      "the servers, until p99 passed {:.0f} ms. Sustainable: the highest rate with p99 at most {:.0f} ms, 95% of it "
      "achieved, every answer right. Each step: {} s of warm-up (the connections opened), {} s measured.".format(
          clients, cores, limit, limit, os.environ.get("WARMUP_SECONDS"), os.environ.get("SECONDS_PER_STEP")), "",
      "| server | sustainable requests/s |", "|---|---:|"]
for s in servers:
    md.append("| {} | {} |".format(NAMES[s], num(result["servers"][s]["sustainable_rate"], "{:,}")))
md += ["", "| server | asked requests/s | achieved | p50 ms | p99 ms | max ms | problems |",
       "|---|---:|---:|---:|---:|---:|---|"]
for s in servers:
    for p in result["servers"][s]["points"]:
        md.append("| {} | {:,} | {} | {} | {} | {} | {} |".format(NAMES[s], p["rate_asked"],
                  num(p.get("rate_achieved"), "{:,.0f}"), num(p.get("p50_ms"), "{:.1f}"),
                  num(p.get("p99_ms"), "{:.1f}"), num(p.get("max_ms"), "{:.1f}"), p.get("first_problem") or "none"))
with open(os.path.join(out, "open-loop.md"), "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
PY
"$JAVA" --enable-preview -Djava.awt.headless=true -cp "$BENCHMARKS_JAR" dev.loomcounter.benchmarks.charts.OpenLoopChart \
    "$OUT/open-loop.json" "$OUT/open-loop.png"
echo "wrote $OUT/open-loop.md, $OUT/open-loop.json, $OUT/open-loop.png" >&2
