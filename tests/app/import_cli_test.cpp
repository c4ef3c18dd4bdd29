// `rsoflow import FILE`: the historical import from the command line, as a user would run it.
// A refused object is named by its line in FILE and its field, and nothing is written.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "tests/app/cli_run.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

int64_t Count(const std::string& db, const std::string& table) {
  sqlite3* h = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT COUNT(*) FROM " + table;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return n;
}

std::string Write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.File(name);
  std::ofstream(path) << text;
  return path;
}

// Line 9 holds the second RSO's recognized_on.
const char* kFile = R"({
  "rsos": [
    {"acronym": "SARSO", "name": "South Asian Regional Standards Organisation",
     "kind": "sub_regional", "region": "Asia-Pacific", "member_bodies": ["BD", "IN"],
     "statutes_ref": "SAARC", "recognized_on": "2015-09-18", "resolution": "24/2015"},
    {"acronym": "CEN", "name": "European Committee for Standardization",
     "kind": "regional", "region": "Europe & Central Asia",
     "member_bodies": ["AT", "BE"], "statutes_ref": "CEN Statutes",
     "recognized_on": "RECOGNIZED"}
  ]
}
)";

std::string File(const std::string& recognized_on) {
  std::string text = kFile;
  return text.replace(text.find("RECOGNIZED"), 10, recognized_on);
}

TEST(ImportCli, HelpSaysWhatTheImportDoesAndExitsZero) {
  CliRun r = Rsoflow("import --help");
  EXPECT_EQ(r.code, 0) << r.out;
  for (const char* text : {"import FILE [--db PATH]", "--db", "effective_on", "actor system",
                           "nothing is", "POST /api/v1/import"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  }
  EXPECT_NE(Rsoflow("--help").out.find("rsoflow import"), std::string::npos);
}

TEST(ImportCli, AMalformedObjectIsNamedByItsLineAndFieldAndNothingIsWritten) {
  TempDir dir;
  const std::string db = dir.File("x.db");
  ASSERT_EQ(Rsoflow("migrate --db " + db).code, 0);
  const std::string file = Write(dir, "history.json", File("2015-31-01"));
  CliRun r = Rsoflow("import " + file + " --db " + db);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(file + ":9: invalid_request"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("field: rsos[1].recognized_on"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nothing was imported"), std::string::npos) << r.out;
  EXPECT_EQ(Count(db, "audit"), 0);
  EXPECT_EQ(Count(db, "records"), 0);
  EXPECT_EQ(Count(db, "resolutions"), 0);
}

TEST(ImportCli, AFileThatIsNotJsonIsNamedByItsLine) {
  TempDir dir;
  const std::string file = Write(dir, "broken.json", "{\n  \"rsos\": [\n    {,\n  ]\n}\n");
  CliRun r = Rsoflow("import " + file + " --db " + dir.File("x.db"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(file + ":3: not JSON"), std::string::npos) << r.out;
  EXPECT_EQ(Rsoflow("import --db " + dir.File("x.db")).code, 2);  // no FILE
  EXPECT_EQ(Rsoflow("import " + dir.File("missing.json")).code, 2);
}

TEST(ImportCli, AFileIsImportedOnceAsSystemAndASecondRunIsRefused) {
  TempDir dir;
  const std::string db = dir.File("x.db");
  const std::string file = Write(dir, "history.json", File("1975-05-15"));
  CliRun r = Rsoflow("import " + file + " --db " + db);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("imported 2 objects"), std::string::npos) << r.out;
  EXPECT_EQ(Count(db, "audit WHERE event = 'import' AND actor_role = 'system'"), 2);
  EXPECT_EQ(Count(db, "resolutions WHERE source = 'import'"), 1);
  CliRun again = Rsoflow("import " + file + " --db " + db);
  EXPECT_EQ(again.code, 2) << again.out;
  EXPECT_NE(again.out.find(file + ":3: duplicate: rsos[0] (SARSO) was imported before"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(Count(db, "audit"), 2);
  EXPECT_EQ(Count(db, "resolutions"), 1);
}

}  // namespace
}  // namespace rsoflow::testing
