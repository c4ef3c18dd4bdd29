// Instance, Actor and roles: the engine's view of one running workflow and of who acts on it.
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/json.h"

namespace rsoflow {

// Role names are stable strings: they are stored, audited and shown.
namespace role {
inline constexpr const char* kSecretariat = "secretariat";
inline constexpr const char* kCouncil = "council";
inline constexpr const char* kLiaison = "rso_liaison";
inline constexpr const char* kAuditor = "auditor";
inline constexpr const char* kAdmin = "admin";
inline constexpr const char* kSystem = "system";
// True for the five roles a user account may have (never "system").
bool IsUserRole(const std::string& role);
}  // namespace role

struct Actor {
  std::string user_id;  // empty for the system
  std::string username;
  std::string role;
  std::string rso_id;                           // rso_liaison: the one RSO it acts for
  std::vector<std::string> affiliated_rso_ids;  // council: RSOs it has a conflict with

  static Actor System() { return Actor{"", "system", role::kSystem, "", {}}; }
  bool is_system() const { return role == role::kSystem; }
};

// A user as a workflow sees it (e.g. a Council reviewer in an electorate).
struct UserRef {
  std::string user_id;
  std::string username;
  std::vector<std::string> affiliated_rso_ids;
};

struct Instance {
  int64_t id = 0;
  std::string workflow;
  int workflow_version = 1;
  std::string state;
  int64_t version = 0;     // 1 after creation, +1 per accepted transition
  std::string rso_id;      // the RSO it concerns, empty if none
  int64_t subject_id = 0;  // the instance it decides on (ballots), 0 if none
  std::string title;
  Json data = Json::MakeObject();
  int64_t created_at = 0;
  std::string created_by;  // user id, or "system"
  int64_t updated_at = 0;
  std::optional<int64_t> due_at;  // earliest pending timer
  bool terminal = false;
};

// Internal (storage and idempotency replay) JSON form; not the API representation.
Json InstanceToJson(const Instance& instance);
Instance InstanceFromJson(const Json& json);

}  // namespace rsoflow
