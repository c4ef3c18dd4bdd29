// The SQLite store: migrations, durability settings, append-only audit, counters, pagination,
// the one-writer lock, read-only opening and readiness.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "db/connection.h"
#include "db/migrations.h"
#include "db/sqlite_store.h"
#include "db/wal_vfs.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

// Runs SQL on its own read-write connection; returns the error message, "" on success.
std::string Exec(const std::string& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  sqlite3_open(db.c_str(), &conn);
  char* err = nullptr;
  sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err);
  std::string out = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(conn);
  return out;
}

// A new instance of the test-only "counter" workflow in state s1, version 1.
Instance CounterInstance() {
  Instance inst;
  inst.workflow = "counter";
  inst.state = "s1";
  inst.version = 1;
  inst.title = "t";
  inst.created_by = "system";
  return inst;
}

TEST(SqliteStore, AppliesMigrationsOnceAndRecordsTheSchemaVersion) {
  TempDir dir;
  {
    auto store = db::SqliteStore::Open(dir.File("a.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->schema_version(), db::Migrations().back().version);
  }
  auto again = db::SqliteStore::Open(dir.File("a.db"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->schema_version(), db::Migrations().back().version);
  Harness h;
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM schema_version"),
            std::to_string(db::Migrations().size()));
}

// Issue 17, finding 7: the database holds password hashes and open ballots' votes. Under the
// usual umask 022 its files are created 0600 (SQLite would make them 0644) and its missing
// directories 0700.
TEST(SqliteStore, CreatesTheDatabaseFilesForTheOwnerOnly) {
  const mode_t old_umask = umask(022);
  TempDir dir;
  const std::string var = dir.File("deploy/var");
  db::MakePrivateDirectories(var);
  const std::string path = var + "/x.db";
  {
    auto store = db::SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto mode = [](const std::string& file) {
      struct stat st;
      return stat(file.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
    };
    // While it is open, in WAL mode: the database, its -wal and -shm and the writer's lock.
    for (const std::string& file : {path, path + "-wal", path + "-shm", path + ".lock"}) {
      EXPECT_EQ(mode(file), 0600) << file;
    }
    EXPECT_EQ(mode(var), 0700);
    EXPECT_EQ(mode(dir.File("deploy")), 0700);
  }
  umask(old_umask);
}

TEST(SqliteStore, RunsInWalModeWithFullSynchronousWrites) {
  Harness h;
  EXPECT_EQ(h.QueryText("PRAGMA journal_mode"), "wal");
}

TEST(SqliteStore, RefusesToOpenWhereWalIsImpossible) {
  auto store = db::SqliteStore::Open(":memory:");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(store.status().message().find("journal_mode"), std::string::npos);
}

TEST(SqliteStore, RefusesToOpenAnUnreadableFile) {
  TempDir dir;
  auto store = db::SqliteStore::Open(dir.File("missing-dir/x/y.db"));
  EXPECT_EQ(store.status().code(), Status::Code::kUnavailable);
}

TEST(SqliteStore, AuditUpdateIsRefusedByTrigger) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  ASSERT_TRUE(h.Start("counter", sec, J("{}")).ok());
  EXPECT_NE(Exec(h.db_path, "UPDATE audit SET comment = 'x' WHERE seq = 1").find("append-only"),
            std::string::npos);
  EXPECT_EQ(h.QueryText("SELECT comment IS NULL FROM audit WHERE seq = 1"), "1");
}

TEST(SqliteStore, AuditDeleteIsRefusedByTrigger) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  ASSERT_TRUE(h.Start("counter", sec, J("{}")).ok());
  EXPECT_NE(Exec(h.db_path, "DELETE FROM audit").find("append-only"), std::string::npos);
  EXPECT_EQ(h.AuditCount(), 1);
}

TEST(SqliteStore, CountersIncrementPerNameInsideTheWriter) {
  Harness h;
  auto next = [&](const std::string& name) {
    auto r = h.engine
                 ->SubmitJob([name](Store& s) -> Result<Json> {
                   auto v = s.NextCounter(name);
                   if (!v.ok()) return v.status();
                   return Json(*v);
                 })
                 .get();
    return r.ok() ? r->AsInt() : -1;
  };
  EXPECT_EQ(next("resolution/2026"), 1);
  EXPECT_EQ(next("resolution/2026"), 2);
  EXPECT_EQ(next("resolution/2027"), 1);
}

// What a timer does after a failed statement depends on whether trying again may help: a
// full disk may be freed in a second (Unavailable, retried soon), a constraint is broken the
// same way every time (Undecidable, put off). Real SQLite errors on a connection of our own.
TEST(SqliteConnection, ErrorsThatMayPassAreToldFromErrorsThatRepeat) {
  TempDir dir;
  auto conn = db::Connection::Open(dir.path() + "/c.db", false, 0);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  db::Connection& c = **conn;
  ASSERT_TRUE(c.ExecScript("CREATE TABLE t (v TEXT NOT NULL CHECK (length(v) < 5))").ok());

  static constexpr const char* kBreaksCheck = "INSERT INTO t VALUES ('too long')";
  Status repeats = c.Exec(kBreaksCheck);
  EXPECT_EQ(repeats.code(), Status::Code::kUnavailable) << repeats.ToString();
  EXPECT_TRUE(repeats.undecidable()) << repeats.ToString();

  // A file that may not grow: the next page it needs is a full disk (SQLITE_FULL).
  ASSERT_TRUE(c.ExecScript("PRAGMA max_page_count = 2").ok());
  static constexpr const char* kNeedsAPage =
      "CREATE TABLE big AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
      "WHERE i < 2000) SELECT i, printf('%0100d', i) AS pad FROM n";
  Status full = c.Exec(kNeedsAPage);
  EXPECT_EQ(full.code(), Status::Code::kUnavailable) << full.ToString();
  EXPECT_FALSE(full.undecidable()) << full.ToString();
  EXPECT_NE(full.message().find("full"), std::string::npos) << full.ToString();
}

TEST(SqliteStore, DuplicateUsernameIsReportedAsDuplicate) {
  Harness h;
  h.AddUser("same", "auditor");
  UserRecord u{"", "same", "x", "auditor", "", {}, "h", false, 0, "", "en"};
  auto r = h.engine
               ->SubmitJob([u](Store& s) -> Result<Json> {
                 auto id = s.InsertUser(u);
                 if (!id.ok()) return id.status();
                 return Json(*id);
               })
               .get();
  EXPECT_EQ(r.status().code(), Status::Code::kDuplicate);
}

TEST(SqliteStore, ListsInstancesByKeysetPagesWithFilters) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(h.Start("counter", sec, J("{}"), i % 2 ? "b" : "a").ok());
  InstanceQuery q;
  q.limit = 2;
  auto page1 = h.store->ListInstances(q);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 2u);
  q.after_id = page1->back().id;
  auto page2 = h.store->ListInstances(q);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_GT(page2->front().id, page1->back().id);
  InstanceQuery only_a;
  only_a.rso_id = "a";
  EXPECT_EQ(h.store->ListInstances(only_a)->size(), 3u);
  InstanceQuery terminal;
  terminal.active = false;
  EXPECT_TRUE(h.store->ListInstances(terminal)->empty());
}

// SQLite rolls a transaction back by itself after an I/O error; a command that came after must
// not open a transaction of its own (its RELEASE would commit it alone, outside the batch).
TEST(SqliteStore, ASavepointOutsideTheBatchsTransactionIsRefused) {
  TempDir dir;
  auto opened = db::SqliteStore::Open(dir.File("s.db"));
  ASSERT_TRUE(opened.ok());
  db::SqliteStore& store = **opened;
  EXPECT_EQ(store.Savepoint().code(), Status::Code::kUnavailable);
  ASSERT_TRUE(store.Begin().ok());
  EXPECT_TRUE(store.Savepoint().ok());
  EXPECT_TRUE(store.ReleaseSavepoint().ok());
  EXPECT_TRUE(store.Commit().ok());
}

// A counter instance whose data pads its row to about `padding` bytes.
Instance PaddedCounter(const std::string& title, size_t padding) {
  Instance inst;
  inst.workflow = "counter";
  inst.workflow_version = 1;
  inst.state = "idle";
  inst.version = 1;
  inst.title = title;
  inst.data = J("{}");
  inst.data.Set("padding", std::string(padding, 'x'));
  return inst;
}

// SQLite rolls the batch's transaction back by itself after an I/O error (here the disk is
// full when pages spilled from a small cache are read back). The batch's later writes are
// refused instead of each committing on its own, its COMMIT fails, and the file holds nothing
// of it.
TEST(SqliteStore, AfterSqliteRolledTheBatchBackItsLaterWritesAreRefused) {
  TempDir dir;
  db::SqliteOptions options;
  options.writer_cache_kib = 40;  // ten pages
  auto opened = db::SqliteStore::Open(dir.File("s.db"), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db::SqliteStore& store = **opened;
  const Instance inst = PaddedCounter("spill", 2000);
  ASSERT_TRUE(store.Begin().ok());
  ASSERT_TRUE(store.Savepoint().ok());
  int64_t first = 0;
  for (int i = 0; i < 300; ++i) {
    auto id = store.InsertInstance(inst);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    if (i == 0) first = *id;
  }
  db::testing::FailingWalWrites full_disk(1);          // reset on any return
  auto read_back = store.LoadInstanceForWrite(first);  // its page was spilled to the WAL
  db::testing::FailWalWrites(0);
  EXPECT_FALSE(read_back.ok());
  auto later = store.InsertInstance(inst);
  EXPECT_EQ(later.status().code(), Status::Code::kUnavailable) << later.status().ToString();
  EXPECT_FALSE(store.Commit().ok());
  store.Rollback();
  EXPECT_EQ(QueryFile(dir.File("s.db"), "SELECT COUNT(*) FROM instances"), "0");
}

// A command that changes more than 64 KiB of pages inside its savepoint needs a sub-journal
// that large. SQLite would spill it to a file in its temporary directory (/var/tmp by default):
// copies of database pages (token and password hashes among them) on another file system, and
// a command that fails when that one is full although the database's own is not. The writer
// keeps it in memory.
TEST(SqliteStore, ABigCommandWritesNoTemporaryFile) {
  TempDir dir;
  auto opened = db::SqliteStore::Open(dir.File("s.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db::SqliteStore& store = **opened;
  const Instance inst = PaddedCounter("big", 3000);  // one row a page
  std::vector<Instance> rows;
  ASSERT_TRUE(store.Begin().ok());
  for (int i = 0; i < 40; ++i) {
    auto id = store.InsertInstance(inst);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    rows.push_back(inst);
    rows.back().id = *id;
  }
  ASSERT_TRUE(store.Commit().ok());

  // SQLite's temporary files go to this directory, watched for any file created in it (they
  // are unlinked as soon as opened, so looking afterwards would find none).
  const std::string temp = dir.File("tmp");
  std::filesystem::create_directory(temp);
  const int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ASSERT_GE(watch, 0);
  ASSERT_GE(inotify_add_watch(watch, temp.c_str(), IN_CREATE), 0);
  char* saved = sqlite3_temp_directory;
  sqlite3_temp_directory = sqlite3_mprintf("%s", temp.c_str());
  struct Restore {
    char* saved;
    int watch;
    ~Restore() {
      sqlite3_free(sqlite3_temp_directory);
      sqlite3_temp_directory = saved;
      close(watch);
    }
  } restore{saved, watch};

  ASSERT_TRUE(store.Begin().ok());
  ASSERT_TRUE(store.Savepoint().ok());
  for (Instance& row : rows) {  // 40 pages that existed when the savepoint began: 160 KiB
    row.data.Set("padding", std::string(3000, 'y'));
    Status st = store.UpdateInstanceData(row);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  ASSERT_TRUE(store.ReleaseSavepoint().ok());
  ASSERT_TRUE(store.Commit().ok());
  char events[4096];
  EXPECT_LT(read(watch, events, sizeof events), 0) << "a temporary file was created";
  EXPECT_EQ(
      QueryFile(dir.File("s.db"), "SELECT COUNT(*) FROM instances WHERE data LIKE '%yyyyyyyyyy%'"),
      "40");
}

TEST(SqliteStore, ListsUsersByKeysetPagesReadingNoMoreThanTheLimit) {
  Harness h;
  std::vector<std::string> ids;
  for (const char* name : {"u1", "u2", "u3", "u4", "u5"})
    ids.push_back(h.AddUser(name, "auditor").user_id);
  auto names = [](const Result<std::vector<UserRecord>>& r) {
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& u : *r) out.push_back(u.username);
    return out;
  };
  EXPECT_EQ(names(h.store->ListUsers(0, 2)), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(names(h.store->ListUsers(std::stoll(ids[1]), 2)),
            (std::vector<std::string>{"u3", "u4"}));
  EXPECT_EQ(names(h.store->ListUsers(std::stoll(ids[3]), 2)), (std::vector<std::string>{"u5"}));
  EXPECT_TRUE(names(h.store->ListUsers(std::stoll(ids[4]), 2)).empty());
}

TEST(SqliteStore, TokensAreLookedUpByHashAndRevokedOnce) {
  Harness h;
  Actor a = h.AddUser("admin", "admin");
  TokenRecord t;
  t.user_id = a.user_id;
  t.name = "ci";
  t.token_hash = std::string(64, 'a');
  t.kind = "api";
  auto id = h.engine
                ->SubmitJob([t](Store& s) -> Result<Json> {
                  auto r = s.InsertToken(t);
                  if (!r.ok()) return r.status();
                  return Json(*r);
                })
                .get();
  ASSERT_TRUE(id.ok());
  auto found = h.store->GetTokenByHash(std::string(64, 'a'));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user_id, a.user_id);
  EXPECT_FALSE(found->revoked_at.has_value());
  auto revoke = [&] {
    const std::string tid = id->AsString();
    return h.engine
        ->SubmitJob([tid](Store& s) -> Result<Json> {
          Status st = s.RevokeToken(tid, 5);
          if (!st.ok()) return st;
          return Json(true);
        })
        .get();
  };
  EXPECT_TRUE(revoke().ok());
  EXPECT_EQ(revoke().status().code(), Status::Code::kNotFound);
  EXPECT_EQ(h.store->GetTokenByHash(std::string(64, 'a'))->revoked_at, 5);
}

// The narrow update writes version, data and updated_at, and nothing else of the row.
TEST(SqliteStore, UpdateInstanceDataLeavesStateTitleAndDueAtAlone) {
  TempDir dir;
  auto opened = db::SqliteStore::Open(dir.File("narrow.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db::SqliteStore& store = **opened;
  Instance inst = CounterInstance();
  inst.due_at = 1000;
  ASSERT_TRUE(store.Begin().ok());
  auto id = store.InsertInstance(inst);
  ASSERT_TRUE(id.ok());
  inst.id = *id;
  inst.version = 2;
  inst.updated_at = 77;
  inst.data.Set("k", "v");
  // A caller never does this (the other fields must be as stored): here they differ only to
  // show that they are not written.
  inst.state = "not written";
  inst.title = "not written";
  inst.due_at = 2000;
  ASSERT_TRUE(store.UpdateInstanceData(inst).ok());
  ASSERT_TRUE(store.Commit().ok());
  auto read = store.GetInstance(*id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->version, 2);
  EXPECT_EQ(read->updated_at, 77);
  EXPECT_EQ(read->data.GetString("k"), "v");
  EXPECT_EQ(read->state, "s1");
  EXPECT_EQ(read->title, "t");
  EXPECT_EQ(read->due_at, std::optional<int64_t>(1000));
}

// The next command on an instance the writer just wrote reads it from the cache, once: the
// cache hands the instance over (the caller changes it) and holds it again only when the
// caller writes it back. Shown by a row changed behind the store's back, which the first load
// does not see and the second does.
TEST(SqliteStore, InstanceJustWrittenIsHandedOverOnceFromTheCache) {
  TempDir dir;
  const std::string path = dir.File("handover.db");
  auto opened = db::SqliteStore::Open(path);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db::SqliteStore& store = **opened;
  Instance inst = CounterInstance();
  ASSERT_TRUE(store.Begin().ok());
  auto id = store.InsertInstance(inst);
  ASSERT_TRUE(id.ok());
  inst.id = *id;
  inst.version = 2;
  inst.data.Set("votes", 1);
  ASSERT_TRUE(store.UpdateInstanceData(inst).ok());
  ASSERT_TRUE(store.Commit().ok());
  EXPECT_EQ(Exec(path, "UPDATE instances SET version = 7 WHERE id = " + std::to_string(*id)), "");
  auto first = store.LoadInstanceForWrite(*id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->version, 2);  // as written, from the cache
  EXPECT_EQ(first->data.GetInt("votes"), 1);
  auto second = store.LoadInstanceForWrite(*id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->version, 7);  // handed over already: read from the file
}

// The writer's instance cache must never hold what the file does not: writes rolled back to
// a savepoint (or with the transaction) are undone in it too, and a row changed behind the
// store's back is seen after a reopen.
TEST(SqliteStore, InstanceCacheFollowsSavepointRollbacksAndReopens) {
  TempDir dir;
  const std::string path = dir.File("cache.db");
  auto opened = db::SqliteStore::Open(path);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db::SqliteStore& store = **opened;
  Instance inst = CounterInstance();
  ASSERT_TRUE(store.Begin().ok());
  auto id = store.InsertInstance(inst);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store.Commit().ok());
  inst.id = *id;
  auto state = [&] {
    auto loaded = store.LoadInstanceForWrite(*id);
    return loaded.ok() ? loaded->state + "/" + std::to_string(loaded->version) : "missing";
  };
  ASSERT_EQ(state(), "s1/1");

  // Nested savepoints: the inner one rolls back, the outer one is kept.
  ASSERT_TRUE(store.Begin().ok());
  ASSERT_TRUE(store.Savepoint().ok());
  inst.state = "s2";
  inst.version = 2;
  inst.data.Set("k", "v");
  ASSERT_TRUE(store.UpdateInstance(inst).ok());
  ASSERT_TRUE(store.Savepoint().ok());
  inst.state = "s3";
  inst.version = 3;
  ASSERT_TRUE(store.UpdateInstance(inst).ok());
  // No load in between: the rollback itself must drop s3 from the cache.
  ASSERT_TRUE(store.RollbackToSavepoint().ok());
  ASSERT_TRUE(store.ReleaseSavepoint().ok());
  EXPECT_EQ(state(), "s2/2");
  ASSERT_TRUE(store.ReleaseSavepoint().ok());
  // A new instance inserted in a savepoint that rolls back is gone from the cache too.
  ASSERT_TRUE(store.Savepoint().ok());
  auto doomed = store.InsertInstance(inst);
  ASSERT_TRUE(doomed.ok());
  ASSERT_TRUE(store.LoadInstanceForWrite(*doomed).ok());
  ASSERT_TRUE(store.RollbackToSavepoint().ok());
  ASSERT_TRUE(store.ReleaseSavepoint().ok());
  EXPECT_EQ(store.LoadInstanceForWrite(*doomed).status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(store.Commit().ok());
  EXPECT_EQ(state(), "s2/2");
  auto read = store.GetInstance(*id);  // the file, through a reader
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->state, "s2");
  EXPECT_EQ(read->data.GetString("k"), "v");

  // A whole transaction rolled back restores every entry it wrote.
  ASSERT_TRUE(store.Begin().ok());
  ASSERT_TRUE(store.Savepoint().ok());
  inst.state = "s4";
  inst.version = 4;
  ASSERT_TRUE(store.UpdateInstance(inst).ok());
  ASSERT_TRUE(store.ReleaseSavepoint().ok());
  ASSERT_TRUE(store.Rollback().ok());
  EXPECT_EQ(state(), "s2/2");

  // A reopened store reads the file, so a change made while it was closed is seen.
  opened->reset();
  EXPECT_EQ(Exec(path, "UPDATE instances SET state = 's9' WHERE id = " + std::to_string(*id)), "");
  auto again = db::SqliteStore::Open(path);
  ASSERT_TRUE(again.ok());
  auto loaded = (*again)->LoadInstanceForWrite(*id);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->state, "s9");
  EXPECT_EQ(loaded->data.GetString("k"), "v");
}

TEST(SqliteStore, RaisedCounterContinuesAboveTheRaisedValueAndIsNeverLowered) {
  TempDir dir;
  auto store = db::SqliteStore::Open(dir.File("c.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Begin().ok());
  ASSERT_TRUE((*store)->RaiseCounter("resolution/2026", 7).ok());  // a counter not used yet
  EXPECT_EQ(*(*store)->NextCounter("resolution/2026"), 8);
  ASSERT_TRUE((*store)->RaiseCounter("resolution/2026", 3).ok());
  EXPECT_EQ(*(*store)->NextCounter("resolution/2026"), 9);
  EXPECT_EQ(*(*store)->NextCounter("resolution/2027"), 1);
  ASSERT_TRUE((*store)->Commit().ok());
}

// DESIGN 3.2: one writer. A second read-write open of the same file, from this process or
// another, is refused while the first is open; readers are not.
TEST(WriterLock, ASecondWriterIsRefusedNamingTheHolderUntilTheFirstCloses) {
  TempDir dir;
  const std::string path = dir.File("one.db");
  auto first = db::SqliteStore::Open(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = db::SqliteStore::Open(path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(second.status().message().find("database " + path +
                                           " is in use by another rsoflow process (pid " +
                                           std::to_string(getpid()) + ")"),
            std::string::npos)
      << second.status().message();
  EXPECT_TRUE(db::SqliteStore::OpenReadOnly(path).ok());
  first->reset();
  auto third = db::SqliteStore::Open(path);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(SqliteStore, ReadOnlyOpenRefusesAMissingFileOrAForeignOneAndChangesNothing) {
  TempDir dir;
  auto missing = db::SqliteStore::OpenReadOnly(dir.File("typo.db"));
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.File("typo.db")));
  auto in_missing_dir = db::SqliteStore::OpenReadOnly(dir.File("no/such/dir.db"));
  EXPECT_EQ(in_missing_dir.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.File("no")));

  { std::ofstream(dir.File("notes.db")) << "some text that is not SQLite at all\n"; }
  auto garbage = db::SqliteStore::OpenReadOnly(dir.File("notes.db"));
  EXPECT_EQ(garbage.status().code(), Status::Code::kInvalidRequest);
  EXPECT_NE(garbage.status().message().find("not an rsoflow database"), std::string::npos);

  ASSERT_EQ(Exec(dir.File("other.db"), "CREATE TABLE t (x)"), "");  // SQLite, but not ours
  auto foreign = db::SqliteStore::OpenReadOnly(dir.File("other.db"));
  EXPECT_EQ(foreign.status().code(), Status::Code::kInvalidRequest);
  EXPECT_NE(foreign.status().message().find("no schema_version"), std::string::npos);

  // An older schema is read as it is: no migration is applied.
  const std::string old = dir.File("old.db");
  ASSERT_EQ(Exec(old, std::string(db::Migrations()[0].sql) +
                          "; CREATE TABLE schema_version (version INTEGER NOT NULL);"
                          " INSERT INTO schema_version VALUES (1);"),
            "");
  auto opened = db::SqliteStore::OpenReadOnly(old);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->schema_version(), 1);
  EXPECT_TRUE((*opened)->ForEachAudit(0, [](const AuditEntry&) { return true; }).ok());
  opened->reset();
  EXPECT_EQ(QueryFile(old, "SELECT MAX(version) FROM schema_version"), "1");
}

// /readyz rests on Ping: it must fail when the database is gone, not answer from memory.
TEST(SqliteStore, PingFailsOnceTheFileIsRemovedOrReplaced) {
  TempDir dir;
  const std::string path = dir.File("ready.db");
  auto store = db::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->Ping());
  ASSERT_EQ(std::remove(path.c_str()), 0);
  EXPECT_FALSE((*store)->Ping());
  { std::ofstream(path) << "garbage"; }
  EXPECT_FALSE((*store)->Ping());
}

TEST(SqliteStore, PingReadsTheSchemaFromTheFile) {
  TempDir dir;
  const std::string path = dir.File("ready.db");
  auto store = db::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->Ping());  // a pooled reader now exists
  ASSERT_EQ(Exec(path, "DROP TABLE schema_version"), "");
  EXPECT_FALSE((*store)->Ping());
}

}  // namespace
}  // namespace rsoflow::testing
