// The writer's VFS (db/wal_vfs.h): a commit's WAL frames reach the file system in one write,
// and what SQLite reads back, what another connection sees and what survives a reopen are
// exactly what was committed, for transactions small and large, committed and rolled back.
#include "db/wal_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "db/sqlite_store.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

class WalVfsTest : public ::testing::Test {
 protected:
  sqlite3* Open(const char* vfs) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
              SQLITE_OK);
    return db;
  }
  static void Exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
  }
  static std::string One(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }
  void SetUp() override {
    path = dir.File("vfs.db");
    writer = Open(db::CoalescingWalVfs());
    Exec(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(k, v);");
  }
  void TearDown() override { sqlite3_close(writer); }
  // After a failed transaction: once it is rolled back, the next commit goes through, and the
  // file holds the row committed before the failure and that one, nothing else.
  void ExpectTheNextCommitAloneJoinsTheKeptRow() {
    if (!sqlite3_get_autocommit(writer)) Exec(writer, "ROLLBACK;");
    Exec(writer, "INSERT INTO t VALUES (2, 'after');");
    const std::string all = "SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY k)";
    sqlite3* reader = Open(nullptr);
    EXPECT_EQ(One(reader, all), "kept,after");
    EXPECT_EQ(One(reader, "PRAGMA integrity_check"), "ok");
    sqlite3_close(reader);
    sqlite3_close(writer);
    writer = Open(db::CoalescingWalVfs());  // recovery reads the WAL from the file
    EXPECT_EQ(One(writer, all), "kept,after");
    EXPECT_EQ(One(writer, "PRAGMA integrity_check"), "ok");
  }

  TempDir dir;
  std::string path;
  sqlite3* writer = nullptr;
};

TEST_F(WalVfsTest, ACommitOfManyFramesIsOneWrite) {
  Exec(writer, "INSERT INTO t VALUES (0, 'x');");  // writes (and syncs) the WAL header first
  // 20 rows of 3 000 bytes, a page each: 20 frames, 40 writes from SQLite, 82 KiB.
  const db::WalWriteCounts before = db::WalWrites();
  Exec(writer,
       "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) "
       "INSERT INTO t SELECT i, randomblob(3000) FROM n; COMMIT;");
  const db::WalWriteCounts after = db::WalWrites();
  EXPECT_GE(after.writes_from_sqlite - before.writes_from_sqlite, 40u);
  EXPECT_EQ(after.writes_to_disk - before.writes_to_disk, 1u);
}

TEST_F(WalVfsTest, WhatCommitsIsWhatAnotherConnectionAndAReopenSee) {
  Exec(writer, "INSERT INTO t VALUES (1, 'one'); INSERT INTO t VALUES (2, 'two');");
  sqlite3* reader = Open(nullptr);  // the default VFS, as the server's readers use
  EXPECT_EQ(One(reader, "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY k)"),
            "one,two");
  sqlite3_close(reader);
  sqlite3_close(writer);
  writer = Open(db::CoalescingWalVfs());
  EXPECT_EQ(One(writer, "SELECT count(*) FROM t"), "2");
  EXPECT_EQ(One(writer, "PRAGMA integrity_check"), "ok");
}

// Larger than one write of the real VFS (124 KiB) and than what is gathered at once (8 MiB):
// SQLite's unix VFS answers SQLITE_FULL to a single write of more than 128 KiB.
TEST_F(WalVfsTest, ATransactionOfTwelveMegabytesCommitsWhole) {
  Exec(writer, "PRAGMA cache_size=-65536;");
  Exec(writer,
       "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
       "INSERT INTO t SELECT i, randomblob(4000) FROM n; COMMIT;");
  sqlite3* reader = Open(nullptr);
  EXPECT_EQ(One(reader, "SELECT count(*) FROM t"), "3000");
  EXPECT_EQ(One(reader, "SELECT sum(length(v)) FROM t"), "12000000");
  EXPECT_EQ(One(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reader);
}

// A tiny page cache makes SQLite write frames before the commit and read them back while the
// transaction runs; the rollback must leave the committed row alone.
TEST_F(WalVfsTest, FramesSpilledBeforeARollbackNeverBecomeVisible) {
  Exec(writer, "INSERT INTO t VALUES (0, 'kept'); PRAGMA cache_size=10;");
  Exec(writer,
       "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
       "INSERT INTO t SELECT i, randomblob(2000) FROM n;");
  EXPECT_EQ(One(writer, "SELECT count(*) FROM t"), "501");  // read back through the VFS
  EXPECT_EQ(One(writer, "SELECT sum(length(v)) FROM t WHERE k > 0"), "1000000");
  Exec(writer, "ROLLBACK;");
  sqlite3* reader = Open(nullptr);
  EXPECT_EQ(One(reader, "SELECT group_concat(v) FROM t"), "kept");
  EXPECT_EQ(One(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reader);
}

// The disk is full while the commit's frames go down: the commit fails whole, the committed
// row stays, and the next commit goes through once the disk has room again.
TEST_F(WalVfsTest, AWriteThatFailsAtTheCommitFailsItWholeAndTheNextCommitGoesThrough) {
  Exec(writer, "INSERT INTO t VALUES (0, 'kept');");
  db::testing::FailingWalWrites full_disk(1);  // reset on any return
  EXPECT_NE(sqlite3_exec(writer, "BEGIN; INSERT INTO t VALUES (1, 'lost'); COMMIT;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_extended_errcode(writer), SQLITE_IOERR_WRITE);
  db::testing::FailWalWrites(0);
  ExpectTheNextCommitAloneJoinsTheKeptRow();
}

// The disk is full when frames spilled before the commit go down, as SQLite reads them back
// in the transaction: an I/O error (not SQLITE_FULL, which SQLite may answer by rolling back
// only the statement), so SQLite rolls back the whole transaction instead of going on without
// frames it believes written.
TEST_F(WalVfsTest, AFailedFlushOfSpilledFramesRollsTheWholeTransactionBack) {
  Exec(writer, "INSERT INTO t VALUES (0, 'kept'); PRAGMA cache_size=10;");
  Exec(writer,
       "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
       "INSERT INTO t SELECT i, randomblob(2000) FROM n;");
  db::testing::FailingWalWrites full_disk(1);  // reset on any return
  const int rc = sqlite3_exec(writer, "SELECT sum(length(v)) FROM t", nullptr, nullptr, nullptr);
  const int code = sqlite3_extended_errcode(writer);
  db::testing::FailWalWrites(0);
  EXPECT_NE(rc, SQLITE_OK);
  EXPECT_EQ(code, SQLITE_IOERR_WRITE);
  EXPECT_TRUE(sqlite3_get_autocommit(writer)) << "the transaction is still open";
  ExpectTheNextCommitAloneJoinsTheKeptRow();
}

// The frames of a commit whose sync failed are never written afterwards: written by a later
// flush (here the checkpoint's), they would sit past the WAL's last commit with valid
// checksums, and a crash before anything overwrote them would bring the failed commit back.
TEST_F(WalVfsTest, AFailedCommitNeverComesBackAtRecovery) {
  Exec(writer, "INSERT INTO t VALUES (0, 'kept');");
  db::testing::FailingWalWrites full_disk(1);  // reset on any return
  EXPECT_NE(sqlite3_exec(writer, "INSERT INTO t VALUES (1, 'lost');", nullptr, nullptr, nullptr),
            SQLITE_OK);
  db::testing::FailWalWrites(0);
  Exec(writer, "PRAGMA wal_checkpoint;");  // reads and syncs the WAL: a flush
  // The files as a crash now would leave them (no -shm: recovery reads the WAL itself).
  const std::string copy = dir.File("copy.db");
  std::filesystem::copy_file(path, copy);
  std::filesystem::copy_file(path + "-wal", copy + "-wal");
  sqlite3* recovered = nullptr;
  ASSERT_EQ(sqlite3_open_v2(copy.c_str(), &recovered, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  EXPECT_EQ(One(recovered, "SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY k)"), "kept");
  EXPECT_EQ(One(recovered, "PRAGMA integrity_check"), "ok");
  sqlite3_close(recovered);
}

TEST(WalVfsStoreTest, TheStoresWriterWritesThroughIt) {
  TempDir dir;
  auto store = db::SqliteStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const db::WalWriteCounts before = db::WalWrites();
  ASSERT_TRUE((*store)->Begin().ok());  // the migrations wrote the WAL header already
  ASSERT_TRUE((*store)->NextCounter("resolution-2026").ok());
  ASSERT_TRUE((*store)->Commit().ok());
  const db::WalWriteCounts after = db::WalWrites();
  EXPECT_GT(after.writes_from_sqlite, before.writes_from_sqlite);
  EXPECT_EQ(after.writes_to_disk - before.writes_to_disk, 1u);
}

}  // namespace
}  // namespace rsoflow::testing
