#include "workflows/council_ballot/rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "engine/clock.h"
#include "engine/fields.h"
#include "engine/string_list.h"
#include "engine/text.h"

namespace rsoflow::council_ballot {
namespace {

std::vector<std::string> Strings(const Json* j) {
  std::vector<std::string> out;
  if (j != nullptr && j->is_array()) {
    out.reserve(j->AsArray().size());
    for (const auto& e : j->AsArray()) {
      if (e.is_string()) out.push_back(e.AsString());
    }
  }
  return out;
}

}  // namespace

const char* ThresholdName(Threshold t) {
  switch (t) {
    case Threshold::kSimpleMajority:
      return "simple_majority";
    case Threshold::kTwoThirds:
      return "two_thirds";
    case Threshold::kUnanimous:
      return "unanimous";
  }
  return "simple_majority";
}

bool ParseThreshold(const std::string& s, Threshold* out) {
  for (Threshold t : {Threshold::kSimpleMajority, Threshold::kTwoThirds, Threshold::kUnanimous}) {
    if (s == ThresholdName(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

Ballot ParseBallot(const Json& data) {
  Ballot b;
  b.electorate = Strings(data.Get("electorate"));
  b.excluded = Strings(data.Get("excluded"));
  b.recused = Strings(data.Get("recused"));
  if (const Json* votes = data.Get("votes"); votes != nullptr && votes->is_object()) {
    // Parsed on every vote: the object's keys come sorted, so each goes in at the end.
    static const std::string kChoice = "choice";
    for (const auto& [user, vote] : votes->AsObject()) {
      const Json* choice = vote.Get(kChoice);
      b.votes.emplace_hint(b.votes.end(), user,
                           choice != nullptr && choice->is_string() ? choice->AsString() : "");
    }
  }
  b.deadline = ParseTime(data.GetString("deadline")).value_or(0);
  ParseThreshold(data.GetString("threshold", "simple_majority"), &b.threshold);
  b.quorum = data.GetDouble("quorum", 0.5);
  return b;
}

namespace {

bool IsEligible(const Ballot& b, const std::string& u) {
  return !Contains(b.excluded, u) && !Contains(b.recused, u);
}

}  // namespace

std::vector<std::string> Eligible(const Ballot& b) {
  std::vector<std::string> out;
  for (const auto& u : b.electorate) {
    if (IsEligible(b, u)) out.push_back(u);
  }
  return out;
}

// Count and AllEligibleVoted run on every vote: they walk the electorate in place rather than
// building the Eligible() list.
Tally Count(const Ballot& b) {
  Tally t;
  for (const auto& u : b.electorate) {
    if (!IsEligible(b, u)) continue;
    auto it = b.votes.find(u);
    if (it == b.votes.end()) continue;
    if (it->second == "approve")
      ++t.approve;
    else if (it->second == "reject")
      ++t.reject;
    else if (it->second == "abstain")
      ++t.abstain;
  }
  return t;
}

bool QuorumMet(const Ballot& b) {
  const double eligible = static_cast<double>(Eligible(b).size());
  const double cast = static_cast<double>(Count(b).cast());
  // cast == eligible: a quorum of 1 (everyone) is met; below 1 it already is by the '>'.
  return eligible > 0 && (cast > b.quorum * eligible || cast == eligible);
}

Status CheckFloors(const Floors& f) {
  if (!std::isfinite(f.min_quorum) || f.min_quorum < kLowestQuorumFloor || f.min_quorum > 1) {
    return Status::InvalidRequest(
        "council_min_quorum must be within [0.5, 1] (more than half of the eligible must vote)",
        {"council_min_quorum"});
  }
  if (f.min_voting_ms < kLowestVotingPeriodMs) {
    return Status::InvalidRequest("council_min_voting_hours must be at least 24",
                                  {"council_min_voting_hours"});
  }
  return Status::Ok();
}

Result<double> ParseQuorum(const Json* q, const Floors& floors, const std::string& field) {
  if (q == nullptr || q->is_null()) return std::max(kLowestQuorumFloor, floors.min_quorum);
  // A JSON number that reads as -0 or underflows to 0 (1e-400) is below any floor; one that
  // overflows is not finite.
  if (!q->is_number() || !std::isfinite(q->AsDouble()) || q->AsDouble() < floors.min_quorum ||
      q->AsDouble() > 1) {
    char floor[32];
    std::snprintf(floor, sizeof floor, "%g", floors.min_quorum);
    return Status::InvalidRequest(field + " must be a number within [" + floor +
                                      ", 1]: the fraction of the eligible that must vote",
                                  {field});
  }
  return q->AsDouble();
}

Status CheckVotingPeriod(int64_t opened_at, int64_t deadline, const Floors& floors) {
  if (deadline - opened_at >= floors.min_voting_ms) return Status::Ok();
  return Status::GuardFailed(
      {Reason{"voting_period_too_short",
              "the voting period (from opening to the deadline) must be at least " +
                  std::to_string(floors.min_voting_ms / kMsPerHour) + " hours"}});
}

bool ThresholdMet(const Ballot& b) {
  const Tally t = Count(b);
  switch (b.threshold) {
    case Threshold::kSimpleMajority:
      return t.approve > t.reject;
    case Threshold::kTwoThirds:
      return t.approve > 0 && 3 * t.approve >= 2 * (t.approve + t.reject);
    case Threshold::kUnanimous:
      return t.reject == 0 && t.approve >= 1;
  }
  return false;
}

bool AllEligibleVoted(const Ballot& b) {
  bool any = false;
  for (const auto& u : b.electorate) {
    if (!IsEligible(b, u)) continue;
    if (b.votes.count(u) == 0) return false;
    any = true;
  }
  return any;
}

bool Closable(const Ballot& b, int64_t now) { return now >= b.deadline || AllEligibleVoted(b); }

std::string Outcome(const Ballot& b) {
  if (!QuorumMet(b)) return "no_quorum";
  return ThresholdMet(b) ? "approved" : "rejected";
}

Status CheckVote(const Ballot& b, const std::string& user_id, int64_t now) {
  if (!Contains(b.electorate, user_id)) {
    return Status::Forbidden("you are not in this ballot's electorate");
  }
  if (Contains(b.excluded, user_id)) {
    return Status::ConflictOfInterest(
        "you are excluded from this ballot: you are affiliated with the RSO it decides on");
  }
  if (Contains(b.recused, user_id)) {
    return Status::ConflictOfInterest("you have recused yourself from this ballot");
  }
  if (b.votes.count(user_id) > 0) return Status::AlreadyVoted("you have already voted");
  if (now >= b.deadline)
    return Status::GuardFailed(
        {Reason{"voting_deadline_passed", "the voting deadline has passed"}});
  return Status::Ok();
}

Status CheckRecuse(const Ballot& b, const std::string& user_id) {
  if (!Contains(b.electorate, user_id)) {
    return Status::Forbidden("you are not in this ballot's electorate");
  }
  std::vector<Reason> reasons;
  if (Contains(b.excluded, user_id))
    reasons.push_back(Reason{"already_excluded", "already excluded for a conflict of interest"});
  if (Contains(b.recused, user_id)) reasons.push_back(Reason{"already_recused", "already recused"});
  if (b.votes.count(user_id) > 0) reasons.push_back(Reason{"already_voted", "already voted"});
  if (!reasons.empty()) return Status::GuardFailed(reasons);
  return Status::Ok();
}

Status CheckDelegate(const Ballot& b, const Actor& delegate, const std::string& rso_id,
                     bool exclude_affiliated) {
  const std::string& u = delegate.user_id;
  if (Contains(b.excluded, u) ||
      (exclude_affiliated && !rso_id.empty() && Contains(delegate.affiliated_rso_ids, rso_id))) {
    return Status::ConflictOfInterest(
        "you are excluded from this ballot (affiliated with the RSO it decides on), also when "
        "acting under a mandate");
  }
  if (Contains(b.recused, u)) {
    return Status::ConflictOfInterest(
        "you have recused yourself from this ballot, also when acting under a mandate");
  }
  return Status::Ok();
}

std::string FormatResolution(int64_t number, int year) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld/%04d", static_cast<long long>(number), year);
  return buf;
}

std::string ResolutionCounter(int year) { return "resolution/" + std::to_string(year); }

FieldList BallotFields(const Floors& floors) {
  char floor[32];
  std::snprintf(floor, sizeof floor, "%g", floors.min_quorum);
  FieldList list = {
      Field::Text("title", 1, 200).Plain().Required(),
      Field::Text("question", 1, 4000).Plain().Required(),
      Field::Text("basis", 1, 200).Plain().Internal(),  // set by the workflow that opens it
      Field::Time("deadline")
          .Required()
          .About(
              "at least council_min_voting_hours (default 72, never under 24) after now, else 422 "
              "guard_failed"),
      Field::Text("threshold", 0, SIZE_MAX).OneOf({"simple_majority", "two_thirds", "unanimous"}),
      Field::Number("quorum", floors.min_quorum, 1)
          .About(
              "met when votes cast > quorum x eligible (all of them at 1); within "
              "[council_min_quorum, 1] (default 0.5, never under 0.5), else 400 naming quorum; -0, "
              "1e-400 and non-numbers included"),
      Field::Bool("exclude_affiliated").Internal().Says("exclude_affiliated is true or false")};
  list.not_object = "ballot data must be an object";
  list.summary =
      "invalid or missing: title (1-200 chars), question (1-4000 chars; neither with U+0000 "
      "or a bidirectional override or isolate), deadline (RFC 3339 "
      "time), threshold (simple_majority|two_thirds|unanimous), quorum (" +
      std::string(floor) + " <= q <= 1)";
  return list;
}

Result<Json> ValidateCreate(const Json& data, int64_t now, const Floors& floors) {
  RSOFLOW_RETURN_IF_ERROR(BallotFields(floors).Check(data));
  const int64_t deadline = ParseTime(data.GetString("deadline")).value_or(0);
  if (deadline <= now)
    return Status::GuardFailed(
        {Reason{"deadline_not_in_future", "the deadline must be in the future"}});
  RSOFLOW_RETURN_IF_ERROR(CheckVotingPeriod(now, deadline, floors));
  Json out = Json::MakeObject();
  for (const char* key : {"title", "question", "basis"}) {
    const Json* v = data.Get(key);
    out.Set(key, v != nullptr && v->is_string() ? *v : Json());  // basis: null when absent
  }
  Threshold threshold = Threshold::kSimpleMajority;
  if (const Json* t = data.Get("threshold"); t != nullptr && t->is_string()) {
    ParseThreshold(t->AsString(), &threshold);
  }
  out.Set("deadline", FormatTime(deadline));
  out.Set("threshold", ThresholdName(threshold));
  out.Set("quorum", *ParseQuorum(data.Get("quorum"), floors, "quorum"));
  const Json* exclude = data.Get("exclude_affiliated");
  if (exclude != nullptr && exclude->is_bool()) out.Set("exclude_affiliated", exclude->AsBool());
  return out;
}

Json Exclusions(const std::vector<UserRef>& council, const std::string& rso_id,
                bool exclude_affiliated) {
  // A reason code like a guard's, labelled with the ballot's reasons (labels.cpp).
  static const Reason kAffiliated =
      Reason{"affiliated_with_rso", "affiliated with the RSO the ballot decides on"};
  Json out = Json::MakeArray();
  if (rso_id.empty() || !exclude_affiliated) return out;
  for (const UserRef& u : council) {
    if (!Contains(u.affiliated_rso_ids, rso_id)) continue;
    Json e = Json::MakeObject();
    e.Set("user_id", u.user_id);
    e.Set("username", u.username);
    e.Set("reason", kAffiliated.code);
    out.Push(std::move(e));
  }
  return out;
}

}  // namespace rsoflow::council_ballot
