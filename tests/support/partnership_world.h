// PartnershipWorld: a Harness populated for the RSO partnership workflows: a secretariat user,
// an auditor, five Council reviewers, and quick ways to register and recognize RSOs (through
// the real rso_recognition and council_ballot workflows) and to add ISO events.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/support/harness.h"

namespace rsoflow::testing {

class PartnershipWorld {
 public:
  explicit PartnershipWorld(Harness& h);

  // Registers an RSO (sub-regional, Africa) and returns its id; its recognition stays in draft.
  std::string RegisterRso(const std::string& acronym);
  // Registers an RSO and drives its recognition to `recognized` through a Council ballot.
  std::string RecognizedRso(const std::string& acronym);
  int64_t RecognitionOf(const std::string& rso_id) const { return recognition_.at(rso_id); }
  // The one open Council ballot about the RSO (a test failure and 0 unless there is one).
  int64_t OpenBallotOf(const std::string& rso_id);
  // Adds an ISO event record (validated like the API does) and returns its id.
  std::string AddIsoEvent(const std::string& title, const std::string& starts_on,
                          const std::string& ends_on, const std::vector<std::string>& rso_ids,
                          const std::string& type = "regional_workshop");

  Harness& h;
  Actor sec, auditor;
  std::vector<Actor> council;

 private:
  std::map<std::string, int64_t> recognition_;
};

}  // namespace rsoflow::testing
