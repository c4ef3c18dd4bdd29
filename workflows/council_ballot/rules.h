// Council ballot rules (DESIGN 4.2) as plain functions over the ballot's data: eligibility,
// quorum, thresholds, outcome and resolution numbers. The MSM machine calls these from its
// guards and actions; tests call them directly.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/fields.h"
#include "engine/instance.h"
#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow::council_ballot {

inline constexpr const char* kWorkflowName = "council_ballot";
inline constexpr int64_t kDefaultDeadlineDays = 14;
inline constexpr int64_t kMsPerHour = 3600000;

// Floors no ballot goes below (issue 17: a decision was manufactured with quorum 0 and a
// deadline two seconds away). A ballot's quorum q is met when votes cast > q x eligible (all
// of them when q is 1), so q = 0.5 already asks for more than half: q must lie within
// [min_quorum, 1]. Its voting period, from opening to the deadline, must be at least
// min_voting_ms. Settings (serve: council_min_quorum, council_min_voting_hours) may raise
// the floors, never lower them below these defaults' bounds (CheckFloors).
struct Floors {
  double min_quorum = 0.5;
  int64_t min_voting_ms = 72 * kMsPerHour;
};
inline constexpr double kLowestQuorumFloor = 0.5;                  // a majority
inline constexpr int64_t kLowestVotingPeriodMs = 24 * kMsPerHour;  // a day

// InvalidRequest naming council_min_quorum (outside [0.5, 1]) or council_min_voting_hours
// (under 24 h).
Status CheckFloors(const Floors& floors);

// A quorum as given (absent or null: the default, max(0.5, the floor)); InvalidRequest naming
// `field` unless a finite JSON number within [floors.min_quorum, 1] (so -0, 1e-400, a string
// or a NaN-like value are refused).
Result<double> ParseQuorum(const Json* value, const Floors& floors, const std::string& field);
// GuardFailed unless deadline - opened_at >= floors.min_voting_ms.
Status CheckVotingPeriod(int64_t opened_at, int64_t deadline, const Floors& floors);

enum class Threshold { kSimpleMajority, kTwoThirds, kUnanimous };
const char* ThresholdName(Threshold t);
bool ParseThreshold(const std::string& s, Threshold* out);

struct Tally {
  int approve = 0;
  int reject = 0;
  int abstain = 0;
  int cast() const { return approve + reject + abstain; }
};

// The decision-relevant part of a ballot's data.
struct Ballot {
  std::vector<std::string> electorate;  // active Council reviewers when it opened
  std::vector<std::string> excluded;    // conflicted: affiliated with the RSO decided on
  std::vector<std::string> recused;
  std::map<std::string, std::string> votes;  // user id -> approve | reject | abstain
  int64_t deadline = 0;
  Threshold threshold = Threshold::kSimpleMajority;
  double quorum = 0.5;
};

Ballot ParseBallot(const Json& data);

// Electorate minus excluded minus recused.
std::vector<std::string> Eligible(const Ballot& b);
Tally Count(const Ballot& b);
// Votes cast (abstentions included) > quorum x eligible, or every eligible member voted.
bool QuorumMet(const Ballot& b);
// simple_majority: approve > reject; two_thirds: approve >= 2/3 of (approve + reject) and at
// least one approve; unanimous: no reject and at least one approve.
bool ThresholdMet(const Ballot& b);
bool AllEligibleVoted(const Ballot& b);
// The ballot may be closed: the deadline has passed, or every eligible member has voted.
bool Closable(const Ballot& b, int64_t now);
// "approved", "rejected" or "no_quorum".
std::string Outcome(const Ballot& b);

// May `user_id` vote now? Forbidden (not in the electorate), ConflictOfInterest (excluded or
// recused), AlreadyVoted, or GuardFailed (deadline passed).
Status CheckVote(const Ballot& b, const std::string& user_id, int64_t now);
// May `user_id` recuse? Forbidden (not in the electorate), GuardFailed (excluded, already
// recused, already voted).
Status CheckRecuse(const Ballot& b, const std::string& user_id);

// Under a mandate (engine/mandate_policy.h) the delegate casts the delegator's vote, and the
// delegate's own exclusions and recusals apply too: ConflictOfInterest when `delegate` is
// excluded from or recused in the ballot, or, for a ballot about RSO `rso_id` that excludes
// the affiliated, affiliated with it (a delegate outside the electorate was never listed).
Status CheckDelegate(const Ballot& b, const Actor& delegate, const std::string& rso_id,
                     bool exclude_affiliated);
// Who a ballot about RSO `rso_id` excludes, and why (DESIGN 8): with `exclude_affiliated`
// (the default), every Council member affiliated with the RSO, as
// {"user_id","username","reason":"affiliated_with_rso"}; none without it, or for a ballot with
// no RSO. In the order of `council`.
Json Exclusions(const std::vector<UserRef>& council, const std::string& rso_id,
                bool exclude_affiliated);

// "NN/YYYY": at least two digits, e.g. 07/2026, 39/2020.
std::string FormatResolution(int64_t number, int year);
// Counter name for resolution numbers of a calendar year.
std::string ResolutionCounter(int year);

// The ballot's creation data, its one field list (the API's body, its document and
// ValidateCreate): title, question, deadline, threshold?, quorum? (within [floors.min_quorum,
// 1]) and, given only by a recognition's referral, basis? and exclude_affiliated?. Invalid values
// are refused at once, naming each (exclude_affiliated on its own).
FieldList BallotFields(const Floors& floors = Floors());

// Validates creation data (BallotFields) and returns the normalized data without the
// electorate. The deadline must be in the future and the voting period respect `floors`.
Result<Json> ValidateCreate(const Json& data, int64_t now, const Floors& floors = Floors());

}  // namespace rsoflow::council_ballot
