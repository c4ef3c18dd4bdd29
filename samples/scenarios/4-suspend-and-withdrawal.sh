#!/usr/bin/env bash
# Story 4: a recognized RSO is suspended and its active initiatives go on hold; it is
# reinstated; later it is suspended again, its withdrawal is proposed, and the Council rejects
# the withdrawal (the RSO stays suspended).
#
# So that the story can be replayed, it uses an RSO of its own, recognized at the start.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ACRONYM="WRSC-${SUFFIX^^}"
YEAR=$(date -u +%Y)

say "Setting the stage: $ACRONYM is registered and recognized by the Council"
RSO_ID=$(recognize_new_rso "$ACRONYM" "Western Regional Standards Council (demo $SUFFIX)" regional Americas \
  '["AR", "CL", "PE", "BO", "EC"]')
rso=$(api sec.amina GET "/api/v1/rsos/$RSO_ID" 200)
RECOGNITION=$(jq -r .recognition_instance_id <<<"$rso")
assert_eq "RSO status" recognized "$(jq -r .status <<<"$rso")"
step "recognized by resolution $(jq -r .resolution <<<"$rso") (basis $(jq -r .basis <<<"$rso"))"

say "It has two partnership initiatives: one active, one still proposed"
new_initiative() {
  api sec.amina POST /api/v1/initiatives 201 "$(jq -cn --arg r "$RSO_ID" --arg t "$1 (demo $SUFFIX)" --arg y "$2" \
    '{rso_id: $r, type: $y, title: $t}')" | jq -r .id
}
ACTIVE=$(new_initiative "Training of technical committee secretaries" training)
fire sec.amina "$ACTIVE" start_review 200 >/dev/null
fire sec.amina "$ACTIVE" approve 200 >/dev/null
fire sec.amina "$ACTIVE" start 200 >/dev/null
assert_state sec.amina "$ACTIVE" active
PROPOSED=$(new_initiative "Information sharing on regional standards catalogues" information_sharing)
assert_state sec.amina "$PROPOSED" proposed

say "The secretariat suspends $ACRONYM"
assert_problem "$(fire sec.amina "$RECOGNITION" suspend 422)" guard_failed
fire sec.amina "$RECOGNITION" suspend 200 "Membership dues and annual report outstanding for two years." >/dev/null
assert_eq "RSO status" suspended "$(api sec.amina GET "/api/v1/rsos/$RSO_ID" 200 | jq -r .status)"
step "in the same transaction, the active initiative went on hold; the proposed one did not change:"
assert_state sec.amina "$ACTIVE" on_hold
assert_state sec.amina "$PROPOSED" proposed
held=$(api sec.amina GET "/api/v1/instances/$ACTIVE/history" 200 | jq -c '.items[-1] | {event, role: .actor.role}')
assert_eq "put on hold by" '{"event":"rso_suspended","role":"system"}' "$held"
step "no new initiative while suspended, and the held one cannot resume:"
assert_problem "$(api sec.amina POST /api/v1/initiatives 422 "$(jq -cn --arg r "$RSO_ID" \
  '{rso_id: $r, type: "training", title: "Refused while suspended"}')")" guard_failed
assert_problem "$(fire sec.amina "$ACTIVE" resume 422)" guard_failed

say "The secretariat reinstates $ACRONYM and the initiative resumes"
fire sec.amina "$RECOGNITION" reinstate 200 "Dues settled and annual report received." >/dev/null
assert_state sec.amina "$RECOGNITION" recognized
fire sec.amina "$ACTIVE" resume 200 >/dev/null
assert_state sec.amina "$ACTIVE" active

say "Later: withdrawal can only be proposed for a suspended RSO"
problem=$(fire sec.amina "$RECOGNITION" propose_withdrawal 409 "No activity for three years.")
assert_problem "$problem" invalid_transition
step "allowed now: $(jq -r '.allowed_events | join(", ")' <<<"$problem")"
fire sec.amina "$RECOGNITION" suspend 200 "No activity reported for three years." >/dev/null
assert_state sec.amina "$ACTIVE" on_hold
fire sec.amina "$RECOGNITION" propose_withdrawal 200 "No activity reported for three years; propose withdrawal of recognition." >/dev/null
assert_state sec.amina "$RECOGNITION" withdrawal_review
BALLOT=$(open_ballot_about sec.amina "$RECOGNITION")
step "ballot $BALLOT: $(instance sec.amina "$BALLOT" | jq -r .data.question)"

PREVIOUS_MAX=$(resolutions_max "$YEAR")
say "The Council votes against withdrawal"
first=1
for voter in $(eligible_voters "$BALLOT"); do
  choice=reject
  if ((first)); then choice=approve; first=0; fi
  state=$(fire "$voter" "$BALLOT" vote 200 "" "{\"choice\":\"$choice\"}" | jq -r .instance.state)
  step "$voter votes $choice (ballot $state)"
done
ballot=$(instance sec.amina "$BALLOT")
assert_eq "ballot state" rejected "$(jq -r .state <<<"$ballot")"
step "tally: $(jq -c .data.tally <<<"$ballot")"
RESOLUTION=$(jq -r .data.resolution <<<"$ballot")
assert_eq "resolution" "$(printf '%02d' $((PREVIOUS_MAX + 1)))/$YEAR" "$RESOLUTION"

say "$ACRONYM stays suspended"
rso=$(api sec.amina GET "/api/v1/rsos/$RSO_ID" 200)
assert_eq "RSO status" suspended "$(jq -r .status <<<"$rso")"
history=$(api sec.amina GET "/api/v1/instances/$RECOGNITION/history" 200)
assert_eq "audit entries of the recognition" \
  "create submit start_review refer_to_council council_approved suspend reinstate suspend propose_withdrawal council_rejected" \
  "$(jq -r '[.items[].event] | join(" ")' <<<"$history")"
last=$(jq -c '.items[-1] | {event, from_state, to_state, role: .actor.role}' <<<"$history")
assert_eq "last history entry" \
  '{"event":"council_rejected","from_state":"withdrawal_review","to_state":"suspended","role":"system"}' "$last"
assert_state sec.amina "$ACTIVE" on_hold

say "Story 4 done: $ACRONYM suspended, withdrawal rejected by resolution $RESOLUTION"
