#!/usr/bin/env bash
# loom-counter side by side with its peers, on one load generator, in one run.
#
#   bash benchmarks/peers.sh                                  the default run (about 7 minutes on 2 cores)
#   ROUNDS=3 SECONDS_PER_LOAD=10 bash benchmarks/peers.sh     a longer, steadier one
#   QUICK=1 OUT=/tmp/peers bash benchmarks/peers.sh           CI: one short round, 50 and 1,000 connections (~2 min)
#
# Starts loom-counter twice (virtual threads, platform threads), the Go peer when it is there, and the two Netty peers
# of the benchmarks project (dev.loomcounter.benchmarks.netty.NettyCounter: increments inline on the event loop, or
# fanned out to a pool); holds 10,000 idle connections on each and reads the server's RSS before and during; then
# runs the same closed-loop loads against each, interleaved (A B C D E A B C D E, never all of A first), with 1
# busy-loop iteration per unit so that the serving path is what is measured. For each run it also reads the server
# process's own CPU time (utime + stime in /proc/PID/stat) before and after: CPU per request is the server's share
# alone, whatever the load generator spends. Writes benchmarks/results/peers.{json,md,png} (OUT= elsewhere).
#
# Needs: the load generator and, optionally, the Go server from the peers directory (PEERS, default
# ../shared/peers next to the repository); JDK 25 (found like the build finds it); python3 for the table.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
# A JDK 25 in the usual place, or JAVA=/path/to/jdk-25/bin/java.
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1)}
[[ -x $JAVA ]] || { echo "peers.sh: no JDK 25 found under /usr/lib/jvm (set JAVA)" >&2; exit 2; }
if [[ -n ${QUICK:-} ]]; then
    : "${ROUNDS:=1}" "${SECONDS_PER_LOAD:=2}" "${CONNECTIONS:=50 1000}" "${HOLD_CONNS:=1000}" "${HOLD_SECONDS:=3}"
    : "${PLATFORM_MAX_CONNS:=50}"
fi
ROUNDS=${ROUNDS:-2}
SECONDS_PER_LOAD=${SECONDS_PER_LOAD:-4}
CONNECTIONS=${CONNECTIONS:-50 1000 10000}
INCREMENTS=${INCREMENTS:-1 10}
HOLD_CONNS=${HOLD_CONNS:-10000}
HOLD_SECONDS=${HOLD_SECONDS:-12}
# Platform threads are not run above this many connections: at 1,000 connections and x 10 they already answer a
# hundred times slower than the rest (p99 of seconds), and at 10,000 one round would outlast the whole run. The hold
# (idle connections, no forks) still runs at HOLD_CONNS.
PLATFORM_MAX_CONNS=${PLATFORM_MAX_CONNS:-1000}
# The JVM options the README's server command uses too (see docs/performance.md for why each one); every JVM server
# here runs with them, Netty's included.
JVM_OPTS=${JVM_OPTS:--XX:+UseSerialGC -Xmn24m -XX:SurvivorRatio=2 -XX:+UseCompactObjectHeaders}
OUT=${OUT:-benchmarks/results}
RAW=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$RAW"' EXIT

[[ -x $PEERS/load ]] || { echo "peers.sh: no load generator at $PEERS/load (set PEERS)" >&2; exit 2; }
[[ -f target/loom-counter.jar ]] || ./mvnw -B -q package -DskipTests
BENCHMARKS_JAR=benchmarks/target/benchmarks.jar
if ! { [[ -f $BENCHMARKS_JAR ]] && "${JAVA%/java}/jar" tf "$BENCHMARKS_JAR" | grep -q 'netty/NettyCounter.class'; }; then
    ./mvnw -B -q -f benchmarks/pom.xml package -DskipTests >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# name port command...
declare -A PORT PID
start() {
    local name=$1 port=$2; shift 2
    "$@" >"$RAW/$name.log" 2>&1 &
    PID[$name]=$!; PIDS+=($!); PORT[$name]=$port
    for _ in $(seq 150); do
        "$PEERS/load" -port "$port" -conns 1 -requests 1 -increments 0 >/dev/null 2>&1 && return
        sleep 0.2
    done
    echo "peers.sh: $name did not start; its log:" >&2; cat "$RAW/$name.log" >&2; exit 1
}
# --max-subtasks: 10,000 connections x 10 increments must fit in loom-counter's budget of subtasks in flight (the
# peers have none), or it would answer "ERR overloaded" where they count.
loom() {
    echo "$JAVA --enable-preview $JVM_OPTS -jar target/loom-counter.jar server --port $1 --unit-iterations 1 --quiet
          --max-connections 20000 --max-subtasks 200000 --threads $2"
}
netty() {
    echo "$JAVA --enable-preview --enable-native-access=ALL-UNNAMED $JVM_OPTS -cp $BENCHMARKS_JAR
          dev.loomcounter.benchmarks.netty.NettyCounter --shape $2 --port $1 --unit-iterations 1 --max-connections 20000"
}
SERVERS=(virtual platform)
start virtual 7411 $(loom 7411 virtual)
start platform 7412 $(loom 7412 platform)
if [[ -x $PEERS/go-server ]]; then
    SERVERS+=(go)
    start go 7413 "$PEERS/go-server" -port 7413 -unit-iterations 1 -max-connections 20000
fi
SERVERS+=(netty_fanout netty_inline)
start netty_fanout 7414 $(netty 7414 fanout)
start netty_inline 7415 $(netty 7415 inline)

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# The process's CPU time so far, in clock ticks: utime + stime, fields 14 and 15 of /proc/PID/stat (counted after
# the ")" that ends the command's name, which may itself hold blanks).
cpu_ticks() { sed -E 's/.*\) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
is_jvm() { [[ $1 != go ]]; }

# Memory first, on servers that have served nothing yet: afterwards the heap has grown for the loads, and new
# connections would fit in memory already taken.
for s in "${SERVERS[@]}"; do
    echo "hold: $s, $HOLD_CONNS connections" >&2
    if is_jvm "$s"; then
        "${JAVA%/java}/jcmd" "${PID[$s]}" GC.class_histogram >"$RAW/histogram-before-$s.txt" 2>/dev/null || true
    fi
    before=$(rss "${PID[$s]}")
    "$PEERS/load" -port "${PORT[$s]}" -hold -conns "$HOLD_CONNS" -duration "${HOLD_SECONDS}s" -server-pid "${PID[$s]}" \
        -json >"$RAW/hold-$s.json" 2>/dev/null &
    hold=$!
    # Live heap while the connections are held (a class histogram runs a full GC first: only live objects).
    sleep $((HOLD_SECONDS * 2 / 3))
    if is_jvm "$s"; then
        "${JAVA%/java}/jcmd" "${PID[$s]}" GC.class_histogram >"$RAW/histogram-$s.txt" 2>/dev/null || true
    fi
    wait "$hold" || true
    echo "{\"server\": \"$s\", \"rss_before_kib\": $before}" >"$RAW/before-$s.json"
done

# Warm-up: the JIT compiles the serving path before anything is measured.
for s in "${SERVERS[@]}"; do
    "$PEERS/load" -port "${PORT[$s]}" -conns 50 -duration 5s -requests 0 -increments 0-10 >/dev/null 2>&1 || true
done

CLK_TCK=$(getconf CLK_TCK)
for round in $(seq "$ROUNDS"); do
    for incs in $INCREMENTS; do
        for conns in $CONNECTIONS; do
            for s in "${SERVERS[@]}"; do
                if [[ $s == platform ]] && ((conns > PLATFORM_MAX_CONNS)); then continue; fi
                echo "round $round: $s, $conns connections, x $incs" >&2
                run=$RAW/load-$round-$s-$conns-$incs
                before=$(cpu_ticks "${PID[$s]}")
                "$PEERS/load" -port "${PORT[$s]}" -conns "$conns" -increments "$incs" -requests 0 \
                    -duration "${SECONDS_PER_LOAD}s" -json >"$run.json" 2>/dev/null || true
                echo "{\"cpu_ticks\": $(($(cpu_ticks "${PID[$s]}") - before)), \"clk_tck\": $CLK_TCK}" >"$run.cpu"
            done
        done
    done
done

mkdir -p "$OUT"
python3 - "$RAW" "$OUT" "$JVM_OPTS" "$PLATFORM_MAX_CONNS" "$(nproc)" <<'PY'
import glob, json, os, statistics, sys
raw, out, jvm_opts, platform_max, cores = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
NAMES = {"virtual": "loom-counter, virtual", "platform": "loom-counter, platform", "go": "Go peer",
         "netty_fanout": "Netty, fan-out", "netty_inline": "Netty, inline"}
loads = {}
for path in glob.glob(os.path.join(raw, "load-*.json")):
    _, rnd, server, conns, incs = os.path.basename(path)[:-5].split("-")
    with open(path) as f:
        text = f.read()
    if not text.strip():
        continue  # the load generator failed outright: the run counts as missing, not as zero
    r = json.loads(text)
    with open(path[:-5] + ".cpu") as f:
        cpu = json.load(f)
    replies = r["requests_per_s"] * r["elapsed_s"]
    r["cpu_us_per_request"] = cpu["cpu_ticks"] / cpu["clk_tck"] * 1e6 / replies if replies else None
    loads.setdefault((int(conns), int(incs), server), []).append(r)

def histogram_total(path):
    """The bytes of live objects in a jcmd class histogram (its last line: Total <instances> <bytes>)."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("Total"):
                    return int(line.split()[2])
    except OSError:
        pass
    return None

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

holds = {}
for path in glob.glob(os.path.join(raw, "hold-*.json")):
    server = os.path.basename(path)[5:-5]
    try:
        with open(path) as f:
            h = json.load(f)
    except ValueError:
        continue
    with open(os.path.join(raw, "before-" + server + ".json")) as f:
        h.update(json.load(f))
    holds[server] = h
servers = [s for s in NAMES if any(k[2] == s for k in loads) or s in holds]
rows = []
for (conns, incs) in sorted({(k[0], k[1]) for k in loads}, key=lambda k: (k[1], k[0])):
    row = {"conns": conns, "increments": incs}
    for s in servers:
        runs = loads.get((conns, incs, s), [])
        row[s] = {"requests_per_s": median(r["requests_per_s"] for r in runs),
                  "p99_ms": median(r["latency_ms"]["p99"] for r in runs),
                  "cpu_us_per_request": median(r["cpu_us_per_request"] for r in runs),
                  "rounds": len(runs),
                  "errors": sum(r["errors"] + r["wrong"] for r in runs)} if runs else None
    rows.append(row)
hold_rows = {}
for s, h in holds.items():
    during = h.get("server_rss_kib", 0)
    hold_rows[s] = {"held": h.get("held"), "conns": h.get("conns"), "rss_before_kib": h["rss_before_kib"],
                    "rss_during_kib": during,
                    "kib_per_connection": (during - h["rss_before_kib"]) / max(1, h.get("conns", 1))}
    live = [histogram_total(os.path.join(raw, name + s + ".txt")) for name in ("histogram-before-", "histogram-")]
    if None not in live:
        hold_rows[s]["live_heap_kib_per_connection"] = (live[1] - live[0]) / 1024 / max(1, h.get("conns", 1))
with open(os.path.join(out, "peers.json"), "w") as f:
    json.dump({"jvm_options": jvm_opts, "cores": int(cores), "servers": {s: NAMES[s] for s in servers},
               "loads": rows, "hold": hold_rows}, f, indent=2)

def num(v, fmt):
    return "-" if v is None else fmt.format(v)

md = ["# loom-counter and its peers, one run", "",
      "Closed-loop load from `../shared/peers/load`, `--unit-iterations 1`, medians of interleaved rounds, on "
      + cores + " cores. JVM options (every JVM server): `" + jvm_opts + "`. CPU per request: the server process's "
      "own CPU time (user + system) over the run, divided by the requests it answered. Platform threads are not run "
      "above {:,} connections.".format(platform_max), "",
      "| connections | x | server | requests/s | p99 ms | server CPU µs per request | errors |",
      "|---:|---:|---|---:|---:|---:|---:|"]
for row in rows:
    for s in servers:
        v = row[s]
        if v:
            md.append("| {:,} | {} | {} | {} | {} | {} | {} |".format(row["conns"], row["increments"], NAMES[s],
                      num(v["requests_per_s"], "{:,.0f}"), num(v["p99_ms"], "{:.1f}"),
                      num(v["cpu_us_per_request"], "{:.1f}"), v["errors"]))
def ratio(a, b, key):
    return "-" if not (a and b and a[key] and b[key]) else "{:.2f}x".format(a[key] / b[key])
peers = [p for p in ("go", "netty_fanout", "netty_inline") if p in servers]
md += ["", "loom-counter (virtual threads) against each peer, from the same run: requests/s, p99 and CPU per request "
       "as ratios (above 1.00x: loom-counter answers more, waits longer, spends more).", "",
       "| connections | x | " + " | ".join("req/s vs " + NAMES[p] + " | p99 vs " + NAMES[p] + " | CPU vs " + NAMES[p]
                                         for p in peers) + " |",
       "|---:|---:|" + "---:|---:|---:|" * len(peers)]
for row in rows:
    cells = []
    for p in peers:
        cells += [ratio(row["virtual"], row[p], "requests_per_s"), ratio(row["virtual"], row[p], "p99_ms"),
                  ratio(row["virtual"], row[p], "cpu_us_per_request")]
    md.append("| {:,} | {} | ".format(row["conns"], row["increments"]) + " | ".join(cells) + " |")
md += ["", "| server | idle connections held | RSS before (MiB) | RSS during (MiB) | RSS KiB per connection "
       "| live heap KiB per connection |", "|---|---|---:|---:|---:|---:|"]
for s in servers:
    h = hold_rows.get(s)
    if h:
        live = h.get("live_heap_kib_per_connection")
        md.append("| {} | {} of {} | {:.0f} | {:.0f} | {:.1f} | {} |".format(NAMES[s], h["held"], h["conns"],
                  h["rss_before_kib"] / 1024, h["rss_during_kib"] / 1024, h["kib_per_connection"],
                  "-" if live is None else "{:.1f}".format(live)))
with open(os.path.join(out, "peers.md"), "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
PY
for s in virtual platform netty_fanout; do
    if [[ -f $RAW/histogram-$s.txt ]]; then head -25 "$RAW/histogram-$s.txt" >"$OUT/peers-histogram-$s.txt"; fi
done

# The chart, with the benchmarks' own charting library.
"$JAVA" --enable-preview -Djava.awt.headless=true -cp "$BENCHMARKS_JAR" dev.loomcounter.benchmarks.charts.PeersChart \
    "$OUT/peers.json" "$OUT/peers.png"
echo "wrote $OUT/peers.md, $OUT/peers.json, $OUT/peers.png" >&2
