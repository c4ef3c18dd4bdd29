# Helpers shared by the scenario scripts. Source it; do not run it.
#
#   RSOFLOW_URL            base URL of a running server (default http://127.0.0.1:8080)
#   RSOFLOW_DEMO_PASSWORD  password of the demo users (default demo-password-1)
#   RSOFLOW_REQUEST_LOG    when set, every request carries an X-Request-Id of its own, and the
#                          id is appended to this file (tests/e2e checks that the server logged
#                          each one exactly once)
#   RSOFLOW_SECRET_LOG     when set, every session token obtained is appended to this file
#                          (tests/e2e checks that the server never logged one)
#
# Every helper that talks to the server checks the HTTP status it was told to expect and stops
# the script (exit 1) with the response when it differs. Bodies go to stdout, so
#   body=$(api sec.amina GET /api/v1/rsos 200)
# captures the JSON; narration and failures go to stderr.

set -euo pipefail

RSOFLOW_URL=${RSOFLOW_URL:-http://127.0.0.1:8080}
RSOFLOW_URL=${RSOFLOW_URL%/}
RSOFLOW_DEMO_PASSWORD=${RSOFLOW_DEMO_PASSWORD:-demo-password-1}

for tool in curl jq sha256sum; do
  command -v "$tool" >/dev/null || { echo "scenario: $tool is required" >&2; exit 2; }
done

# Tokens are cached in files so that helpers called inside $(...) share them.
SCENARIO_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rsoflow-scenario.XXXXXX")
trap 'rm -rf "$SCENARIO_TMP"' EXIT
mkdir -p "$SCENARIO_TMP/tokens"

# A suffix that makes acronyms, titles and usernames unique per run (lower-case hex).
SUFFIX=${SCENARIO_SUFFIX:-$(printf '%x%04x' "$(date +%s)" "$RANDOM")}

# ---- narration --------------------------------------------------------------------------

# Text the reader follows: the story, step by step.
say()  { printf '\n== %s\n' "$*" >&2; }
step() { printf '  - %s\n' "$*" >&2; }
ok()   { printf '    ok: %s\n' "$*" >&2; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

# ---- dates ------------------------------------------------------------------------------

# day_offset N -> the UTC date N days from today (N may be negative), YYYY-MM-DD.
day_offset() { date -u -d "$1 days" +%F; }
# time_offset N -> the UTC time N days from now, RFC 3339.
time_offset() { date -u -d "$1 days" +%Y-%m-%dT%H:%M:%S.000Z; }

# ---- HTTP -------------------------------------------------------------------------------

# request_id_args: curl arguments for the next request's X-Request-Id (none unless
# RSOFLOW_REQUEST_LOG is set).
request_id_args() {
  [[ -n "${RSOFLOW_REQUEST_LOG:-}" ]] || return 0
  local id
  id=scn-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
  echo "$id" >>"$RSOFLOW_REQUEST_LOG"
  printf '%s\n' -H "X-Request-Id: $id"
}

# login USER: logs USER in (once per script) and caches the session token.
login() {
  local user=$1 body status
  [[ -s "$SCENARIO_TMP/tokens/$user" ]] && return 0
  body=$(jq -n --arg u "$user" --arg p "$RSOFLOW_DEMO_PASSWORD" '{username: $u, password: $p}')
  local rid=()
  mapfile -t rid < <(request_id_args)
  status=$(curl -sS -o "$SCENARIO_TMP/login.json" -w '%{http_code}' -X POST "${rid[@]}" \
    -H 'Content-Type: application/json' --data "$body" "$RSOFLOW_URL/api/v1/auth/login") ||
    fail "cannot reach $RSOFLOW_URL (is 'rsoflow serve' running?)"
  [[ "$status" == 200 ]] || fail "login as $user: HTTP $status $(cat "$SCENARIO_TMP/login.json")"
  jq -er .token "$SCENARIO_TMP/login.json" >"$SCENARIO_TMP/tokens/$user" ||
    fail "login as $user: no token in the response"
  if [[ -n "${RSOFLOW_SECRET_LOG:-}" ]]; then cat "$SCENARIO_TMP/tokens/$user" >>"$RSOFLOW_SECRET_LOG"; fi
}

# api USER METHOD PATH EXPECTED_STATUS [JSON_BODY]: one request as USER; prints the body.
# EXPECTED_STATUS may list alternatives: "200|201".
api() {
  local user=$1 method=$2 path=$3 expected=$4 body=${5-} out status
  login "$user"
  out="$SCENARIO_TMP/response.$BASHPID"
  local args=(-sS -o "$out" -w '%{http_code}' -X "$method"
              -H "Authorization: Bearer $(cat "$SCENARIO_TMP/tokens/$user")")
  local rid=()
  mapfile -t rid < <(request_id_args)
  args+=("${rid[@]}")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  status=$(curl "${args[@]}" "$RSOFLOW_URL$path") || fail "$method $path: no answer from the server"
  if [[ "|$expected|" != *"|$status|"* ]]; then
    printf '\n%s %s as %s\n  expected HTTP %s, got %s\n' "$method" "$path" "$user" "$expected" "$status" >&2
    [[ -n "$body" ]] && printf '  request:  %s\n' "$body" >&2
    printf '  response: %s\n' "$(head -c 2000 "$out")" >&2
    fail "unexpected HTTP status"
  fi
  cat "$out"
  rm -f "$out"
}

# fire USER INSTANCE EVENT EXPECTED_STATUS [COMMENT] [DATA_JSON]: POST an event.
fire() {
  local user=$1 id=$2 event=$3 expected=$4 comment=${5-} data=${6-}
  local body
  body=$(jq -cn --arg e "$event" --arg c "$comment" --argjson d "${data:-null}" \
    '{event: $e} + (if $c != "" then {comment: $c} else {} end) + (if $d != null then {data: $d} else {} end)')
  api "$user" POST "/api/v1/instances/$id/events" "$expected" "$body"
}

# instance USER ID: GET /api/v1/instances/ID as USER.
instance() { api "$1" GET "/api/v1/instances/$2" 200; }

# state_of USER ID: the instance's current state.
state_of() { instance "$1" "$2" | jq -r .state; }

# wait_for_state USER ID STATE SECONDS: polls until the instance is in STATE.
wait_for_state() {
  local user=$1 id=$2 want=$3 limit=$4 state waited=0
  while :; do
    state=$(state_of "$user" "$id")
    [[ "$state" == "$want" ]] && return 0
    ((waited >= limit * 10)) && fail "instance $id is still '$state' after ${limit}s, expected '$want'"
    sleep 0.1
    waited=$((waited + 1))
  done
}

# ---- assertions -------------------------------------------------------------------------

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
  [[ "$2" == "$3" ]] || fail "$1: expected '$2', got '$3'"
  ok "$1 = $3"
}

# assert_match WHAT REGEX ACTUAL
assert_match() {
  [[ "$3" =~ $2 ]] || fail "$1: '$3' does not match /$2/"
  ok "$1 = $3"
}

# assert_state USER ID STATE: the instance is in STATE now.
assert_state() { assert_eq "state of instance $2" "$3" "$(state_of "$1" "$2")"; }

# assert_problem JSON CODE: a problem document with this code.
assert_problem() {
  local code
  code=$(jq -r .code <<<"$1")
  [[ "$code" == "$2" ]] || fail "expected problem code '$2', got: $1"
  ok "refused with $2: $(jq -r '.detail // .title' <<<"$1")"
}

# ---- domain helpers ---------------------------------------------------------------------

# rso_id_of USER ACRONYM: the id of a registered RSO (as seen by USER).
rso_id_of() {
  api "$1" GET "/api/v1/rsos?limit=200" 200 |
    jq -er --arg a "$2" '.items[] | select(.acronym == $a) | .id' ||
    fail "no RSO $2 visible to $1"
}

# open_ballot_about USER RECOGNITION_ID: the open council_ballot whose subject is the instance.
open_ballot_about() {
  api "$1" GET "/api/v1/instances?workflow=council_ballot&state=open&limit=200" 200 |
    jq -er --arg s "$2" '[.items[] | select(.subject_instance_id == $s or .data.subject_instance_id == $s)][0].id // empty' ||
    fail "no open ballot about instance $2"
}

# all_users USER: every user account as USER sees it, one JSON object per line (follows the
# list's keyset pages).
all_users() {
  local user=$1 cursor="" page
  while :; do
    page=$(api "$user" GET "/api/v1/users?limit=200${cursor:+&cursor=$cursor}" 200)
    jq -c '.items[]' <<<"$page"
    cursor=$(jq -r '.next_cursor // empty' <<<"$page")
    [[ -z "$cursor" ]] && break
  done
}

# eligible_voters BALLOT: usernames of the Council reviewers who may vote on BALLOT (active
# Council reviewers not excluded; the five demo reviewers first). Checks the count against
# the ballot's eligible_size.
eligible_voters() {
  local ballot=$1 users excluded voters size
  users=$(all_users sec.amina | jq -s '{items: .}')
  excluded=$(instance sec.amina "$ballot" | jq -c '.data.excluded + .data.recused')
  voters=$(jq -r --argjson x "$excluded" '
      [.items[] | select(.role == "council" and (.disabled | not) and ((.id as $i | $x | index($i)) | not))]
      | sort_by((.username | test("^council\\.(kebs|din|abnt|sac|sabs)$") | not), .id | tonumber? // 0)
      | .[].username' <<<"$users")
  size=$(instance sec.amina "$ballot" | jq -r '.data.eligible_size // empty')
  if [[ -n "$size" && "$size" != "$(grep -c . <<<"$voters")" ]]; then
    fail "ballot $ballot has $size eligible reviewers but the user list gives: $(echo $voters)"
  fi
  echo "$voters"
}

# resolutions_max YEAR: the highest number NN of YEAR in the register of resolutions (ballots,
# decisions taken in session, imported ones; 0 if none).
resolutions_max() {
  local year=$1 cursor="" page max=0 n
  while :; do
    page=$(api sec.amina GET "/api/v1/resolutions?year=$year&limit=200${cursor:+&cursor=$cursor}" 200)
    n=$(jq -r '[.items[].number | split("/")[0] | tonumber] | max // 0' <<<"$page")
    ((n > max)) && max=$n
    cursor=$(jq -r '.next_cursor // empty' <<<"$page")
    [[ -z "$cursor" ]] && break
  done
  echo "$max"
}

# recognize_new_rso ACRONYM NAME KIND REGION MEMBER_BODIES_JSON: registers an RSO and takes it
# through to recognition (every eligible reviewer approves). Prints the RSO's id.
recognize_new_rso() {
  local acronym=$1 name=$2 kind=$3 region=$4 bodies=$5 rso recognition ballot voter
  rso=$(api sec.amina POST /api/v1/rsos 201 "$(jq -cn --arg a "$acronym" --arg n "$name" \
        --arg k "$kind" --arg r "$region" --argjson m "$bodies" \
        '{acronym: $a, name: $n, kind: $k, region: $r, member_bodies: $m,
          statutes_ref: "Statutes adopted by the founding members (demo)"}')")
  recognition=$(jq -r .recognition_instance_id <<<"$rso")
  fire sec.amina "$recognition" submit 200 >/dev/null
  fire sec.amina "$recognition" start_review 200 >/dev/null
  fire sec.amina "$recognition" refer_to_council 200 "Dossier complete." >/dev/null
  ballot=$(open_ballot_about sec.amina "$recognition")
  for voter in $(eligible_voters "$ballot"); do
    fire "$voter" "$ballot" vote 200 "" '{"choice":"approve"}' >/dev/null
  done
  [[ "$(state_of sec.amina "$recognition")" == recognized ]] ||
    fail "$acronym was not recognized (recognition $recognition is $(state_of sec.amina "$recognition"))"
  jq -r .id <<<"$rso"
}
