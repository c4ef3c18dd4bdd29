#!/usr/bin/env bash
# Story 2: an RSO liaison proposes a standards_adoption initiative listing ISO standards with
# their ISO/IEC Guide 21 degree and method; the secretariat reviews and approves it; the
# liaison starts it, reports progress and completes it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIAISON=${SCENARIO2_LIAISON:-liaison.arso}
TITLE="Regional adoption of food safety and quality standards (demo $SUFFIX)"

say "The liaison ($LIAISON) looks up its RSO"
rso=$(api "$LIAISON" GET /api/v1/rsos 200 | jq -c '.items[0]')
RSO_ID=$(jq -r .id <<<"$rso")
ACRONYM=$(jq -r .acronym <<<"$rso")
step "$ACRONYM (id $RSO_ID): $(jq -r .name <<<"$rso")"
assert_eq "$ACRONYM status" recognized "$(jq -r .status <<<"$rso")"

say "A Guide 21 entry that breaks the rules is refused (endorsement publishes the standard unchanged, so it must be IDT)"
bad=$(jq -cn --arg r "$RSO_ID" --arg t "$TITLE" '{rso_id: $r, type: "standards_adoption", title: $t,
  standards: [{reference: "ISO 22000:2018", degree: "MOD", method: "endorsement"}]}')
problem=$(api "$LIAISON" POST /api/v1/initiatives 400 "$bad")
assert_problem "$problem" invalid_request

say "The liaison proposes the initiative with four Guide 21 entries"
body=$(jq -cn --arg r "$RSO_ID" --arg t "$TITLE" --arg s "$(day_offset 7)" --arg e "$(day_offset 180)" '{
  rso_id: $r, type: "standards_adoption", title: $t,
  description: "Adopt ISO food safety and quality standards as regional standards under ISO/IEC Guide 21.",
  objectives: ["Four standards adopted regionally", "National adoption guidance for member bodies"],
  start_date: $s, end_date: $e,
  standards: [
    {reference: "ISO 9001:2015",  degree: "IDT", method: "endorsement"},
    {reference: "ISO 22000:2018", degree: "IDT", method: "reprint"},
    {reference: "ISO 22005:2007", degree: "MOD", method: "translation"},
    {reference: "ISO 10002:2018", degree: "NEQ", method: "redrafting"}]}')
initiative=$(api "$LIAISON" POST /api/v1/initiatives 201 "$body")
ID=$(jq -r .id <<<"$initiative")
assert_eq "initiative state" proposed "$(jq -r .state <<<"$initiative")"
jq -r '.data.standards[] | "    \(.reference): \(.degree) by \(.method)"' <<<"$initiative" >&2
step "the liaison may now: $(jq -r '.allowed_events | join(", ")' <<<"$initiative")"

say "The secretariat reviews it"
fire sec.amina "$ID" start_review 200 >/dev/null
assert_state sec.amina "$ID" under_review
step "the liaison cannot approve its own initiative:"
assert_problem "$(fire "$LIAISON" "$ID" approve 403)" forbidden
fire sec.amina "$ID" approve 200 "Consistent with the RSO's mandate; adoption methods checked against Guide 21." >/dev/null
assert_state sec.amina "$ID" approved

say "The liaison starts it and reports progress"
fire "$LIAISON" "$ID" start 200 >/dev/null
assert_state "$LIAISON" "$ID" active
step "a report without a note is refused:"
assert_problem "$(fire "$LIAISON" "$ID" report_progress 422 "" '{"percent_complete": 50}')" guard_failed
progress=$(fire "$LIAISON" "$ID" report_progress 200 "" \
  '{"note": "ISO 9001 endorsed; ISO 22005 translation out for regional enquiry.", "percent_complete": 50}')
assert_eq "percent complete" 50 "$(jq -r .instance.data.percent_complete <<<"$progress")"
fire "$LIAISON" "$ID" report_progress 200 "" \
  '{"note": "All four adopted by the RSO council; national adoption under way.", "percent_complete": 100}' >/dev/null

say "The liaison completes it"
assert_problem "$(fire "$LIAISON" "$ID" complete 422)" guard_failed
done_=$(fire "$LIAISON" "$ID" complete 200 "" \
  '{"outcome_summary": "Four ISO standards adopted as regional standards (two IDT, one MOD, one NEQ)."}')
assert_eq "initiative state" completed "$(jq -r .instance.state <<<"$done_")"
assert_eq "terminal" true "$(jq -r .instance.terminal <<<"$done_")"

history=$(api sec.amina GET "/api/v1/instances/$ID/history" 200)
step "history: $(jq -r '[.items[] | "\(.event) by \(.actor.username)"] | join(", ")' <<<"$history")"
assert_eq "history entries" 7 "$(jq '.items | length' <<<"$history")"

say "Story 2 done: initiative $ID of $ACRONYM completed"
