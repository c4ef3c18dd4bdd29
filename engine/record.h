// Record: a domain record the workflows need besides their instances (an RSO, an ISO event),
// kept generic so engine/ knows nothing of RSOs: a kind, a string id assigned by the store, a
// key unique within the kind (an RSO's acronym), and the record's fields as a JSON object.
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <string>

#include "engine/json.h"

namespace rsoflow {

struct Record {
  std::string kind;
  std::string id;
  std::string key;
  Json data = Json::MakeObject();
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

}  // namespace rsoflow
