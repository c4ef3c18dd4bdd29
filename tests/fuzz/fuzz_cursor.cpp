// api/http_util: what a client sends in ?cursor=, ?limit= and If-Match. Any bytes: no crash,
// an InvalidRequest naming the parameter or a value; a cursor that parses re-encodes to one
// that parses to the same key.
#include <cstdint>
#include <string>

#include "api/http_util.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace api = rsoflow::api;
  const std::string text(reinterpret_cast<const char*>(data), size);
  api::Request req;
  req.query["cursor"] = text;
  req.query["limit"] = text;

  auto after = api::Cursor(req);
  if (after.ok()) {
    FUZZ_CHECK(*after >= 0);
    api::Request again;
    again.query["cursor"] = api::EncodeCursor(*after);
    auto back = api::Cursor(again);
    FUZZ_CHECK(back.ok() && *back == *after);
  } else {
    FUZZ_CHECK(after.status().fields().size() == 1 && after.status().fields()[0] == "cursor");
  }
  for (size_t parts = 1; parts <= 4; ++parts) {
    auto key = api::CursorKey(req, parts);
    if (!key.ok()) continue;
    FUZZ_CHECK(key->has_value() && (*key)->size() == parts);
    api::Request again;
    again.query["cursor"] = api::EncodeCursorKey(**key);
    auto back = api::CursorKey(again, parts);
    FUZZ_CHECK(back.ok() && back->has_value() && **back == **key);
  }
  auto limit = api::Limit(req);
  FUZZ_CHECK(!limit.ok() || (*limit >= 1 && *limit <= api::kMaxLimit));
  auto version = api::ParseIfMatch(text);
  FUZZ_CHECK(!version.ok() || text.empty() || (version->has_value() && **version >= 0));
  return 0;
}
