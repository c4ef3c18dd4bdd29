// Every workflow's payload validation, through the real engine on a test database: a fuzzed
// creation payload for one of the four workflows, then fuzzed events with fuzzed payloads, as
// the API would submit them. Any input: no crash, no undefined behaviour; a command the
// engine accepts moves the instance's version on by one, one refused is a Status with a
// message, never a storage error (Unavailable) or one that repeats (a 500).
//
// An input is a JSON document:
//   {"workflow": "momentum_plan", "as": "rso_liaison", "data": {...},
//    "steps": [{"event": "submit", "as": "rso_liaison", "data": {...}, "comment": "...",
//               "on": 0}, ...]}
// "as" is a role (council takes "who": 0-4 for one of five reviewers); "on" is the step's
// instance as an offset from the one created (a ballot the recognition started is 1). In
// payloads, "$RSO" and "$ISO_EVENT" stand for the recognized RSO and an ISO event that ended.
// The world (users, a recognized RSO, the event) is made once per process.
#include <cstdint>
#include <memory>
#include <string>

#include "tests/fuzz/fuzz_check.h"
#include "tests/support/harness.h"
#include "tests/support/partnership_world.h"

namespace rsoflow::testing {
namespace {

struct World {
  Harness h;
  PartnershipWorld w{h};
  std::string rso, iso_event;
  Actor liaison, admin;
  World() {
    rso = w.RecognizedRso("EASC");
    liaison = h.AddUser("liaison", "rso_liaison", rso);
    admin = h.AddUser("admin", "admin");
    iso_event = w.AddIsoEvent("EAC regional workshop", "2026-02-10", "2026-02-12", {rso});
  }

  const Actor* As(const Json& j) const {
    const std::string role = j.GetString("as", "secretariat");
    if (role == "secretariat") return &w.sec;
    if (role == "auditor") return &w.auditor;
    if (role == "rso_liaison") return &liaison;
    if (role == "admin") return &admin;
    if (role == "council") {
      const int64_t who = j.GetInt("who", 0);
      if (who < 0 || who >= static_cast<int64_t>(w.council.size())) return nullptr;
      return &w.council[static_cast<size_t>(who)];
    }
    return nullptr;
  }

  Json Substitute(const Json& j) const {
    if (j.is_string()) {
      if (j.AsString() == "$RSO") return Json(rso);
      if (j.AsString() == "$ISO_EVENT") return Json(iso_event);
      return j;
    }
    Json out = j;
    if (j.is_array()) {
      for (Json& v : out.AsArray()) v = Substitute(v);
    } else if (j.is_object()) {
      for (auto& [key, v] : out.AsObject()) v = Substitute(v);
    }
    return out;
  }
};

void CheckRefusal(const Status& s) {
  FUZZ_CHECK(!s.message().empty());
  FUZZ_CHECK(s.code() != Status::Code::kUnavailable);
}

}  // namespace
}  // namespace rsoflow::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rsoflow;
  using namespace rsoflow::testing;
  static World* world = new World();  // never destroyed: libFuzzer exits without unwinding
  auto input = ParseJson(std::string(reinterpret_cast<const char*>(data), size));
  if (!input || !input->is_object()) return 0;
  const Actor* creator = world->As(*input);
  const Json* payload = input->Get("data");
  if (creator == nullptr || payload == nullptr || !payload->is_object()) return 0;

  Command start;
  start.start_workflow = input->GetString("workflow");
  start.event = "create";
  start.actor = *creator;
  start.data = world->Substitute(*payload);
  start.rso_id = input->GetString("rso") == "$RSO" ? world->rso : input->GetString("rso");
  auto created = world->h.engine->Execute(std::move(start));
  if (!created.ok()) {
    CheckRefusal(created.status());
    return 0;
  }
  FUZZ_CHECK(created->instance.version == 1);
  const Json* steps = input->Get("steps");
  if (steps == nullptr || !steps->is_array()) return 0;
  for (const Json& step : steps->AsArray()) {
    const Actor* actor = world->As(step);
    const Json* event_data = step.Get("data");
    const int64_t on = step.GetInt("on", 0);
    if (actor == nullptr || on < 0 || on > 8) continue;
    Command c;
    c.instance_id = created->instance.id + on;
    c.event = step.GetString("event");
    c.actor = *actor;
    c.data = event_data != nullptr ? world->Substitute(*event_data) : Json::MakeObject();
    c.comment = step.GetString("comment");
    auto before = world->h.store->GetInstance(c.instance_id);
    auto fired = world->h.engine->Execute(std::move(c));
    if (!fired.ok()) {
      CheckRefusal(fired.status());
      continue;
    }
    FUZZ_CHECK(before.ok());
    // Follow-ups may fire on the same instance again in the same transaction.
    FUZZ_CHECK(fired->instance.version > before->version);
  }
  return 0;
}
