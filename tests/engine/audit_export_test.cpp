// An audit export (JSON Lines) read back and verified away from the server.
#include "engine/audit_export.h"

#include <gtest/gtest.h>

namespace rsoflow {
namespace {

std::string Export(int n) {
  std::string out, prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.seq = i;
    e.at = 1772442000000 + i;
    e.instance_id = 7;
    e.workflow = "council_ballot";
    e.event = "vote";
    e.from_state = i == 1 ? "" : "open";
    e.to_state = "open";
    e.actor_username = "council.kebs";
    e.actor_role = "council";
    e.comment = i == 2 ? "a \"quoted\" comment\n" : "";
    e.data.Set("choice", i % 2 ? "approve" : "reject");
    e.prev_hash = prev;
    e.hash = audit::ComputeHash(e);
    prev = e.hash;
    out += audit::ToJson(e).Dump() + "\n";
  }
  return out;
}

TEST(AuditExport, AnUntouchedExportVerifiesAndGivesItsHead) {
  const std::string jsonl = Export(5);
  const AuditVerifyResult r = audit::VerifyExport(jsonl);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 5);
  EXPECT_EQ(r.head.seq, 5);
  EXPECT_TRUE(audit::VerifyExport(jsonl, r.head).ok);
  EXPECT_TRUE(audit::VerifyExport(jsonl.substr(0, jsonl.size() - 1)).ok) << "no final newline";
}

TEST(AuditExport, AnEditedLineFailsAtItsSeq) {
  std::string jsonl = Export(5);
  const size_t at = jsonl.find("reject");
  jsonl.replace(at, 6, "accept");
  const AuditVerifyResult r = audit::VerifyExport(jsonl);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
}

TEST(AuditExport, ALineThatIsNotAnEntryFailsAtTheSeqItShouldHold) {
  std::string jsonl = Export(3);
  const size_t second = jsonl.find('\n') + 1;
  const std::string broken =
      jsonl.substr(0, second) + "{\"seq\": 2}\n" + jsonl.substr(jsonl.find('\n', second) + 1);
  AuditVerifyResult r = audit::VerifyExport(broken);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
  EXPECT_NE(r.problem.find("not an audit entry"), std::string::npos) << r.problem;
  r = audit::VerifyExport(jsonl.substr(0, second) + "not json\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2);
}

TEST(AuditExport, ATimeWrittenAnotherWayIsAnotherEntry) {
  std::string jsonl = Export(1);
  const size_t at = jsonl.find("2026-03-02T09:00:00.001Z");
  ASSERT_NE(at, std::string::npos);
  jsonl.replace(at, 24, "2026-03-02T10:00:00.001+01:00");
  const AuditVerifyResult r = audit::VerifyExport(jsonl);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("at must be"), std::string::npos) << r.problem;
}

TEST(AuditExport, ACutTailFailsAgainstAnEarlierHead) {
  const AuditVerifyResult whole = audit::VerifyExport(Export(4));
  ASSERT_TRUE(whole.ok);
  const AuditVerifyResult cut = audit::VerifyExport(Export(3), whole.head);
  EXPECT_FALSE(cut.ok);
  EXPECT_EQ(cut.first_bad_seq, 4);
}

}  // namespace
}  // namespace rsoflow
