#include "api/ballot_secrecy.h"

#include "api/views.h"
#include "engine/engine.h"

namespace rsoflow::api {

std::optional<Json> BallotAuditEntryFor(const AuditEntry& e, const Instance& ballot,
                                        const Actor& viewer) {
  Json j = AuditEntryJson(e);
  if (viewer.role == role::kAuditor) return j;
  const bool open = ballot.state == "open";
  if (viewer.role == role::kLiaison) {
    if (e.to_state == "open") return std::nullopt;
    Json data = Json::MakeObject();
    for (const char* key : {"outcome", "resolution"}) {
      const Json* v = ballot.data.Get(key);
      data.Set(key, v != nullptr ? *v : Json());
    }
    j.Set("data", std::move(data));
    j.Set("comment", Json());
    j.Set("request_id", Json());
    j.Set("redacted", true);
    return j;
  }
  if (!open) return j;
  if (e.event == "vote" && e.actor_user_id != viewer.user_id) {
    j.Set("data", Json::MakeObject());
    j.Set("comment", Json());
    j.Set("redacted", true);
    // A Council member sees how many have voted, not who (DESIGN 4.2); the secretariat, which
    // sees the tally, also sees who has voted.
    if (viewer.role == role::kCouncil) {
      Json actor = Json::MakeObject();
      actor.Set("user_id", Json());
      actor.Set("username", Json());
      actor.Set("role", e.actor_role);
      // A session's issuer is its user: the voter, as its token id would point to it.
      actor.Set("token_id", Json());
      actor.Set("token_issued_by", Json());
      j.Set("actor", std::move(actor));
      j.Set("request_id", Json());
    }
  } else if (const Json* imported = e.data.Get("imported_data");
             imported != nullptr && imported->Has("votes")) {
    // An open ballot imported with its votes: the votes are as secret as cast ones.
    Json data = e.data;
    Json stripped = *imported;
    stripped.Erase("votes");
    data.Set("imported_data", std::move(stripped));
    j.Set("data", std::move(data));
    j.Set("redacted", true);
  }
  return j;
}

std::optional<Json> AuditView::Render(const AuditEntry& e, const Instance* ballot) {
  std::optional<Json> j = ballot != nullptr ? BallotAuditEntryFor(e, *ballot, viewer_)
                                            : std::optional<Json>(AuditEntryJson(e));
  if (viewer_.role == role::kAuditor) return j;  // everything, salt included
  const int64_t before = last_full_seq_;
  last_full_seq_ = -1;
  if (!j) return j;
  j->Erase("salt");
  if (j->GetBool("redacted")) {
    // Nothing derived from what is hidden: a hash is a function of the hidden content.
    j->Set("hash", Json());
    j->Set("prev_hash", Json());
    return j;
  }
  // prev_hash is the hash of entry seq - 1, which may be one this viewer reads redacted (or
  // not at all): shown only when that entry was just shown in full, so it says nothing new.
  if (e.seq != 1 && before != e.seq - 1) j->Set("prev_hash", Json());
  last_full_seq_ = e.seq;
  return j;
}

}  // namespace rsoflow::api
