#!/usr/bin/env bash
# End-to-end: runs one story of samples/scenarios/ against a real `rsoflow serve` process on an
# ephemeral loopback port with a freshly seeded database, then checks the audit chain with
# `rsoflow audit verify`. With --kill-in-scenario-3 the server is killed with SIGKILL while
# the story waits (after its plan turned at risk) and restarted on the same port and database;
# the story must then finish with nothing lost. Finally it reads the server's logs: one access
# log line per request the story sent (each carries its own X-Request-Id), and no session
# token or password anywhere.
#
# usage: run_scenario.sh RSOFLOW_BIN SCENARIO_NUMBER [--kill-in-scenario-3]
set -euo pipefail
bin=$1
number=$2
kill_mode=${3:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export RSOFLOW_PBKDF2_ITERATIONS=1000   # fast test hashing; production uses >= 600 000
export RSOFLOW_REQUEST_LOG=$work/request-ids RSOFLOW_SECRET_LOG=$work/tokens
: >"$RSOFLOW_REQUEST_LOG"
: >"$RSOFLOW_SECRET_LOG"
db=$work/e2e.db
"$bin" seed --db "$db" --dataset "$root/samples/dataset.json" > "$work/seed.log" 2>&1 ||
  { cat "$work/seed.log"; exit 1; }

# Starts the server on $port (0: ephemeral) and sets $port to the one it listens on.
start_server() {
  local log=$work/server.$RANDOM.log
  "$bin" serve --db "$db" --bind 127.0.0.1 --port "$1" > "$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/readyz" > /dev/null; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$log"; echo "server exited"; return 1; fi
    sleep 0.05
  done
  cat "$log"
  echo "server did not become ready"
  return 1
}

start_server 0
export RSOFLOW_URL=http://127.0.0.1:$port
script=$(ls "$root"/samples/scenarios/"$number"-*.sh)
echo "==> scenario $number ($(basename "$script")) against $RSOFLOW_URL"

if [ "$kill_mode" = "--kill-in-scenario-3" ]; then
  export SCENARIO3_PAUSE_FILE=$work/pause
  bash "$script" &
  story=$!
  for _ in $(seq 1 600); do
    [ -s "$SCENARIO3_PAUSE_FILE" ] && break
    kill -0 "$story" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$SCENARIO3_PAUSE_FILE" ] || { echo "scenario 3 never reached its pause point"; wait "$story"; exit 1; }
  plan=$(cat "$SCENARIO3_PAUSE_FILE")
  before=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit")
  echo "==> killing the server (pid $server_pid) with SIGKILL while plan $plan is at risk"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  after=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit")
  [ "$before" = "$after" ] || { echo "audit entries changed across the kill: $before -> $after"; exit 1; }
  state=$(sqlite3 "$db" "SELECT state FROM instances WHERE id = $plan")
  [ "$state" = at_risk ] || { echo "plan $plan is $state after the kill, expected at_risk"; exit 1; }
  start_server "$port"
  echo "==> restarted on the same port; $after audit entries kept"
  rm -f "$SCENARIO3_PAUSE_FILE"
  wait "$story"
else
  bash "$script"
fi

kill "$server_pid"   # SIGTERM: a graceful stop, every request answered and logged
wait "$server_pid" 2>/dev/null || true
server_pid=

logs=$(cat "$work"/server.*.log)
sent=$(sort "$RSOFLOW_REQUEST_LOG")
[ -n "$sent" ] || { echo "the story sent no request with an id"; exit 1; }
logged=$(grep ' route=' <<<"$logs" | sed -n 's/.* request_id=\(scn-[0-9a-f]*\) user=.*/\1/p' | sort)
if [ "$sent" != "$logged" ]; then
  echo "access log: not exactly one line per request (< sent, > logged):"
  diff <(echo "$sent") <(echo "$logged") | head -20
  exit 1
fi
echo "==> access log: one line for each of the $(wc -l <<<"$sent") requests the story sent"
password=${RSOFLOW_DEMO_PASSWORD:-demo-password-1}
if grep -q -F -e "$password" <<<"$logs"; then echo "the server logged a password"; exit 1; fi
if [ -s "$RSOFLOW_SECRET_LOG" ] && grep -F -f "$RSOFLOW_SECRET_LOG" <<<"$logs"; then
  echo "the server logged a session token"
  exit 1
fi
echo "==> server logs hold no password and none of the $(wc -l <"$RSOFLOW_SECRET_LOG") session tokens"
"$bin" audit verify --db "$db"
[ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ]
echo "==> scenario $number passed; audit chain verified"
