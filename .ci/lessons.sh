#!/usr/bin/env bash
# Runs the lessons' server commands as docs/lessons.md writes them: through the Maven wrapper, JDK_JAVA_OPTIONS
# included, which the JUnit tests (they start the server's JVM directly) cannot check. For each distinct server
# command (without its `| tee server.log`): start it on a free port, ask `0 0`, say STOP, send the server SIGINT as
# lesson 5's Ctrl-C does, and expect an orderly stop. Besides: lesson 2's one-carrier claim, lesson 4's curl/pgrep/ps/jcmd/grep
# lines and lesson 0.5's /dev/tcp lines, run verbatim. Then every course example's command (`exec:exec@course`), as written. Needs bash (for
# /dev/tcp), pgrep and ps; no standard input, no terminal. About 80 s on 2 cores for the servers, a few minutes more
# for the examples (one of them forks 100,000 threads four times).
set -euo pipefail
cd "$(dirname "$0")/.."
LESSONS=docs/lessons.md
WORK=$(mktemp -d)
# One command at a time: each runs the `compile` phase, and two Maven builds of one project at once race on
# target/classes (one saw "Could not find or load main class" while the other recompiled).
# Maven's own JVM only: C1 alone starts Maven faster; the server's JVM is not affected.
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1"

fail() {
  echo "lessons.sh: $*" >&2
  exit 1
}

trap 'rm -rf "$WORK" dump.json jdk-dump.json' EXIT

# A line the lessons must show verbatim, or the script is checking something the lessons no longer say.
require_line() {
  grep -qxF -- "$1" "$LESSONS" || fail "docs/lessons.md no longer shows this line: $1"
}

# The server's JVM among the descendants of a process (Maven forks it, through a shell or two).
server_started_by() {
  local candidate ancestor
  for candidate in $(pgrep -f 'dev.loomcounter.cli.Main server'); do
    ancestor=$candidate
    while ((ancestor > 1)); do
      if ((ancestor == $1)); then
        echo "$candidate"
        return 0
      fi
      ancestor=$(ps -o ppid= -p "$ancestor" | tr -d ' ') || break
    done
  done
  return 1
}

# SIGTERM to a process and all its descendants, by process id, children first.
stop_tree() {
  local child
  for child in $(pgrep -P "$1"); do stop_tree "$child"; done
  kill "$1" 2>/dev/null || true
}

# Waits until the job's log says where it listens, and sets PORT; fails if the job ends first or takes over 30 s.
await_port() {
  local waited=0
  until PORT=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$LOG" | grep -oE '[0-9]+$'); do
    kill -0 "$JOB" 2>/dev/null || { cat "$LOG" >&2; fail "did not start: $1"; }
    ((waited++ < 300)) || fail "did not listen within 30 s: $1"
    sleep 0.1
  done
}

# Starts a lesson's server command on a free port; sets JOB (the job running Maven), LOG, PORT and SERVER_PID.
start_server() {
  local command=$1 number=$2
  # --port 0: the command as written, on a free port, so that this script can run next to a server on 7007.
  if [[ $command == *'-Dargs="'* ]]; then
    command=${command/-Dargs=\"/-Dargs=\"--port 0 }
  else
    command="$command -Dargs=\"--port 0\""
  fi
  command=${command% | tee server.log}
  LOG="$WORK/server-$number.log"
  : >"$LOG"
  eval "$command" >"$LOG" 2>&1 </dev/null &
  JOB=$!
  # If a check fails, stop every process this command started: killing the job alone would leave Maven and the
  # server running under it.
  trap 'stop_tree "$JOB"' EXIT
  await_port "$1"
  SERVER_PID=$(server_started_by "$JOB") || fail "no server process under Maven's: $1"
}

# Sends lines on a new connection; fd 3 stays open for read_answer and the caller.
open_and_ask() {
  exec 3<>"/dev/tcp/127.0.0.1/$PORT"
  printf '%s\n' "$@" >&3
}

read_answer() {
  local answer
  IFS= read -r -t 20 answer <&3 || fail "no answer from the server on port $PORT"
  printf '%s' "$answer"
}

# Asks 0 0 and says STOP on a connection of its own; then SIGINT to the server, what lesson 5's Ctrl-C sends: the
# server must stop in order, and Maven with it, successfully.
check_and_stop() {
  open_and_ask "0 0"
  [[ $(read_answer) == 0 ]] || fail "0 0 was not answered 0 by: $1"
  printf 'STOP\n' >&3
  [[ $(read_answer) == BYE ]] || fail "STOP was not answered BYE by: $1"
  exec 3>&-
  local PID=$SERVER_PID
  kill -INT "$PID"
  wait "$JOB" || { cat "$LOG" >&2; fail "Maven failed after the server's orderly stop: $1"; }
  grep -q 'server stopped' "$LOG" || { cat "$LOG" >&2; fail "no orderly stop after SIGINT: $1"; }
  trap - EXIT
}

# Lesson 2: with parallelism and maxPoolSize 1, every virtual thread runs on worker-1.
check_one_carrier() {
  open_and_ask "2 20"
  local answer
  answer=$(read_answer)
  [[ $answer == 22 ]] || { cat "$LOG" >&2; fail "2 20 was answered '$answer', not 22"; }
  # STOP ends the session; it is answered in order, after the request before it.
  printf 'STOP\n' >&3
  [[ $(read_answer) == BYE ]] || fail "STOP was not answered BYE"
  exec 3>&-
  grep -q 'NOTE: Picked up JDK_JAVA_OPTIONS: -Djdk.virtualThreadScheduler.parallelism=1' "$LOG" \
    || fail "JDK_JAVA_OPTIONS did not reach the server"
  local carriers
  carriers=$(grep -oE 'ForkJoinPool-1-worker-[0-9]+' "$LOG" | sort -u | tr '\n' ' ')
  [[ $carriers == 'ForkJoinPool-1-worker-1 ' ]] || fail "one carrier expected, the log shows: $carriers"
}

# Lesson 4: its lines, as written, while a request of lesson 4's server is in flight on conn-1: the live view's dump,
# then the JDK's own, which is safe on a server at rest (every subtask asleep for a minute).
check_thread_dump() {
  local curl_line='curl -s http://127.0.0.1:7080/threads > dump.json'
  local grep_line="grep -E '\"(container|name)\"' dump.json"
  local pgrep_line="PID=\$(pgrep -f 'dev.loomcounter.cli.Main server')"
  local jdk_line="JDK25=\$(dirname \"\$(dirname \"\$(ps -o args= -p \"\$PID\" | cut -d' ' -f1)\")\")"
  local jcmd_line='"$JDK25/bin/jcmd" "$PID" Thread.dump_to_file -format=json jdk-dump.json'
  local jdk_grep_line="grep -E '\"(container|name)\"' jdk-dump.json"
  for line in "$curl_line" "$grep_line" "$pgrep_line" "$jdk_line" "$jcmd_line" "$jdk_grep_line"; do
    require_line "$line"
  done

  open_and_ask "0 3"
  local waited=0
  until [[ $(grep -c 'req-1 increment .* starts' "$LOG") -ge 3 ]]; do
    ((waited++ < 300)) || fail "the request's increments did not start"
    sleep 0.1
  done
  rm -f dump.json jdk-dump.json
  eval "$curl_line" || fail "curl could not reach the live view"
  local tree
  tree=$(eval "$grep_line")
  grep -qF '"name": "conn-1/req-1/increment-3"' <<<"$tree" || fail "the live view's dump lacks the request's threads: $tree"
  grep -qF '"container": "conn-1/req-1"' <<<"$tree" || fail "the live view's dump lacks the request's scope: $tree"

  # pgrep may find other servers on a shared machine; it must find this one, and the rest runs with this one.
  local PID
  eval "$pgrep_line" || fail "pgrep found no server"
  grep -qx "$SERVER_PID" <<<"$PID" || fail "pgrep did not find the server: $PID"
  PID=$SERVER_PID
  local JDK25
  eval "$jdk_line"
  eval "$jcmd_line" >/dev/null
  tree=$(eval "$jdk_grep_line")
  grep -qF '"name": "conn-1\/req-1\/increment-3"' <<<"$tree" || fail "the JDK's dump lacks the request's threads: $tree"
  grep -qF '"container": "conn-1\/req-1\/' <<<"$tree" || fail "the JDK's dump lacks the request's scope: $tree"
  rm -f dump.json jdk-dump.json
  # Closing our side is an end of stream, not a cancel (bash cannot reset a connection): the request would still be
  # answered. The server's stop that follows cancels it after the grace period, as lesson 5's Ctrl-C on the server.
  exec 3>&-
}

# Lesson 0.5: its bash lines, as written, against its quiet server: a request in two pieces a second apart, then two
# requests in one write, then a close without STOP, which the server logs as the client having finished sending.
check_original() {
  local lines=(
    'exec 3<>/dev/tcp/127.0.0.1/7007'
    "printf '2 1' >&3; sleep 1; printf '0\\n' >&3"
    'head -n 1 <&3'
    "printf '2 10\\n5 3\\n' >&3"
    'head -n 2 <&3'
    'exec 3>&-'
  )
  local line answers=""
  for line in "${lines[@]}"; do
    require_line "$line"
  done
  eval "${lines[0]/7007/$PORT}"
  eval "${lines[1]}"
  answers+=$(eval "${lines[2]}")
  eval "${lines[3]}"
  answers+=" "$(eval "${lines[4]}" | tr '\n' ' ')
  eval "${lines[5]}"
  [[ $answers == '12 12 8 ' ]] || fail "lesson 0.5's lines were answered '$answers', not 12, 12 and 8"
  local waited=0
  until grep -q 'closed: client finished sending after 3 requests' "$LOG"; do
    ((waited++ < 300)) || { cat "$LOG" >&2; fail "no orderly close after lesson 0.5's lines"; }
    sleep 0.1
  done
}

# One lesson's server command, checked from start to stop.
check_command() {
  local command=$1
  start_server "$command" "$2"
  if [[ $command == *maxPoolSize=1* ]]; then
    check_one_carrier
  fi
  if [[ $command == *'--unit-millis 60000'* ]]; then
    check_thread_dump
  fi
  if [[ $command == './mvnw -q compile exec:exec@server -Dargs="--quiet"' ]]; then
    check_original
  fi
  check_and_stop "$command"
  echo "ok: $command"
}

./mvnw -B -ntp -q compile

# The bare server, before the lessons: its command as written, on a free port, and the lesson's piped client through
# Maven: 2 10 answered 12, and the session ended by STOP (the client waits for BYE before it exits).
check_bare() {
  local command='./mvnw -q compile exec:exec@bare'
  require_line "$command"
  require_line "printf '2 10\nSTOP\n' | ./mvnw -q compile exec:exec@client -Dargs=\"--port 7000\""
  LOG="$WORK/bare.log"
  eval "$command -Dargs=0" >"$LOG" 2>&1 </dev/null &
  JOB=$!
  trap 'stop_tree "$JOB"' EXIT
  await_port "$command"
  local answers
  answers=$(printf '2 10\nSTOP\n' | ./mvnw -q compile exec:exec@client -Dargs="--port $PORT" 2>&1)
  grep -qx '12' <<<"$answers" || fail "the bare server did not answer 12 to the piped client: $answers"
  stop_tree "$JOB"
  echo "ok: $command"
}
(check_bare)

# Every distinct server command of the lessons, in a code block or a list item.
mapfile -t COMMANDS < <(grep -E "^ *(JDK_JAVA_OPTIONS='[^']*' )?\./mvnw -q compile exec:exec@server" "$LESSONS" \
  | sed -E 's/^ +//' | sort -u)
((${#COMMANDS[@]} >= 5)) || fail "found only ${#COMMANDS[@]} server commands in $LESSONS"
for i in "${!COMMANDS[@]}"; do
  # A subshell each: its EXIT trap stops its own server if a check fails.
  (check_command "${COMMANDS[$i]}" "$i")
done
echo "lessons.sh: ${#COMMANDS[@]} server commands of the lessons started, answered and stopped"

# Lesson 16's commands, as written: the benchmarks' build, each Netty peer's command on a free port (the lines start
# with "$JDK25/bin/java"), the piped client against it, then the quick comparison when the peers directory is there.
check_lesson_16() {
  local build='./mvnw -q -f benchmarks/pom.xml package -DskipTests'
  local client="printf '2 10\\n5 3\\n' | ./mvnw -q compile exec:exec@client -Dargs=\"--port 7016\""
  local compare='QUICK=1 OUT=target/peers bash benchmarks/peers.sh'
  local JDK25 shape command answers
  JDK25=$(ls -d /usr/lib/jvm/*25* | head -n 1)
  for line in "$build" "$client" "$compare"; do require_line "$line"; done
  eval "$build" </dev/null || fail "failed: $build"
  for shape in fanout inline; do
    command='"$JDK25/bin/java" --enable-preview --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar'
    command+=" dev.loomcounter.benchmarks.netty.NettyCounter --shape $shape --port 7016"
    require_line "$command"
    LOG="$WORK/netty-$shape.log"
    # exec: the job is the Java process itself, so that killing the job stops the server (a shell in between would
    # leave it running).
    eval "exec ${command/--port 7016/--port 0}" >"$LOG" 2>&1 </dev/null &
    JOB=$!
    trap 'kill "$JOB" 2>/dev/null || true' EXIT
    await_port "$command"
    answers=$(eval "${client/--port 7016/--port $PORT}" </dev/null) || fail "failed against $shape: $client"
    [[ $answers == $'12\n8' ]] || fail "the $shape peer answered '$answers', not 12 and 8"
    kill "$JOB"
    wait "$JOB" 2>/dev/null || true
    trap - EXIT
    echo "ok: $command"
  done
  if [[ -x ../shared/peers/load ]]; then
    eval "$compare" >"$WORK/peers.out" 2>&1 </dev/null || { tail -40 "$WORK/peers.out" >&2; fail "failed: $compare"; }
    grep -q '| Netty, inline |' target/peers/peers.md || fail "no Netty rows in target/peers/peers.md"
    echo "ok: $compare"
  else
    echo "lessons.sh: no ../shared/peers/load here: not run: $compare"
  fi
}
(check_lesson_16)

# The course examples' commands, as written: each must end with exit code 0 (CourseExamplesTest checks their output).
mapfile -t EXAMPLES < <(grep -E '^\./mvnw -q test-compile exec:exec@course -Dexample=[A-Za-z]+$' "$LESSONS" | sort -u)
((${#EXAMPLES[@]} >= 5)) || fail "found only ${#EXAMPLES[@]} course example commands in $LESSONS"
for command in "${EXAMPLES[@]}"; do
  eval "$command" >"$WORK/example.out" 2>&1 </dev/null || { cat "$WORK/example.out" >&2; fail "failed: $command"; }
  echo "ok: $command"
done
echo "lessons.sh: ${#EXAMPLES[@]} course examples ran"
