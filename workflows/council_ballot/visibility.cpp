// Ballot secrecy (DESIGN 4.2): what each viewer may read of a council_ballot, of its audit
// entries, and whether it still waits for them. Every rule of who sees what of a ballot is
// here; the engine applies them (engine/scoped_reads.h) and the API renders what they leave.
//
// The ballot (View):
//   rso_liaison  title, outcome and resolution only, and the ballot as created (version 1,
//                updated_at its created_at) until it closes: every vote advances version and
//                updated_at, which would count the votes and time them (ReadsAsCreated).
//   council      the counts (votes cast, electorate, eligible), its own vote and whether it is
//                eligible; the tally and the roll-call once the ballot has closed.
//   secretariat, auditor  the tally at any time; the roll-call once closed.
//   All but the liaison also read who may not vote: `excluded`, `exclusions` (each member
//   excluded when the ballot opened, with the reason) and `exclude_affiliated`, and `recused`.
//
// Its audit entries (ReadAuditEntry), in GET /instances/{id}/history and GET /audit; the
// auditor's export is never redacted (it is what the hash chain is verified from):
//   auditor      every entry in full.
//   secretariat  while the ballot is open, another member's vote reads as "a vote was cast":
//   council      data {} and comment null, redacted (a Council member reads its own vote in
//                full, and does not see who cast the others: actor user_id, username, token_id and
//                token_issued_by null,
//                request_id null). Once the ballot has closed (the roll-call is public to
//                them), every entry in full. An open ballot imported with its votes reads
//                without them.
//   rso_liaison  only the entries that put the ballot in a closed state (close, cancel, or an
//                import of a closed ballot), with data {"outcome","resolution"} and comment and
//                request_id null, redacted; nothing while it is open.
//
// The inbox (DoneFor): a Council member's ballot is done once it voted or recused, or if it
// cannot vote (excluded, or outside the electorate).
#include <algorithm>

#include "engine/string_list.h"
#include "workflows/council_ballot/rules.h"
#include "workflows/council_ballot/workflow.h"

namespace rsoflow::council_ballot {
namespace {

bool Lists(const Json& data, const char* key, const std::string& user_id) {
  const Json* list = data.Get(key);
  if (list == nullptr || !list->is_array()) return false;
  return std::any_of(list->AsArray().begin(), list->AsArray().end(),
                     [&](const Json& v) { return v.is_string() && v.AsString() == user_id; });
}

}  // namespace

Json CouncilBallotWorkflow::View(const Instance& inst, const Actor& viewer) const {
  const Json& d = inst.data;
  const Ballot b = ParseBallot(d);
  const bool closed = inst.state != "open";
  Json v = Json::MakeObject();
  for (const char* key : {"title", "outcome", "resolution"}) {
    if (const Json* f = d.Get(key)) v.Set(key, *f);
  }
  if (viewer.role == "rso_liaison") return v;  // outcome and resolution only (DESIGN 4.2)
  for (const char* key : {"subject_instance_id", "basis", "documents"}) {
    if (const Json* f = d.Get(key)) v.Set(key, *f);
  }

  for (const char* key : {"question", "deadline", "threshold", "quorum", "opened_at", "closed_at",
                          "cancelled_at", "imported", "opened_on", "closed_on"}) {
    if (const Json* f = d.Get(key)) v.Set(key, *f);
  }
  const auto eligible = Eligible(b);
  const Tally tally = Count(b);
  v.Set("electorate_size", static_cast<int64_t>(b.electorate.size()));
  v.Set("eligible_size", static_cast<int64_t>(eligible.size()));
  v.Set("excluded", StringArray(b.excluded));
  for (const char* key : {"exclusions", "exclude_affiliated"}) {
    if (const Json* f = d.Get(key)) v.Set(key, *f);
  }
  v.Set("recused", StringArray(b.recused));
  v.Set("votes_cast", static_cast<int64_t>(tally.cast()));
  if (viewer.role == "council") {
    auto mine = b.votes.find(viewer.user_id);
    v.Set("my_vote", mine == b.votes.end() ? Json() : Json(mine->second));
    v.Set("eligible", Contains(eligible, viewer.user_id));
  }
  const bool sees_tally =
      closed || viewer.role == "secretariat" || viewer.role == "auditor" || viewer.role == "system";
  // A ballot imported from before rsoflow (workflows/history) has its recorded tally, not
  // its votes.
  const Json* imported_tally = d.Get("imported_tally");
  if (sees_tally && imported_tally != nullptr && imported_tally->is_object()) {
    v.Set("tally", *imported_tally);
    if (const Json* n = d.Get("imported_electorate_size")) v.Set("electorate_size", *n);
    v.Set("votes_cast", imported_tally->GetInt("approve") + imported_tally->GetInt("reject") +
                            imported_tally->GetInt("abstain"));
  } else if (sees_tally) {
    Json t = Json::MakeObject();
    t.Set("approve", tally.approve);
    t.Set("reject", tally.reject);
    t.Set("abstain", tally.abstain);
    v.Set("tally", std::move(t));
  }
  if (closed || viewer.role == "system") {
    Json roll = Json::MakeArray();
    if (const Json* votes = d.Get("votes"); votes != nullptr && votes->is_object()) {
      for (const auto& [user, vote] : votes->AsObject()) {
        Json r = Json::MakeObject();
        r.Set("user_id", user);
        r.Set("choice", vote.GetString("choice"));
        r.Set("at", vote.GetString("at"));
        roll.Push(std::move(r));
      }
    }
    v.Set("roll_call", std::move(roll));
  }
  return v;
}

bool CouncilBallotWorkflow::ReadsAsCreated(const Instance& inst, const Actor& viewer) const {
  return viewer.role == role::kLiaison && inst.state == "open";
}

bool CouncilBallotWorkflow::DoneFor(const Instance& inst, const Actor& viewer) const {
  if (viewer.role != role::kCouncil) return false;
  const Json* votes = inst.data.Get("votes");
  const bool voted = votes != nullptr && votes->Has(viewer.user_id);
  return voted || Lists(inst.data, "recused", viewer.user_id) ||
         Lists(inst.data, "excluded", viewer.user_id) ||
         !Lists(inst.data, "electorate", viewer.user_id);
}

std::optional<AuditEntryView> CouncilBallotWorkflow::ReadAuditEntry(AuditEntry e,
                                                                    const Instance* ballot,
                                                                    const Actor& viewer) const {
  AuditEntryView v{std::move(e)};
  AuditEntry& entry = v.entry;
  if (viewer.role == role::kAuditor || ballot == nullptr) return v;
  if (viewer.role == role::kLiaison) {
    if (entry.to_state == "open") return std::nullopt;
    Json data = Json::MakeObject();
    for (const char* key : {"outcome", "resolution"}) {
      const Json* value = ballot->data.Get(key);
      data.Set(key, value != nullptr ? *value : Json());
    }
    entry.data = std::move(data);
    entry.comment.clear();
    entry.request_id.clear();
    v.redacted = true;
    return v;
  }
  if (ballot->state != "open") return v;
  // A vote cast under a mandate is the delegator's (on_behalf_of) and the delegate's to read.
  if (entry.event == "vote" && entry.actor_user_id != viewer.user_id &&
      entry.on_behalf_of != viewer.user_id) {
    entry.data = Json::MakeObject();
    entry.comment.clear();
    v.redacted = true;
    // A Council member sees how many have voted, not who (DESIGN 4.2); the secretariat, which
    // sees the tally, also sees who has voted.
    if (viewer.role == role::kCouncil) {
      v.actor_hidden = true;
      entry.request_id.clear();
    }
  } else if (const Json* imported = entry.data.Get("imported_data");
             imported != nullptr && imported->Has("votes")) {
    // An open ballot imported with its votes: the votes are as secret as cast ones.
    Json stripped = *imported;
    stripped.Erase("votes");
    entry.data.Set("imported_data", std::move(stripped));
    v.redacted = true;
  }
  return v;
}

}  // namespace rsoflow::council_ballot
