#include "workflows/council_ballot/workflow.h"

#include <algorithm>

#include "engine/clock.h"
#include "engine/string_list.h"
#include "workflows/council_ballot/events.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow::council_ballot {
namespace {

// Payload shape per event; values are checked by guards.
EventPayloads Payloads() {
  return {
      {events::Vote::name, PayloadFields({Field::Text("choice", 0, SIZE_MAX)
                                              .OneOf({"approve", "reject", "abstain"})
                                              .Required()
                                              .Says("choice must be approve, reject or abstain")})},
      {events::Extend::name,
       PayloadFields(
           {Field::Time("deadline").Required().Says("deadline must be an RFC 3339 time")})}};
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

  // A ballot about an RSO excludes the members affiliated with it unless the secretariat
  // referred it with exclude_affiliated false (DESIGN 8); the choice stays in the data, and so
  // in the audit entry that opened the ballot.
  const Json* exclude = data->Get("exclude_affiliated");
  const bool exclude_affiliated = exclude == nullptr || !exclude->is_bool() || exclude->AsBool();
  const Json exclusions = Exclusions(*council, req.rso_id, exclude_affiliated);
  std::vector<std::string> electorate, excluded;
  for (const UserRef& u : *council) electorate.push_back(u.user_id);
  for (const Json& e : exclusions.AsArray()) excluded.push_back(e.GetString("user_id"));
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
  out.data.Set("exclusions", exclusions);
  if (!req.rso_id.empty()) out.data.Set("exclude_affiliated", exclude_affiliated);
  out.data.Set("recused", Json::MakeArray());
  out.data.Set("votes", Json::MakeObject());
  out.data.Set("outcome", Json());
  out.data.Set("resolution", Json());
  out.data.Set("opened_at", FormatTime(req.now));
  // What the Council votes on: the subject's documents as they are now (DESIGN 8).
  Json documents = Json::MakeArray();
  if (req.subject_id != 0) {
    auto current = req.env.CurrentDocuments(req.subject_id);
    if (!current.ok()) return current.status();
    for (const Document& d : *current) {
      Json doc = Json::MakeObject();
      doc.Set("id", std::to_string(d.id));
      doc.Set("filename", d.filename);
      doc.Set("sha256", d.sha256);
      documents.Push(std::move(doc));
    }
  }
  out.data.Set("documents", std::move(documents));
  out.effects.set_timers.push_back(
      TimerSpec{"deadline", ParseTime(out.data.GetString("deadline")).value_or(req.now), "close"});
  return out;
}

bool CouncilBallotWorkflow::DocumentsFrozen(const Instance& instance) const {
  const Json* votes = instance.data.Get("votes");
  return votes != nullptr && votes->is_object() && !votes->AsObject().empty();
}

}  // namespace rsoflow::council_ballot
