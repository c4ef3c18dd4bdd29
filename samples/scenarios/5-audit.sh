#!/usr/bin/env bash
# Story 5: the auditor exports the audit trail (JSON lines and CSV), verifies the hash chain
# on the server, and re-verifies it offline from the export.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUT=${SCENARIO5_OUT:-$SCENARIO_TMP}
mkdir -p "$OUT"

say "The auditor asks the server to verify the chain"
verify=$(api auditor GET /api/v1/audit/verify 200)
assert_eq "chain ok" true "$(jq -r .ok <<<"$verify")"
ENTRIES=$(jq -r .entries <<<"$verify")
HEAD_SEQ=$(jq -r .head.seq <<<"$verify")
HEAD_HASH=$(jq -r .head.hash <<<"$verify")
step "$ENTRIES entries, head seq $HEAD_SEQ, hash $HEAD_HASH"
assert_eq "first bad seq" null "$(jq -r .first_bad_seq <<<"$verify")"

say "The auditor exports the trail as JSON lines"
api auditor GET "/api/v1/audit/export?format=jsonl" 200 >"$OUT/audit.jsonl"
LINES=$(wc -l <"$OUT/audit.jsonl" | tr -d ' ')
step "$LINES lines written to $OUT/audit.jsonl"
((LINES >= ENTRIES)) || fail "the export has $LINES entries, fewer than the $ENTRIES verified"
jq -e . "$OUT/audit.jsonl" >/dev/null || fail "the export is not valid JSON lines"
assert_eq "sequence" "1..$LINES without gaps" \
  "$(jq -s -r 'if [.[].seq] == [range(1; length + 1)] then "1..\(length) without gaps" else "gaps" end' "$OUT/audit.jsonl")"
assert_eq "hash of entry $HEAD_SEQ" "$HEAD_HASH" \
  "$(jq -r --argjson s "$HEAD_SEQ" 'select(.seq == $s) | .hash' "$OUT/audit.jsonl")"
step "what the trail holds, by workflow:"
jq -s -r 'group_by(.workflow) | .[] | "    \(.[0].workflow): \(length)"' "$OUT/audit.jsonl" >&2
step "by role: $(jq -s -c 'group_by(.actor_role) | map({(.[0].actor_role): length}) | add' "$OUT/audit.jsonl")"

say "The auditor re-verifies the chain offline"
step "each entry: hash = SHA-256(prev_hash || canonical JSON of the other fields), prev_hash = the previous hash"
# Canonical JSON is the engine's: keys sorted, no whitespace (the export keeps that order).
prev=$(printf '0%.0s' {1..64})
n=0
while IFS=$'\t' read -r seq prev_hash hash canonical; do
  [[ "$prev_hash" == "$prev" ]] || fail "entry $seq: prev_hash does not link to entry $((seq - 1))"
  computed=$(printf '%s%s' "$prev_hash" "$canonical" | sha256sum | cut -d' ' -f1)
  [[ "$computed" == "$hash" ]] || fail "entry $seq: recomputed hash $computed differs from $hash"
  prev=$hash
  n=$((n + 1))
done < <(jq -r '"\(.seq)\t\(.prev_hash)\t\(.hash)\t\(del(.prev_hash, .hash) | tojson)"' "$OUT/audit.jsonl")
assert_eq "entries re-verified offline" "$LINES" "$n"

say "The auditor exports the trail as CSV"
api auditor GET "/api/v1/audit/export?format=csv" 200 >"$OUT/audit.csv"
assert_eq "CSV header" "seq,at,instance_id,workflow,workflow_version,event,from_state,to_state,actor_user_id,actor_username,actor_role,on_behalf_of,comment,data,request_id,idempotency_key,client_ip,salt,token_id,token_issued_by,prev_hash,hash" \
  "$(head -n 1 "$OUT/audit.csv" | tr -d '\r')"
ROWS=$(grep -c '^[0-9][0-9]*,[0-9]\{4\}-' "$OUT/audit.csv" || true)
((ROWS >= LINES)) || fail "the CSV has $ROWS rows, fewer than the $LINES JSON lines"
ok "CSV rows = $ROWS"
assert_eq "CSV last hash" "$(tail -n 1 "$OUT/audit.jsonl" | jq -r .hash)" \
  "$(grep "^$LINES," "$OUT/audit.csv" | tr -d '\r' | awk -F, '{print $NF}')"

say "The auditor reads but changes nothing"
some=$(api auditor GET "/api/v1/instances?workflow=partnership_initiative&limit=1" 200 | jq -r ".items[0].id")
assert_problem "$(fire auditor "$some" cancel 403 "The auditor tries to cancel an initiative.")" forbidden
step "and only the auditor exports:"
assert_problem "$(api sec.amina GET "/api/v1/audit/export?format=jsonl" 403)" forbidden

say "The chain still verifies"
verify=$(api auditor GET /api/v1/audit/verify 200)
assert_eq "chain ok" true "$(jq -r .ok <<<"$verify")"

say "Story 5 done: $LINES audit entries exported and verified"
