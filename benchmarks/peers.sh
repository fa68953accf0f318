#!/usr/bin/env bash
# loom-counter side by side with its peers, on one load generator, in one run.
#
#   benchmarks/peers.sh                 the default run (about 4 minutes)
#   ROUNDS=3 SECONDS_PER_LOAD=10 benchmarks/peers.sh     a longer, steadier one
#
# Starts loom-counter twice (virtual threads, platform threads) and, when it is there, the Go peer; runs the same
# closed-loop loads against each, interleaved (A B C A B C, never all of A first), with 1 busy-loop iteration per
# unit so that the serving path is what is measured; then holds 10,000 idle connections on each and reads the
# server's RSS before and during. Writes benchmarks/results/peers.{json,md,png}.
#
# Needs: the load generator and, optionally, the Go server from the peers directory (PEERS, default
# ../shared/peers next to the repository); JDK 25 (found like the build finds it); python3 for the table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
# A JDK 25 in the usual place, or JAVA=/path/to/jdk-25/bin/java.
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1)}
[[ -x $JAVA ]] || { echo "peers.sh: no JDK 25 found under /usr/lib/jvm (set JAVA)" >&2; exit 2; }
ROUNDS=${ROUNDS:-2}
SECONDS_PER_LOAD=${SECONDS_PER_LOAD:-5}
HOLD_CONNS=${HOLD_CONNS:-10000}
# The JVM options the README's server command uses too (see docs/performance.md for why each one).
JVM_OPTS=${JVM_OPTS:--XX:+UseSerialGC -Xmn24m -XX:SurvivorRatio=2 -XX:+UseCompactObjectHeaders}
OUT=benchmarks/results
RAW=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$RAW"' EXIT

[[ -x $PEERS/load ]] || { echo "peers.sh: no load generator at $PEERS/load (set PEERS)" >&2; exit 2; }
[[ -f target/loom-counter.jar ]] || ./mvnw -B -q package -DskipTests
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# name port command...
declare -A PORT PID
start() {
    local name=$1 port=$2; shift 2
    "$@" >"$RAW/$name.log" 2>&1 &
    PID[$name]=$!; PIDS+=($!); PORT[$name]=$port
    for _ in $(seq 100); do
        "$PEERS/load" -port "$port" -conns 1 -requests 1 -increments 0 >/dev/null 2>&1 && return
        sleep 0.2
    done
    echo "peers.sh: $name did not start; its log:" >&2; cat "$RAW/$name.log" >&2; exit 1
}
loom() { echo "$JAVA --enable-preview $JVM_OPTS -jar target/loom-counter.jar server --port $1 --unit-iterations 1 --quiet --max-connections 20000 --threads $2"; }
SERVERS=(virtual platform)
start virtual 7411 $(loom 7411 virtual)
start platform 7412 $(loom 7412 platform)
if [[ -x $PEERS/go-server ]]; then
    SERVERS+=(go)
    start go 7413 "$PEERS/go-server" -port 7413 -unit-iterations 1 -max-connections 20000
fi

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Memory first, on servers that have served nothing yet: afterwards the heap has grown for the loads, and new
# connections would fit in memory already taken.
for s in "${SERVERS[@]}"; do
    echo "hold: $s, $HOLD_CONNS connections" >&2
    if [[ $s != go ]]; then
        "${JAVA%/java}/jcmd" "${PID[$s]}" GC.class_histogram >"$RAW/histogram-before-$s.txt" 2>/dev/null || true
    fi
    before=$(rss "${PID[$s]}")
    "$PEERS/load" -port "${PORT[$s]}" -hold -conns "$HOLD_CONNS" -duration 15s -server-pid "${PID[$s]}" -json \
        >"$RAW/hold-$s.json" 2>/dev/null &
    hold=$!
    # Live heap while the connections are held (a class histogram runs a full GC first: only live objects).
    sleep 10
    if [[ $s != go ]]; then
        "${JAVA%/java}/jcmd" "${PID[$s]}" GC.class_histogram >"$RAW/histogram-$s.txt" 2>/dev/null || true
    fi
    wait "$hold" || true
    echo "{\"server\": \"$s\", \"rss_before_kib\": $before}" >"$RAW/before-$s.json"
done

# Warm-up: the JIT compiles the serving path before anything is measured.
for s in "${SERVERS[@]}"; do
    "$PEERS/load" -port "${PORT[$s]}" -conns 50 -duration 5s -requests 0 >/dev/null 2>&1 || true
done

LOADS=("50 1" "1000 1" "50 10" "1000 10")
for round in $(seq "$ROUNDS"); do
    for load in "${LOADS[@]}"; do
        read -r conns incs <<<"$load"
        for s in "${SERVERS[@]}"; do
            echo "round $round: $s, $conns connections, x $incs" >&2
            "$PEERS/load" -port "${PORT[$s]}" -conns "$conns" -increments "$incs" -requests 0 \
                -duration "${SECONDS_PER_LOAD}s" -json >"$RAW/load-$round-$s-$conns-$incs.json" 2>/dev/null || true
        done
    done
done

mkdir -p "$OUT"
python3 - "$RAW" "$OUT" "$JVM_OPTS" <<'PY'
import glob, json, os, statistics, sys
raw, out, jvm_opts = sys.argv[1], sys.argv[2], sys.argv[3]
loads = {}
for path in glob.glob(os.path.join(raw, "load-*.json")):
    _, rnd, server, conns, incs = os.path.basename(path)[:-5].split("-")
    with open(path) as f:
        r = json.load(f)
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

holds = {}
for path in glob.glob(os.path.join(raw, "hold-*.json")):
    server = os.path.basename(path)[5:-5]
    with open(path) as f:
        h = json.load(f)
    with open(os.path.join(raw, "before-" + server + ".json")) as f:
        h.update(json.load(f))
    holds[server] = h
servers = [s for s in ("virtual", "platform", "go") if any(k[2] == s for k in loads)]
rows = []
for (conns, incs) in sorted({(k[0], k[1]) for k in loads}):
    row = {"conns": conns, "increments": incs}
    for s in servers:
        runs = loads.get((conns, incs, s), [])
        row[s] = {"requests_per_s": statistics.median(r["requests_per_s"] for r in runs),
                  "p99_ms": statistics.median(r["latency_ms"]["p99"] for r in runs),
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
    json.dump({"jvm_options": jvm_opts, "loads": rows, "hold": hold_rows}, f, indent=2)
md = ["# loom-counter and its peers, one run", "",
      "Closed-loop load from `../shared/peers/load`, `--unit-iterations 1`, medians of interleaved rounds. "
      "JVM options: `" + jvm_opts + "`.", "",
      "| connections | x | " + " | ".join(s + " req/s | " + s + " p99 ms" for s in servers)
      + (" | virtual / go |" if "go" in servers else " |"),
      "|---|---|" + "---|---|" * len(servers) + ("---|" if "go" in servers else "")]
for row in rows:
    cells = []
    for s in servers:
        v = row[s]
        cells += ["{:,.0f}".format(v["requests_per_s"]), "{:.1f}".format(v["p99_ms"])] if v else ["-", "-"]
    ratio = ""
    if "go" in servers and row["go"] and row["virtual"]:
        ratio = " {:.2f}x |".format(row["virtual"]["requests_per_s"] / row["go"]["requests_per_s"])
    md.append("| {} | {} | ".format(row["conns"], row["increments"]) + " | ".join(cells) + " |" + ratio)
md += ["", "| server | idle connections held | RSS before (MiB) | RSS during (MiB) | RSS KiB per connection "
       "| live heap KiB per connection |", "|---|---|---|---|---|---|"]
for s in servers:
    h = hold_rows.get(s)
    if h:
        live = h.get("live_heap_kib_per_connection")
        md.append("| {} | {} of {} | {:.0f} | {:.0f} | {:.1f} | {} |".format(s, h["held"], h["conns"],
                  h["rss_before_kib"] / 1024, h["rss_during_kib"] / 1024, h["kib_per_connection"],
                  "-" if live is None else "{:.1f}".format(live)))
with open(os.path.join(out, "peers.md"), "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
PY
for s in virtual platform; do
    if [[ -f $RAW/histogram-$s.txt ]]; then head -25 "$RAW/histogram-$s.txt" >"$OUT/peers-histogram-$s.txt"; fi
done

# The chart, with the benchmarks' own charting library.
if [[ ! -f benchmarks/target/benchmarks.jar ]]; then
    ./mvnw -B -q -f benchmarks/pom.xml package -DskipTests >/dev/null
fi
"$JAVA" --enable-preview -cp benchmarks/target/benchmarks.jar dev.loomcounter.benchmarks.charts.PeersChart \
    "$OUT/peers.json" "$OUT/peers.png"
echo "wrote $OUT/peers.md, $OUT/peers.json, $OUT/peers.png" >&2
