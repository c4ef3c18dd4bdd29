// The hash chain on entries built in memory: canonical bodies, linking, and the verifier's
// verdict for each kind of tampering.
#include <gtest/gtest.h>

#include "engine/audit.h"
#include "engine/sha256.h"

namespace rsoflow {
namespace {

std::vector<AuditEntry> Chain(int n) {
  std::vector<AuditEntry> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.seq = i;
    e.at = 1772442000000 + i;
    e.instance_id = 7;
    e.workflow = "council_ballot";
    e.event = "vote";
    e.from_state = "open";
    e.to_state = "open";
    e.actor_user_id = "3";
    e.actor_username = "council.kebs";
    e.actor_role = "council";
    e.data.Set("choice", i % 2 ? "approve" : "reject");
    e.prev_hash = prev;
    e.hash = audit::ComputeHash(e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

AuditVerifyResult Verify(const std::vector<AuditEntry>& entries) {
  AuditVerifier v;
  for (const auto& e : entries) v.Add(e);
  return v.Finish();
}

TEST(AuditChain, HashIsSha256OfPrevHashAndTheCanonicalBody) {
  auto chain = Chain(1);
  EXPECT_EQ(chain[0].hash, Sha256Hex(kGenesisHash + audit::CanonicalBody(chain[0])));
  const std::string body = audit::CanonicalBody(chain[0]);
  EXPECT_EQ(body.find(' '), std::string::npos);
  EXPECT_LT(body.find("\"actor_role\""), body.find("\"at\""));  // keys sorted
  EXPECT_NE(body.find("\"at\":\"2026-03-02T09:00:00.001Z\""), std::string::npos);
}

// CanonicalBody is written field by field; it must stay byte for byte the canonical Dump() of
// the entry's object form, or every stored chain would stop verifying.
TEST(AuditChain, CanonicalBodyIsTheDumpOfTheEntryObject) {
  auto chain = Chain(2);
  AuditEntry odd = chain[1];
  odd.actor_user_id = "";
  odd.from_state = "";
  odd.comment =
      "quote \" backslash \\ newline \n tab \t nul-free \x01 \xc3\xa9t\xc3\xa9 \xf0\x9f\x97\xb3";
  odd.request_id = "req-1";
  odd.idempotency_key = "key/1";
  odd.client_ip = "127.0.0.1";
  odd.on_behalf_of = "9";
  odd.instance_id = -3;
  odd.seq = 9007199254740993;
  odd.data.Set("nested", Json::MakeArray());
  odd.data.Set("n", 1.5);
  odd.data.Set("z", Json());
  AuditEntry salted = odd;
  salted.salt = "00112233445566778899aabbccddeeff";
  AuditEntry with_token = salted;
  with_token.token_id = "42";
  with_token.token_issued_by = "7";
  for (const AuditEntry& e : {chain[0], chain[1], odd, salted, with_token}) {
    Json j = audit::ToJson(e);
    j.Erase("prev_hash");
    j.Erase("hash");
    EXPECT_EQ(audit::CanonicalBody(e), j.Dump());
  }
}

// Entries written before the salt (migration 0005) have none and hash exactly as they were
// written: no "salt" key. A salted entry hashes its salt, so the same content under another
// salt hashes differently and cannot be recomputed without it.
TEST(AuditChain, ASaltIsHashedWhenPresentAndOlderEntriesHashAsBefore) {
  auto chain = Chain(3);
  EXPECT_EQ(audit::CanonicalBody(chain[0]).find("salt"), std::string::npos);
  // The hash of the first entry as every build before the salt computed it.
  EXPECT_EQ(chain[0].hash, Sha256Hex(kGenesisHash + audit::CanonicalBody(chain[0])));
  AuditEntry a = chain[1], b = chain[1];
  a.salt = std::string(32, 'a');
  b.salt = std::string(32, 'b');
  EXPECT_NE(audit::ComputeHash(a), audit::ComputeHash(b));
  EXPECT_NE(audit::ComputeHash(a), chain[1].hash);
  EXPECT_LT(audit::CanonicalBody(a).find("\"request_id\""),
            audit::CanonicalBody(a).find("\"salt\""));
  // A chain mixing unsalted (old) and salted (new) entries verifies; an edited salt does not.
  chain[2].salt = std::string(32, 'c');
  chain[2].hash = audit::ComputeHash(chain[2]);
  EXPECT_TRUE(Verify(chain).ok);
  chain[2].salt = std::string(32, 'd');
  EXPECT_EQ(Verify(chain).first_bad_seq, 3);
}

// Issue 17, finding 2: an entry made with a token since migration 0006 hashes the token's id
// and its issuer, so neither can be changed or removed unseen; older entries (and the
// engine's own, made with no token) have neither key and hash as before.
TEST(AuditChain, TheTokenAndItsIssuerAreHashedWhenPresentAndOlderEntriesHashAsBefore) {
  auto chain = Chain(3);
  EXPECT_EQ(audit::CanonicalBody(chain[0]).find("token"), std::string::npos);
  chain[1].salt = std::string(32, 'a');
  chain[1].hash = audit::ComputeHash(chain[1]);
  chain[2].prev_hash = chain[1].hash;
  chain[2].salt = std::string(32, 'b');
  chain[2].token_id = "42";
  chain[2].token_issued_by = "7";
  chain[2].hash = audit::ComputeHash(chain[2]);
  const std::string body = audit::CanonicalBody(chain[2]);
  EXPECT_NE(body.find("\"token_id\":\"42\",\"token_issued_by\":\"7\""), std::string::npos);
  EXPECT_TRUE(Verify(chain).ok);
  for (auto edit : {+[](AuditEntry& e) { e.token_issued_by = "3"; },
                    +[](AuditEntry& e) { e.token_issued_by.clear(); },
                    +[](AuditEntry& e) { e.token_id = "43"; }}) {
    auto edited = chain;
    edit(edited[2]);
    EXPECT_EQ(Verify(edited).first_bad_seq, 3);
  }
}

TEST(AuditChain, CleanChainVerifiesAndReportsItsHead) {
  auto chain = Chain(10);
  auto r = Verify(chain);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.entries, 10);
  EXPECT_EQ(r.head.seq, 10);
  EXPECT_EQ(r.head.hash, chain.back().hash);
  EXPECT_FALSE(r.first_bad_seq.has_value());
}

TEST(AuditChain, EmptyChainVerifiesWithTheGenesisHead) {
  auto r = Verify({});
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.head.seq, 0);
  EXPECT_EQ(r.head.hash, kGenesisHash);
}

TEST(AuditChain, EditedFieldIsReportedAtItsSeq) {
  auto chain = Chain(10);
  chain[5].data.Set("choice", "approve");  // seq 6 was "reject"
  auto r = Verify(chain);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6);
}

TEST(AuditChain, DeletedEntryIsReportedAsTheMissingSeq) {
  auto chain = Chain(10);
  chain.erase(chain.begin() + 3);  // seq 4
  EXPECT_EQ(Verify(chain).first_bad_seq, 4);
}

TEST(AuditChain, SwappedEntriesAreReportedAtTheFirstOfThem) {
  auto chain = Chain(10);
  std::swap(chain[2], chain[3]);
  EXPECT_EQ(Verify(chain).first_bad_seq, 3);
}

TEST(AuditChain, RenumberedSwapIsReportedAtTheFirstOfThem) {
  auto chain = Chain(10);
  std::swap(chain[2], chain[3]);
  chain[2].seq = 3;
  chain[3].seq = 4;
  EXPECT_EQ(Verify(chain).first_bad_seq, 3);
}

TEST(AuditChain, EntryRehashedAfterEditingStillBreaksTheNextLink) {
  auto chain = Chain(10);
  chain[4].comment = "forged";
  chain[4].hash = audit::ComputeHash(chain[4]);  // a forger recomputes this entry's hash
  EXPECT_EQ(Verify(chain).first_bad_seq, 6);
}

// Someone with the file cuts off the last entries, or rewrites them and recomputes every hash
// after: the chain verifies on its own, but not against a head exported before.
TEST(AuditChain, ATailCutOffOrRewrittenIsCaughtAgainstAnEarlierHead) {
  const auto chain = Chain(10);
  const AuditHead exported{8, chain[7].hash};
  auto against = [&](const std::vector<AuditEntry>& entries) {
    AuditVerifier v;
    v.ExpectHead(exported);
    for (const auto& e : entries) v.Add(e);
    return v.Finish();
  };
  EXPECT_TRUE(against(chain).ok);

  const std::vector<AuditEntry> cut(chain.begin(), chain.begin() + 6);
  ASSERT_TRUE(Verify(cut).ok);
  auto r = against(cut);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 7);
  EXPECT_NE(r.problem.find("before the exported head's seq 8"), std::string::npos) << r.problem;

  auto rewritten = chain;
  rewritten[6].data.Set("choice", "abstain");  // seq 7, then every hash after it recomputed
  for (size_t i = 6; i < rewritten.size(); ++i) {
    rewritten[i].prev_hash = rewritten[i - 1].hash;
    rewritten[i].hash = audit::ComputeHash(rewritten[i]);
  }
  ASSERT_TRUE(Verify(rewritten).ok);
  r = against(rewritten);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 8);
  EXPECT_NE(r.problem.find("rewritten"), std::string::npos) << r.problem;
}

// Found by the fuzz target fuzz_audit_export (tests/fuzz/corpus/audit_export/seq_zero): an
// entry numbered 0 or below was reported as "BROKEN at seq 0", an entry no one can look up.
TEST(AuditChain, AnEntryNumberedZeroOrBelowIsReportedAtTheSeqExpectedThere) {
  for (int64_t bad : {int64_t{0}, int64_t{-5}}) {
    auto chain = Chain(3);
    chain[1].seq = bad;
    const AuditVerifyResult r = Verify(chain);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 2) << bad;
    EXPECT_NE(r.problem.find("not a positive number"), std::string::npos) << r.problem;
  }
  auto first = Chain(1);
  first[0].seq = 0;
  EXPECT_EQ(Verify(first).first_bad_seq, 1);
}

TEST(AuditChain, AnExportedHeadIsParsedOnlyAsASeqAndSixtyFourHexDigits) {
  const std::string hash(64, 'a');
  ASSERT_TRUE(ParseAuditHead("12", hash).has_value());
  EXPECT_EQ(ParseAuditHead("12", hash)->seq, 12);
  EXPECT_EQ(ParseAuditHead("12", hash)->hash, hash);
  EXPECT_FALSE(ParseAuditHead("0", hash).has_value());
  EXPECT_FALSE(ParseAuditHead("-1", hash).has_value());
  EXPECT_FALSE(ParseAuditHead("1x", hash).has_value());
  EXPECT_FALSE(ParseAuditHead("", hash).has_value());
  EXPECT_FALSE(ParseAuditHead("12", std::string(63, 'a')).has_value());
  EXPECT_FALSE(ParseAuditHead("12", std::string(64, 'A')).has_value());
}

}  // namespace
}  // namespace rsoflow
