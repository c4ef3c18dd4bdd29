#include "tests/support/harness.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>

#include "api/labels.h"
#include "engine/audit_walk.h"
#include "tests/support/test_workflow.h"
#include "workflows/registry.h"

namespace rsoflow::testing {

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "rsoflow-test-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Harness::Harness(bool with_timers) : db_path(dir.File("rsoflow.db")) {
  RegisterWorkflows(registry);
  registry.Add(std::make_unique<CounterWorkflow>());
  Open(with_timers);
}

Harness::~Harness() { Close(); }

void Harness::Open(bool with_timers) {
  auto s = db::SqliteStore::Open(db_path);
  if (!s.ok()) throw std::runtime_error(s.status().ToString());
  store = std::move(s).value();
  engine = std::make_unique<Engine>(*store, clock, registry);
  Status st = engine->Start();
  if (!st.ok()) throw std::runtime_error(st.ToString());
  if (with_timers) {
    scheduler = std::make_unique<TimerScheduler>(*engine, clock);
    scheduler->Start();
  }
}

void Harness::Close() {
  if (scheduler) scheduler->Stop();
  scheduler.reset();
  if (engine) engine->Stop();
  engine.reset();
  store.reset();
}

void Harness::Restart(bool with_timers) {
  Close();
  Open(with_timers);
}

Actor Harness::AddUser(const std::string& username, const std::string& role,
                       const std::string& rso_id, std::vector<std::string> affiliated) {
  UserRecord u;
  u.username = username;
  u.display_name = username;
  u.role = role;
  u.rso_id = rso_id;
  u.affiliated_rso_ids = affiliated;
  u.password_hash = "test";
  u.created_at = clock.NowMs();
  auto id = engine
                ->SubmitJob([u](Store& s) -> Result<Json> {
                  auto r = s.InsertUser(u);
                  if (!r.ok()) return r.status();
                  return Json(*r);
                })
                .get();
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return Actor{id.ok() ? id->AsString() : "", username, role, rso_id, affiliated};
}

void ExpectCodedReasons(const WorkflowRegistry& registry, const Status& s) {
  if (s.code() != Status::Code::kGuardFailed) return;
  EXPECT_EQ(s.reason_codes().size(), s.reasons().size()) << s.ToString();
  for (const char* lang : {"en", "ru"}) {
    const Json catalogue = api::LabelCatalogue(registry, lang);
    const Json* labels = catalogue.Get("reasons");
    for (const std::string& code : s.reason_codes()) {
      bool snake = !code.empty() && std::islower(static_cast<unsigned char>(code[0]));
      for (char ch : code) {
        const auto c = static_cast<unsigned char>(ch);
        snake = snake && (std::islower(c) || std::isdigit(c) || ch == '_');
      }
      EXPECT_TRUE(snake) << "reason code '" << code << "' of " << s.ToString();
      EXPECT_FALSE(labels->GetString(code).empty())
          << "reason code '" << code << "' has no " << lang << " label (" << s.ToString() << ")";
    }
  }
}

Result<CommandResult> Harness::Start(const std::string& workflow, const Actor& actor, Json data,
                                     const std::string& rso_id, int64_t subject_id) {
  Command c;
  c.start_workflow = workflow;
  c.event = "create";
  c.actor = actor;
  c.data = std::move(data);
  c.rso_id = rso_id;
  c.subject_id = subject_id;
  auto r = engine->Execute(std::move(c));
  ExpectCodedReasons(engine->registry(), r.status());
  return r;
}

Result<CommandResult> Harness::Fire(int64_t instance_id, const std::string& event,
                                    const Actor& actor, Json data, const std::string& comment) {
  Command c;
  c.instance_id = instance_id;
  c.event = event;
  c.actor = actor;
  c.data = std::move(data);
  c.comment = comment;
  auto r = engine->Execute(std::move(c));
  ExpectCodedReasons(engine->registry(), r.status());
  return r;
}

Instance Harness::Load(int64_t id) {
  auto i = store->GetInstance(id);
  EXPECT_TRUE(i.ok()) << i.status().ToString();
  return i.ok() ? *i : Instance{};
}

std::vector<AuditEntry> Harness::History(int64_t id) {
  auto h = store->InstanceHistory(id, 0, -1);
  EXPECT_TRUE(h.ok());
  return h.ok() ? *h : std::vector<AuditEntry>{};
}

int64_t Harness::AuditCount() { return std::stoll(QueryText("SELECT COUNT(*) FROM audit")); }

AuditVerifyResult Harness::VerifyAudit() {
  AuditVerifier v;
  Status st = store->ForEachAudit(0, [&](const AuditEntry& e) { return v.Add(e); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  const AuditVerifyResult walked = v.Finish();
  // The server's and the command line's walk (engine/audit_walk.h), on the calling thread and
  // on three threads in pages of two (so a chain of ten spans several pages and threads), must
  // give the same verdict on every chain, tampered or not.
  for (int threads : {0, 3}) {
    AuditWalkOptions o;
    o.threads = threads;
    o.page = 2;
    auto r = VerifyStoredAudit(*store, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) continue;
    EXPECT_EQ(r->ok, walked.ok) << threads << " threads";
    EXPECT_EQ(r->entries, walked.entries) << threads << " threads";
    EXPECT_EQ(r->head.seq, walked.head.seq) << threads << " threads";
    EXPECT_EQ(r->head.hash, walked.head.hash) << threads << " threads";
    EXPECT_EQ(r->first_bad_seq, walked.first_bad_seq) << threads << " threads";
    EXPECT_EQ(r->problem, walked.problem) << threads << " threads";
  }
  return walked;
}

std::string QueryFile(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

std::string Harness::QueryText(const std::string& sql) { return QueryFile(db_path, sql); }

Json J(const std::string& text) {
  JsonParseError err;
  auto j = ParseJson(text, &err);
  EXPECT_TRUE(j.has_value()) << "bad test JSON: " << err.message << " in " << text;
  return j ? *j : Json();
}

}  // namespace rsoflow::testing
