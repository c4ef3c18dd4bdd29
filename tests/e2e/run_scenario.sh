#!/usr/bin/env bash
# End-to-end: runs one story of samples/scenarios/ against a real `rsoflow serve` process on an
# ephemeral loopback port with a freshly seeded database, then checks the audit chain with
# `rsoflow audit verify`. Before the story it checks that the seeded data set shows the spread
# of states the demo promises. With --kill-in-scenario-3 the server is killed with SIGKILL
# while the story waits (after its plan turned at risk) and while a command of another user is
# in flight (its request fully written to the socket, the kill sent at once); the server is
# restarted on the same port and database. That command must then be in the audit trail once
# or not at all, and exactly once after a retry with its Idempotency-Key; the sessions opened
# before the kill must still work (the story keeps its tokens, nobody logs in again), and the
# story must finish with nothing lost. Finally it reads the server's logs: one access log line
# per request the story sent (each carries its own X-Request-Id), and no session token or
# password anywhere.
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

# The demo data set shows every ballot outcome and every terminal state of a momentum plan:
# no_quorum and lapsed come from its history (imported with their real dates, as no seed can
# wait for a deadline or a 30-day grace period), the others from its live activity too. Each
# Council reviewer names a different member body.
states() { sqlite3 "$db" "SELECT group_concat(state, ' ') FROM (SELECT DISTINCT state FROM instances WHERE workflow = '$1' ORDER BY state)"; }
expect_states() {
  [ "$(states "$1")" = "$2" ] || { echo "seeded $1 states: '$(states "$1")', expected '$2'"; exit 1; }
}
expect_states council_ballot "approved cancelled no_quorum open rejected"
expect_states momentum_plan "approved completed drafting in_progress lapsed submitted withdrawn"
expect_states partnership_initiative "active approved cancelled completed declined on_hold proposed under_review"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM resolutions WHERE source = 'import' AND number IN ('24/2015', '40/1995', '39/2020')")" = 3 ] ||
  { echo "the seeded register lacks the imported resolutions 24/2015, 40/1995 and 39/2020"; exit 1; }
bodies=$(sqlite3 "$db" "SELECT display_name FROM users WHERE role = 'council'" | sed -n 's/.*(\([A-Z]*\), .*)$/\1/p')
reviewers=$(sqlite3 "$db" "SELECT COUNT(*) FROM users WHERE role = 'council'")
[ "$(sort -u <<<"$bodies" | grep -c .)" = "$reviewers" ] ||
  { echo "not every seeded Council reviewer names a member body of its own: $(echo $bodies)"; exit 1; }

# Starts the server on $port (0: ephemeral) and sets $port to the one it listens on.
start_server() {
  local log=$work/server.$RANDOM.log
  server_log=$log
  : >"$log"  # exists before the first read below, whoever runs first
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

  # A command in flight: sec.lucas revises the seeded COPANT plan (a plan the story does not
  # touch) over a raw socket; as soon as the whole request is written, the server is killed.
  password=${RSOFLOW_DEMO_PASSWORD:-demo-password-1}
  token=$(curl -sf -X POST -H 'Content-Type: application/json' \
    --data "$(jq -cn --arg p "$password" '{username: "sec.lucas", password: $p}')" \
    "$RSOFLOW_URL/api/v1/auth/login" | jq -er .token)
  echo "$token" >>"$RSOFLOW_SECRET_LOG"
  target=$(sqlite3 "$db" "SELECT id FROM instances WHERE workflow = 'momentum_plan' AND state = 'drafting' ORDER BY id LIMIT 1")
  [ -n "$target" ] || { echo "no drafting momentum plan in the seeded data"; exit 1; }
  key=e2e-inflight-$$
  body='{"event":"revise","comment":"Sent just before the server was killed.","data":{"title":"Follow-up of the conformity assessment workshop (revised)"}}'
  in_flight() {  # the command as curl sends it; used again for the retry
    curl -sS -o "$work/retry.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -H "X-Request-Id: $key-retry" \
      --data "$body" "$RSOFLOW_URL/api/v1/instances/$target/events"
  }
  audit_of_key() { sqlite3 "$db" "SELECT COUNT(*) FROM audit WHERE idempotency_key = '$key'"; }
  before=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit")
  echo "==> killing the server (pid $server_pid) with SIGKILL while plan $plan is at risk, as soon as a revise of plan $target is sent"
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'POST /api/v1/instances/%s/events HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nIdempotency-Key: %s\r\nX-Request-Id: %s\r\nConnection: close\r\n\r\n%s' \
    "$target" "$port" "$token" "${#body}" "$key" "$key" "$body" >&3
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  answer=$(timeout 10 head -c 12 <&3 2>/dev/null || true)
  exec 3<&-
  after=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit")
  committed=$(audit_of_key)
  case "$committed" in
    0) [ "$after" = "$before" ] || { echo "audit entries changed across the kill: $before -> $after, none of them the command in flight"; exit 1; } ;;
    1) [ "$after" = "$((before + 1))" ] || { echo "audit entries across the kill: $before -> $after, expected one more (the command in flight)"; exit 1; } ;;
    *) echo "the command in flight is in the audit trail $committed times"; exit 1 ;;
  esac
  if [ "$answer" = "HTTP/1.1 200" ] && [ "$committed" != 1 ]; then
    echo "the command in flight was answered 200 but is not in the audit trail"; exit 1
  fi
  echo "==> the command in flight was ${answer:+answered \"$answer\" and }$([ "$committed" = 1 ] && echo committed || echo not committed) before the kill"
  state=$(sqlite3 "$db" "SELECT state FROM instances WHERE id = $plan")
  [ "$state" = at_risk ] || { echo "plan $plan is $state after the kill, expected at_risk"; exit 1; }
  start_server "$port"
  echo "==> restarted on the same port; $after audit entries kept"

  # The retry, with the session of before the kill and the same Idempotency-Key: executed if
  # the first attempt was lost, replayed if it was committed; exactly once either way.
  status=$(in_flight) || { echo "the retry got no answer"; exit 1; }
  [ "$status" = 200 ] || { echo "the retry answered $status: $(cat "$work/retry.json")"; exit 1; }
  [ "$(audit_of_key)" = 1 ] || { echo "after the retry the command is in the audit trail $(audit_of_key) times"; exit 1; }
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM audit")" = "$((before + 1))" ] ||
    { echo "the retry wrote more than the one entry of the command"; exit 1; }
  [ "$(sqlite3 "$db" "SELECT json_extract(data, '$.title') FROM instances WHERE id = $target")" = \
    "Follow-up of the conformity assessment workshop (revised)" ] || { echo "plan $target was not revised"; exit 1; }
  echo "==> the retry with the session from before the kill: 200, the command is in the audit trail exactly once"
  rm -f "$SCENARIO3_PAUSE_FILE"
  wait "$story"
  # The story went on with the tokens it had before the kill: nobody logged in again.
  if grep -q '"/api/v1/auth/login"' "$server_log"; then
    echo "someone logged in again after the restart: the sessions did not survive it"
    grep '"/api/v1/auth/login"' "$server_log" | head -5
    exit 1
  fi
  echo "==> sessions survived the restart: no login on the restarted server"
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
