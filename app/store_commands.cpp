// The commands on the database as a whole: migrate, seed, audit verify, backup.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "app/command.h"
#include "app/runtime.h"
#include "app/seed.h"
#include "db/backup.h"
#include "engine/audit.h"
#include "engine/audit_walk.h"
#include "engine/clock.h"
#include "engine/documents.h"
#include "engine/json.h"

namespace rsoflow::app {

int RunSeed(const CommandLine& line) {
  if (!line.args.empty()) return Usage("seed", "unexpected argument " + line.args[0]);
  const std::string db = DbPath(line);
  auto empty = seed::DatabaseIsEmpty(db);
  if (!empty.ok()) return Fail(empty.status());
  if (!*empty && line.has("if_empty")) {
    std::cout << "database " << db << " already holds data; not seeded\n";
    return 0;
  }
  const std::string path = line.get("dataset", "samples/dataset.json");
  std::ifstream in(path);
  if (!in) return Fail(Status::InvalidRequest("cannot read data set " + path));
  std::stringstream text;
  text << in.rdbuf();
  JsonParseError error;
  auto dataset = ParseJson(text.str(), &error, 64);
  if (!dataset) {
    return Fail(Status::InvalidRequest(path + ": " + error.message + " at byte " +
                                       std::to_string(error.offset)));
  }
  seed::SeedOptions options;
  options.db_path = db;
  options.password = Env("RSOFLOW_DEMO_PASSWORD", "demo-password-1");
  options.pbkdf2_iterations = Pbkdf2Iterations();
  SystemClock clock;
  auto report = seed::SeedDatabase(*dataset, options, clock);
  if (!report.ok()) return Fail(report.status());
  std::cout << "seeded " << db << " from " << path << ": " << report->rsos << " RSOs, "
            << report->users << " users, " << report->iso_events << " ISO events, " << report->steps
            << " workflow steps (" << report->imported << " objects of the history imported)\n";
  for (const auto& l : report->user_lines) std::cout << "  " << l << "\n";
  return 0;
}

int RunMigrate(const CommandLine& line) {
  if (!line.args.empty()) return Usage("migrate", "unexpected argument " + line.args[0]);
  SystemClock clock;
  auto rt = Runtime::Open(DbPath(line), clock, false);
  if (!rt.ok()) return Fail(rt.status());
  std::cout << "database " << DbPath(line) << " is at schema version "
            << (*rt)->store().schema_version() << "\n";
  return 0;
}

int RunAudit(const CommandLine& line) {
  if (line.args.size() != 1 || line.args[0] != "verify") {
    return Usage("audit", "expected: audit verify");
  }
  AuditWalkOptions walk;
  if (line.has("head")) {
    const std::string head = line.get("head");
    const size_t colon = head.find(':');
    auto exported = colon == std::string::npos
                        ? std::nullopt
                        : ParseAuditHead(head.substr(0, colon), head.substr(colon + 1));
    if (!exported) {
      return Usage("audit", "--head is SEQ:HASH (a seq of at least 1, 64 lower-case hex digits)");
    }
    walk.expected_head = *exported;
  }
  const std::string from = line.get("from", "genesis");
  if (from != "genesis" && from != "checkpoint") {
    return Usage("audit", "--from is genesis (the whole chain, the default) or checkpoint");
  }
  auto store = db::SqliteStore::OpenReadOnly(DbPath(line));
  if (!store.ok()) return Fail(store.status());
  if (from == "checkpoint") {
    // As GET /audit/verify?from=checkpoint: after the head the server's last full verification
    // recorded; an earlier --head at or before it needs the full walk. Nothing is recorded here
    // (the command only reads).
    auto checkpoint = (*store)->GetAuditCheckpoint();
    if (!checkpoint.ok()) return Fail(checkpoint.status());
    if (!*checkpoint) {
      std::cout << "no checkpoint recorded yet (the server records one after each full "
                   "verification): verifying the whole chain\n";
    } else if (walk.expected_head && walk.expected_head->seq <= (*checkpoint)->seq) {
      std::cout << "--head is at or before the checkpoint (seq " << (*checkpoint)->seq
                << "): verifying the whole chain\n";
    } else {
      walk.start = **checkpoint;
    }
  }
  auto walked = VerifyStoredAudit(**store, walk);
  if (!walked.ok()) return Fail(walked.status());
  const AuditVerifyResult& r = *walked;
  if (!r.ok) {
    std::cout << "audit chain BROKEN at seq " << *r.first_bad_seq << ": " << r.problem << "\n";
    return 1;
  }
  if (walk.start.seq > 0) {
    std::cout << "audit chain ok from the checkpoint at seq " << walk.start.seq << ": " << r.entries
              << " entries after it, head seq " << r.head.seq << " hash " << r.head.hash << "\n";
  } else {
    std::cout << "audit chain ok: " << r.entries << " entries, head seq " << r.head.seq << " hash "
              << r.head.hash << "\n";
  }
  if (!line.has("documents")) return 0;
  auto docs = VerifyDocuments(**store);
  if (!docs.ok()) return Fail(docs.status());
  if (!docs->ok) {
    std::cout << "documents BROKEN at document " << docs->first_bad_document.value_or(0) << ": "
              << docs->problem << "\n";
    return 1;
  }
  std::cout << "documents ok: " << docs->documents << " checked\n";
  return 0;
}

int RunBackup(const CommandLine& line) {
  if (!line.args.empty()) return Usage("backup", "unexpected argument " + line.args[0]);
  const std::string to = line.get("to");
  if (to.empty()) return Usage("backup", "--to is required");
  auto report = db::Backup(DbPath(line), to);
  if (!report.ok()) return Fail(report.status());
  std::cout << "backup of " << DbPath(line) << " written to " << to << ": " << report->pages
            << " pages\n";
  if (report->head.seq == 0) {
    std::cout << "head none (the audit trail is empty)\n";
  } else {
    std::cout << "head " << report->head.seq << ":" << report->head.hash << "\n";
  }
  return 0;
}

}  // namespace rsoflow::app
