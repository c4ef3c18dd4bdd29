#include "workflows/council_ballot/workflow.h"

#include <algorithm>

#include "engine/clock.h"
#include "workflows/council_ballot/events.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow::council_ballot {
namespace {

Json StringArray(const std::vector<std::string>& v) {
  Json a = Json::MakeArray();
  for (const auto& s : v) a.Push(s);
  return a;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Payload shape per event; values are checked by guards.
EventPayloads Payloads() {
  return {{events::Vote::name,
           PayloadFields({Field::Text("choice", 0, SIZE_MAX)
                              .OneOf({"approve", "reject", "abstain"})
                              .Required()
                              .Says("choice must be approve, reject or abstain")})},
          {events::Extend::name, PayloadFields({Field::Time("deadline").Required().Says(
                                     "deadline must be an RFC 3339 time")})}};
}

}  // namespace

CouncilBallotWorkflow::CouncilBallotWorkflow(Floors floors)
    : MachineWorkflow(Machine(), Payloads()), floors_(floors) {}

Result<CreateOutcome> CouncilBallotWorkflow::Create(const CreateRequest& req) const {
  auto data = ValidateCreate(req.data, req.now, floors_);
  if (!data.ok()) return data.status();
  auto council = req.env.ActiveUsersWithRole("council");
  if (!council.ok()) return council.status();
  if (council->empty())
    return Status::GuardFailed(
        {Reason{"no_council_reviewers", "there are no active Council reviewers"}});

  std::vector<std::string> electorate, excluded;
  for (const UserRef& u : *council) {
    electorate.push_back(u.user_id);
    if (!req.rso_id.empty() && Contains(u.affiliated_rso_ids, req.rso_id)) {
      excluded.push_back(u.user_id);
    }
  }
  if (excluded.size() == electorate.size()) {
    return Status::GuardFailed({Reason{
        "every_reviewer_conflicted", "every active Council reviewer has a conflict of interest"}});
  }
  CreateOutcome out;
  out.title = data->GetString("title");
  out.data = std::move(data).value();
  out.data.Set("subject_instance_id",
               req.subject_id ? Json(std::to_string(req.subject_id)) : Json());
  out.data.Set("electorate", StringArray(electorate));
  out.data.Set("excluded", StringArray(excluded));
  out.data.Set("recused", Json::MakeArray());
  out.data.Set("votes", Json::MakeObject());
  out.data.Set("outcome", Json());
  out.data.Set("resolution", Json());
  out.data.Set("opened_at", FormatTime(req.now));
  out.effects.set_timers.push_back(
      TimerSpec{"deadline", ParseTime(out.data.GetString("deadline")).value_or(req.now), "close"});
  return out;
}

Json CouncilBallotWorkflow::View(const Instance& inst, const Actor& viewer) const {
  const Json& d = inst.data;
  const Ballot b = ParseBallot(d);
  const bool closed = inst.state != "open";
  Json v = Json::MakeObject();
  for (const char* key : {"title", "outcome", "resolution"}) {
    if (const Json* f = d.Get(key)) v.Set(key, *f);
  }
  if (viewer.role == "rso_liaison") return v;  // outcome and resolution only (DESIGN 4.2)
  for (const char* key : {"subject_instance_id", "basis"}) {
    if (const Json* f = d.Get(key)) v.Set(key, *f);
  }

  for (const char* key :
       {"question", "deadline", "threshold", "quorum", "opened_at", "closed_at", "cancelled_at"}) {
    if (const Json* f = d.Get(key)) v.Set(key, *f);
  }
  const auto eligible = Eligible(b);
  const Tally tally = Count(b);
  v.Set("electorate_size", static_cast<int64_t>(b.electorate.size()));
  v.Set("eligible_size", static_cast<int64_t>(eligible.size()));
  v.Set("excluded", StringArray(b.excluded));
  v.Set("recused", StringArray(b.recused));
  v.Set("votes_cast", static_cast<int64_t>(tally.cast()));
  if (viewer.role == "council") {
    auto mine = b.votes.find(viewer.user_id);
    v.Set("my_vote", mine == b.votes.end() ? Json() : Json(mine->second));
    v.Set("eligible", Contains(eligible, viewer.user_id));
  }
  const bool sees_tally =
      closed || viewer.role == "secretariat" || viewer.role == "auditor" || viewer.role == "system";
  if (sees_tally) {
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

}  // namespace rsoflow::council_ballot
