#!/usr/bin/env bash
# Story 3: an ISO regional workshop has ended; the RSO liaison drafts a momentum plan, the
# secretariat sends it back once, then approves it; the liaison starts it; an action is
# overdue and the plan turns at risk; a progress report recovers it; it completes.
#
# Over HTTP the clock is real, so the workshop is created with past dates (it ended 10 days
# ago) and one action is due 2 days ago: when the plan starts, that action's timer is already
# due and the engine flags the plan at risk within a moment.
#
# SCENARIO3_PAUSE_FILE: if set, once the plan is at risk the script writes the plan's id into
# that file and waits until the file is deleted (the end-to-end test kills and restarts the
# server there), then goes on with the session tokens it had: a restart keeps the sessions.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIAISON=${SCENARIO3_LIAISON:-liaison.arso}
ENDED=$(day_offset -10)

say "The liaison ($LIAISON) looks up its RSO"
rso=$(api "$LIAISON" GET /api/v1/rsos 200 | jq -c '.items[0]')
RSO_ID=$(jq -r .id <<<"$rso")
ACRONYM=$(jq -r .acronym <<<"$rso")
REGION=$(jq -r .region <<<"$rso")
assert_eq "$ACRONYM status" recognized "$(jq -r .status <<<"$rso")"

say "The secretariat records an ISO regional workshop with $ACRONYM that ended on $ENDED"
event=$(api sec.amina POST /api/v1/iso-events 201 "$(jq -cn --arg t "ISO/$ACRONYM regional workshop on quality infrastructure (demo $SUFFIX)" \
  --arg r "$REGION" --arg rso "$RSO_ID" --arg s "$(day_offset -12)" --arg e "$ENDED" \
  '{title: $t, type: "regional_workshop", region: $r, rso_ids: [$rso], starts_on: $s, ends_on: $e, location: "Accra, Ghana"}')")
EVENT_ID=$(jq -r .id <<<"$event")
step "ISO event $EVENT_ID: $(jq -r .title <<<"$event")"
assert_eq "the liaison sees the event" "$EVENT_ID" "$(api "$LIAISON" GET "/api/v1/iso-events/$EVENT_ID" 200 | jq -r .id)"

say "The liaison drafts a momentum plan with two actions"
plan=$(api "$LIAISON" POST /api/v1/momentum-plans 201 "$(jq -cn --arg r "$RSO_ID" --arg e "$EVENT_ID" \
  --arg t "Momentum after the quality infrastructure workshop (demo $SUFFIX)" \
  --arg d1 "$(day_offset -2)" --arg d2 "$(day_offset 20)" '{
  rso_id: $r, iso_event_id: $e, title: $t,
  actions: [
    {title: "Circulate the workshop report to all member bodies", owner: "RSO secretariat", due_on: $d1},
    {title: "Run national follow-up webinars", owner: "National standards bodies", due_on: $d2}]}')")
PLAN=$(jq -r .id <<<"$plan")
assert_eq "plan state" drafting "$(jq -r .state <<<"$plan")"
jq -r '.data.actions[] | "    \(.id) \(.title) (\(.owner), due \(.due_on))"' <<<"$plan" >&2
fire "$LIAISON" "$PLAN" submit 200 >/dev/null
assert_state "$LIAISON" "$PLAN" submitted

say "The secretariat sends it back once"
fire sec.amina "$PLAN" request_changes 200 "Add an action to report the national adoptions back to the RSO." >/dev/null
assert_state "$LIAISON" "$PLAN" drafting
revised=$(fire "$LIAISON" "$PLAN" revise 200 "" "$(jq -cn --arg d3 "$(day_offset 30)" '{actions: [
  {id: "A1"}, {id: "A2"},
  {title: "Report national adoptions to the RSO", owner: "National standards bodies", due_on: $d3}]}')")
assert_eq "actions after revision" "A1 A2 A3" "$(jq -r '[.instance.data.actions[].id] | join(" ")' <<<"$revised")"
fire "$LIAISON" "$PLAN" submit 200 "Action A3 added." >/dev/null

say "The secretariat approves it and the liaison starts it"
fire sec.amina "$PLAN" approve 200 >/dev/null
assert_state "$LIAISON" "$PLAN" approved
fire "$LIAISON" "$PLAN" start 200 >/dev/null
step "action A1 was due on $(day_offset -2): its timer fires at once"

say "The plan turns at risk"
wait_for_state "$LIAISON" "$PLAN" at_risk 5
plan=$(instance "$LIAISON" "$PLAN")
assert_eq "overdue actions" '["A1"]' "$(jq -c .data.overdue_actions <<<"$plan")"
history=$(api "$LIAISON" GET "/api/v1/instances/$PLAN/history" 200)
assert_eq "flagged by" system "$(jq -r '[.items[] | select(.event == "flag_at_risk")][0].actor.role' <<<"$history")"
in_inbox=$(api "$LIAISON" GET /api/v1/inbox 200 | jq -c --arg p "$PLAN" '[.items[] | select(.instance_id == $p) | .state]')
assert_eq "in the liaison's inbox" '["at_risk"]' "$in_inbox"

if [[ -n "${SCENARIO3_PAUSE_FILE:-}" ]]; then
  say "Pausing: plan $PLAN is at risk; waiting for $SCENARIO3_PAUSE_FILE to be deleted"
  echo "$PLAN" >"$SCENARIO3_PAUSE_FILE"
  while [[ -e "$SCENARIO3_PAUSE_FILE" ]]; do sleep 0.1; done
  step "resuming with the session tokens from before the pause (sessions are stored in the database)"
  assert_eq "the liaison's session" "$LIAISON" "$(api "$LIAISON" GET /api/v1/me 200 | jq -r .username)"
  assert_eq "the secretariat's session" sec.amina "$(api sec.amina GET /api/v1/me 200 | jq -r .username)"
  assert_state "$LIAISON" "$PLAN" at_risk
fi

say "The liaison reports progress: the report is out, so nothing is overdue any more"
fire "$LIAISON" "$PLAN" report_progress 200 "" '{"action_id": "A1", "status": "done", "note": "Report sent to all member bodies."}' >/dev/null
wait_for_state "$LIAISON" "$PLAN" in_progress 5
history=$(api "$LIAISON" GET "/api/v1/instances/$PLAN/history" 200)
assert_eq "recovered by" system "$(jq -r '[.items[] | select(.event == "recover")][0].actor.role' <<<"$history")"
step "completing with open actions is refused:"
assert_problem "$(fire "$LIAISON" "$PLAN" complete 422)" guard_failed

say "The remaining actions are done and the plan completes"
fire "$LIAISON" "$PLAN" report_progress 200 "" '{"action_id": "A2", "status": "done", "note": "Webinars held in six countries."}' >/dev/null
fire "$LIAISON" "$PLAN" report_progress 200 "" '{"action_id": "A3", "status": "done", "note": "All member bodies reported."}' >/dev/null
done_=$(fire "$LIAISON" "$PLAN" complete 200 "All actions done.")
assert_eq "plan state" completed "$(jq -r .instance.state <<<"$done_")"
history=$(api "$LIAISON" GET "/api/v1/instances/$PLAN/history" 200)
step "history: $(jq -r '[.items[] | "\(.event) by \(.actor.username)"] | join(", ")' <<<"$history")"
assert_eq "audit entries of the plan" \
  "create submit request_changes revise submit approve start flag_at_risk report_progress recover report_progress report_progress complete" \
  "$(jq -r '[.items[].event] | join(" ")' <<<"$history")"
assert_eq "states passed" "drafting submitted drafting submitted approved in_progress at_risk in_progress completed" \
  "$(jq -r '[.items[] | select(.from_state != .to_state) | .to_state] | join(" ")' <<<"$history")"

say "Story 3 done: momentum plan $PLAN completed after being at risk"
