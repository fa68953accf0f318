#!/usr/bin/env bash
# Lesson 6's table, measured in rounds: the four servers of the lesson (sleep or spin work, virtual or platform
# threads), each against the lesson's load client with 100 and 1,000 connections (spin: 100 only, as in the lesson),
# interleaved (every cell once, then every cell again), ROUNDS times. Prints each run, then per cell the median and
# the range (lowest to highest) of throughput, p50 and p99. One run per cell says little on a shared machine: the
# ranges show how far apart two runs of the same cell land.
#
#   bash .ci/lesson-6-rounds.sh              5 rounds (about 15 minutes on 2 cores)
#   ROUNDS=1 bash .ci/lesson-6-rounds.sh     one round, a quick look
#
# The server and client run as the lesson runs them (same flags, same JVM options as `exec:exec@server`), from the
# jar instead of `./mvnw`, so that Maven's own start is not part of a round.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1)}
[[ -x $JAVA ]] || { echo "lesson-6-rounds.sh: no JDK 25 found under /usr/lib/jvm (set JAVA)" >&2; exit 2; }
ROUNDS=${ROUNDS:-5}
RAW=$(mktemp -d)
SERVER=
trap '[[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null; rm -rf "$RAW"' EXIT
[[ -f target/loom-counter.jar ]] || ./mvnw -B -q package -DskipTests
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# name | server flags | client counts
CELLS=(
  "sleep-virtual|--quiet --work sleep --max-units 1|100 1000"
  "sleep-platform|--quiet --work sleep --max-units 1 --threads platform|100 1000"
  "spin-virtual|--quiet --work spin --max-units 1 --fairness off|100"
  "spin-platform|--quiet --work spin --max-units 1 --fairness off --threads platform|100"
)

run_cell() {
  local name=$1 flags=$2 clients=$3 round=$4 log="$RAW/server.log" port waited=0
  : >"$log"
  # shellcheck disable=SC2086
  "$JAVA" --enable-preview -XX:+UseSerialGC -Xmn24m -XX:SurvivorRatio=2 -XX:+UseCompactObjectHeaders \
    -jar target/loom-counter.jar server --port 0 $flags >"$log" 2>&1 &
  SERVER=$!
  until port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | grep -oE '[0-9]+$'); do
    ((waited++ < 300)) || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  local out="$RAW/$name-$clients-$round.out"
  "$JAVA" --enable-preview -jar target/loom-counter.jar client --port "$port" \
    --clients "$clients" --requests 10 --increments 0..4 >"$out" 2>&1
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  grep -q 'requests ok: *\([0-9,]*\) of \1$' "$out" || { cat "$out" >&2; echo "not every request answered" >&2; exit 1; }
  local tput p50 p99 elapsed
  tput=$(grep -oE 'throughput: +[0-9,]+' "$out" | grep -oE '[0-9,]+$' | tr -d ,)
  p50=$(grep -oE 'p50 [0-9.,]+ (ms|s)' "$out" | head -1)
  p99=$(grep -oE 'p99 [0-9.,]+ (ms|s)' "$out" | head -1)
  elapsed=$(grep -oE 'elapsed: +[0-9.,]+ s' "$out" | grep -oE '[0-9.,]+ s')
  echo "$name $clients $round $tput $(to_ms "$p50") $(to_ms "$p99") ${elapsed% s}" >>"$RAW/runs"
  echo "round $round  $name  $clients clients: $tput requests/s, $p50, $p99, $elapsed in all, load $(cut -d' ' -f1 /proc/loadavg)"
}

# "p50 1,178 ms" or "p99 2.1 s" -> milliseconds
to_ms() {
  local value=${1#p?? } number
  number=$(tr -d , <<<"${value% *}")
  if [[ $value == *' s' ]]; then awk -v n="$number" 'BEGIN { printf "%.0f", n * 1000 }'; else printf '%s' "$number"; fi
}

for round in $(seq 1 "$ROUNDS"); do
  for cell in "${CELLS[@]}"; do
    IFS='|' read -r name flags counts <<<"$cell"
    for clients in $counts; do run_cell "$name" "$flags" "$clients" "$round"; done
  done
done

echo
echo "| server | clients | requests/s, median (range) | p50 ms, median (range) | p99 ms, median (range) |"
echo "|---|---|---|---|---|"
# median (lowest-highest) of one column of one cell's runs
stat() {
  local values n
  mapfile -t values < <(awk -v c="$1" -v k="$2" -v col="$3" '$1 == c && $2 == k { print $col }' "$RAW/runs" | sort -n)
  n=${#values[@]}
  if ((n % 2)); then printf '%s' "${values[n / 2]}"; else awk -v a="${values[n / 2 - 1]}" -v b="${values[n / 2]}" 'BEGIN { printf "%g", (a + b) / 2 }'; fi
  printf ' (%s-%s)' "${values[0]}" "${values[n - 1]}"
}
for cell in "${CELLS[@]}"; do
  IFS='|' read -r name flags counts <<<"$cell"
  for clients in $counts; do
    echo "| $name | $clients | $(stat "$name" "$clients" 4) | $(stat "$name" "$clients" 5) | $(stat "$name" "$clients" 6) |"
  done
done
