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

#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow::council_ballot {

inline constexpr const char* kWorkflowName = "council_ballot";
inline constexpr int64_t kDefaultDeadlineDays = 14;

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
// Votes cast (abstentions included) > quorum x eligible.
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

// "NN/YYYY": at least two digits, e.g. 07/2026, 39/2020.
std::string FormatResolution(int64_t number, int year);
// Counter name for resolution numbers of a calendar year.
std::string ResolutionCounter(int year);

// Validates creation data (title, question, deadline, threshold?, quorum?, basis?) and returns
// the normalized data without the electorate. Unknown fields are an InvalidRequest naming them.
Result<Json> ValidateCreate(const Json& data, int64_t now);

}  // namespace rsoflow::council_ballot
