// SqliteStore's IdempotencyStore (engine/store/idempotency_store.h).

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {

Result<std::optional<IdempotencyRecord>> SqliteStore::FindIdempotency(const std::string& actor,
                                                                      const std::string& key) {
  return Query(*writer_, sql::kSelectIdempotency, "select idempotency")
      .Bind(actor, key)
      .First([&](const Statement& s) {
        return IdempotencyRecord{actor, key, s.Text(0), ParseStoredJson(s.Text(1)), s.Int(2)};
      });
}

Status SqliteStore::PutIdempotency(const IdempotencyRecord& r) {
  return Write(sql::kInsertIdempotency, "insert idempotency")
      .Bind(r.actor_user_id, r.key, r.request_hash, r.response.Dump(), r.created_at)
      .Run();
}

}  // namespace rsoflow::db
