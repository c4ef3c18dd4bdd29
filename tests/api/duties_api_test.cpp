// Separation of duties (issue 17, finding 2): an admin who mints a token for a Council member
// cannot vote or recuse with it; every entry names the token or session that made it and its
// issuer; issuing and revoking tokens, creating users and every change to one are entries of
// the audit chain, which still verifies (on the server and from its export).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/audit_export.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class DutiesApiTest : public ApiTest {
 protected:
  // An API token an admin issues for `who` through the API: {id, token}.
  std::pair<std::string, std::string> AdminIssues(const Persona& who) {
    HttpReply r = Post("/api/v1/users/" + who.user_id + "/tokens", admin.token,
                       J(R"({"name":"integration"})"));
    EXPECT_EQ(r.status, 201) << r.body;
    return {r.json().GetString("id"), r.json().GetString("token")};
  }
  std::string Login(const Persona& who) {
    Json body = Json::MakeObject();
    body.Set("username", who.username);
    body.Set("password", who.password);
    HttpReply r = Post("/api/v1/auth/login", "", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().GetString("token");
  }
  // Every entry of GET /api/v1/audit (as the auditor) after `after_seq`.
  std::vector<Json> Entries(int64_t after_seq = 0) {
    HttpReply r =
        Get("/api/v1/audit?limit=200&after_seq=" + std::to_string(after_seq), auditor.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().Get("items")->AsArray() : std::vector<Json>{};
  }
  // The one entry with this event after `after_seq` (a test failure unless exactly one).
  Json Entry(const std::string& event, int64_t after_seq) {
    std::vector<Json> found;
    for (const Json& e : Entries(after_seq)) {
      if (e.GetString("event") == event) found.push_back(e);
    }
    EXPECT_EQ(found.size(), 1u) << event;
    return found.empty() ? Json::MakeObject() : found[0];
  }
  static std::vector<std::string> Codes(const HttpReply& r) {
    std::vector<std::string> out;
    if (const Json* c = r.json().Get("reason_codes"); c != nullptr && c->is_array()) {
      for (const Json& x : c->AsArray()) out.push_back(x.AsString());
    }
    return out;
  }
};

TEST_F(DutiesApiTest, ATokenAnAdminIssuedForACouncilMemberCannotVoteOrRecuse) {
  const std::string ballot = CreateBallot();
  const auto [token_id, token] = AdminIssues(council);
  const int64_t entries = AuditCount();
  const int64_t version = Get("/api/v1/instances/" + ballot, sec.token).json().GetInt("version");
  for (auto [event, data] :
       {std::pair{"vote", J(R"({"choice":"approve"})")}, std::pair{"recuse", Json::MakeObject()}}) {
    HttpReply r = Fire(ballot, token, event, data, "on behalf of nobody");
    EXPECT_EQ(r.status, 403) << event << ": " << r.body;
    EXPECT_EQ(r.code(), "forbidden") << event;
    EXPECT_EQ(Codes(r), std::vector<std::string>{"token_not_own"}) << event;
    EXPECT_EQ(r.json().Get("reasons")->size(), 1u) << event;
    EXPECT_NE(r.json().GetString("detail").find("user " + admin.user_id), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(AuditCount(), entries);  // nothing recorded
  EXPECT_EQ(Get("/api/v1/instances/" + ballot, sec.token).json().GetInt("version"), version);
  // The token still reads, as an integration's would; the member's own credentials vote.
  EXPECT_EQ(Get("/api/v1/instances/" + ballot, token).status, 200);
  HttpReply own = Fire(ballot, Login(council), "vote", J(R"({"choice":"approve"})"));
  EXPECT_EQ(own.status, 200) << own.body;
}

// The token the user obtained itself (a login's session, or the fixture's own token) votes,
// and the entry names it with the member as its issuer.
TEST_F(DutiesApiTest, AVoteNamesTheSessionThatCastItAndItsIssuer) {
  const std::string ballot = CreateBallot();
  const int64_t before = AuditCount();
  const std::string session = Login(council);
  HttpReply vote = Fire(ballot, session, "vote", J(R"({"choice":"reject"})"));
  ASSERT_EQ(vote.status, 200) << vote.body;
  const Json entry = Entry("vote", before);
  const Json& actor = *entry.Get("actor");
  EXPECT_EQ(actor.GetString("user_id"), council.user_id);
  EXPECT_EQ(actor.GetString("token_issued_by"), council.user_id);
  HttpReply tokens = Get("/api/v1/users/" + council.user_id + "/tokens", admin.token);
  std::string session_id;
  for (const Json& t : tokens.json().Get("items")->AsArray()) {
    if (t.GetString("kind") == "session") session_id = t.GetString("id");
  }
  EXPECT_EQ(actor.GetString("token_id"), session_id);
}

// The admin's tokens for others serve integrations: any event but the Council's, each entry
// naming the token and the admin who issued it.
TEST_F(DutiesApiTest, ATokenAnAdminIssuedServesOtherEventsAndTheEntryNamesTokenAndIssuer) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  const auto [token_id, token] = AdminIssues(sec);
  const int64_t before = AuditCount();
  HttpReply r = Fire(rec, token, "submit");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json entry = Entry("submit", before);
  EXPECT_EQ(entry.GetString("instance_id"), rec);
  EXPECT_EQ(entry.Get("actor")->GetString("username"), sec.username);
  EXPECT_EQ(entry.Get("actor")->GetString("token_id"), token_id);
  EXPECT_EQ(entry.Get("actor")->GetString("token_issued_by"), admin.user_id);
}

TEST_F(DutiesApiTest, IssuingAndRevokingATokenAreAuditedWithTheSubjectAndTheIssuer) {
  const int64_t before = AuditCount();
  const auto [token_id, token] = AdminIssues(council);
  const Json created = Entry("token_created", before);
  EXPECT_EQ(created.GetString("workflow"), "accounts");
  EXPECT_TRUE(created.Get("instance_id")->is_null());
  EXPECT_TRUE(created.Get("from_state")->is_null());
  EXPECT_EQ(created.GetString("to_state"), "live");
  const Json& actor = *created.Get("actor");
  EXPECT_EQ(actor.GetString("user_id"), admin.user_id);
  EXPECT_EQ(actor.GetString("role"), "admin");
  EXPECT_EQ(actor.GetString("token_id"), admin.token_id);
  EXPECT_EQ(actor.GetString("token_issued_by"), admin.user_id);
  const Json& data = *created.Get("data");
  EXPECT_EQ(data.GetString("user_id"), council.user_id);
  EXPECT_EQ(data.GetString("username"), council.username);
  EXPECT_EQ(data.GetString("role"), "council");
  EXPECT_EQ(data.GetString("token_id"), token_id);
  EXPECT_EQ(data.GetString("kind"), "api");
  EXPECT_EQ(data.GetString("name"), "integration");
  EXPECT_EQ(data.GetString("created_by"), admin.user_id);
  EXPECT_EQ(created.Dump().find(token), std::string::npos) << "never the secret";

  // The list of the user's tokens says who issued each.
  HttpReply list = Get("/api/v1/users/" + council.user_id + "/tokens", admin.token);
  ASSERT_EQ(list.status, 200) << list.body;
  std::map<std::string, std::string> issuer;
  for (const Json& t : list.json().Get("items")->AsArray()) {
    issuer[t.GetString("id")] = t.GetString("created_by");
  }
  EXPECT_EQ(issuer[token_id], admin.user_id);
  EXPECT_EQ(issuer[council.token_id], council.user_id);

  ASSERT_EQ(Delete("/api/v1/tokens/" + token_id, admin.token).status, 204);
  const Json revoked = Entry("token_revoked", before);
  EXPECT_EQ(revoked.GetString("from_state"), "live");
  EXPECT_EQ(revoked.GetString("to_state"), "revoked");
  EXPECT_EQ(revoked.Get("actor")->GetString("user_id"), admin.user_id);
  EXPECT_EQ(revoked.Get("data")->GetString("token_id"), token_id);
  EXPECT_EQ(revoked.Get("data")->GetString("user_id"), council.user_id);
  // A refused revocation (already revoked) records nothing; a logout is the user's own.
  const int64_t after = AuditCount();
  EXPECT_EQ(Delete("/api/v1/tokens/" + token_id, admin.token).status, 404);
  EXPECT_EQ(Post("/api/v1/auth/logout", Login(sec), Json::MakeObject()).status, 204);
  EXPECT_EQ(AuditCount(), after);
}

TEST_F(DutiesApiTest, CreatingAUserAndEveryChangeToOneAreAudited) {
  const int64_t before = AuditCount();
  HttpReply made =
      Post("/api/v1/users", admin.token, J(R"({"username":"council.new","display_name":"New member",
                              "role":"council","password":"a long enough password"})"));
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = made.json().GetString("id");
  const Json created = Entry("user_created", before);
  EXPECT_EQ(created.Get("actor")->GetString("user_id"), admin.user_id);
  EXPECT_EQ(created.Get("actor")->GetString("token_id"), admin.token_id);
  EXPECT_EQ(created.Get("data")->GetString("user_id"), id);
  EXPECT_EQ(created.Get("data")->GetString("role"), "council");
  EXPECT_EQ(created.GetString("to_state"), "enabled");
  EXPECT_EQ(created.Dump().find("a long enough password"), std::string::npos);

  int64_t mark = AuditCount();
  ASSERT_EQ(Patch("/api/v1/users/" + id, admin.token, J(R"({"role":"secretariat"})")).status, 200);
  Json changed = Entry("user_changed", mark);
  EXPECT_EQ(changed.Get("data")->Get("changes")->Dump(),
            R"({"role":{"from":"council","to":"secretariat"}})");
  EXPECT_EQ(changed.Get("data")->GetString("role"), "secretariat");

  mark = AuditCount();
  ASSERT_EQ(Patch("/api/v1/users/" + id, admin.token, J(R"({"disabled":true})")).status, 200);
  changed = Entry("user_changed", mark);
  EXPECT_EQ(changed.GetString("from_state"), "enabled");
  EXPECT_EQ(changed.GetString("to_state"), "disabled");
  EXPECT_EQ(changed.Get("data")->GetInt("tokens_revoked"), 0);
  mark = AuditCount();
  ASSERT_EQ(Patch("/api/v1/users/" + id, admin.token, J(R"({"disabled":false})")).status, 200);
  EXPECT_EQ(Entry("user_changed", mark).GetString("to_state"), "enabled");

  // A patch that changes nothing writes nothing; a refused one neither.
  mark = AuditCount();
  ASSERT_EQ(Patch("/api/v1/users/" + id, admin.token, J(R"({"disabled":false})")).status, 200);
  EXPECT_EQ(Patch("/api/v1/users/" + id, admin.token, J(R"({"role":"king"})")).status, 400);
  EXPECT_EQ(AuditCount(), mark);

  // The user's own changes: its profile, its password (never the password itself).
  ASSERT_EQ(Patch("/api/v1/me", council.token, J(R"({"language":"ru"})")).status, 200);
  changed = Entry("user_changed", mark);
  EXPECT_EQ(changed.Get("actor")->GetString("user_id"), council.user_id);
  EXPECT_EQ(changed.Get("data")->Get("changes")->Dump(), R"({"language":{"from":"en","to":"ru"}})");
  mark = AuditCount();
  ASSERT_EQ(Post("/api/v1/me/password", council.token,
                 J(R"({"current_password":"password-of-council.lena",
                       "new_password":"another long password"})"))
                .status,
            204);
  const Json password = Entry("password_changed", mark);
  EXPECT_EQ(password.Get("data")->GetString("user_id"), council.user_id);
  EXPECT_EQ(password.Dump().find("password-of-council.lena"), std::string::npos);
  EXPECT_EQ(password.Dump().find("another long password"), std::string::npos);
}

// The entries about users and tokens are links of the one chain: the server verifies it, and
// so does anyone holding only the export (salt, token and issuer included).
TEST_F(DutiesApiTest, TheChainWithEntriesAboutUsersAndTokensVerifiesOnTheServerAndOffline) {
  const std::string ballot = CreateBallot();
  AdminIssues(council);
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"abstain"})")).status, 200);
  ASSERT_EQ(
      Patch("/api/v1/users/" + sec.user_id, admin.token, J(R"({"email":"s@example.org"})")).status,
      200);
  HttpReply v = Get("/api/v1/audit/verify", auditor.token);
  ASSERT_EQ(v.status, 200);
  EXPECT_TRUE(v.json().GetBool("ok")) << v.body;
  EXPECT_EQ(v.json().GetInt("entries"), AuditCount());
  HttpReply exported = Get("/api/v1/audit/export?format=jsonl", auditor.token);
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.body.find("\"token_issued_by\""), std::string::npos);
  const AuditVerifyResult offline = audit::VerifyExport(exported.body);
  EXPECT_TRUE(offline.ok) << offline.problem;
  EXPECT_EQ(offline.entries, AuditCount());
  EXPECT_EQ(offline.head.hash, v.json().Get("head")->GetString("hash"));
}

// Ballot secrecy (finding 1) holds for the new fields: a Council member reading an open
// ballot's history sees neither the token of another member's vote nor its issuer (who, for a
// session, is the voter).
TEST_F(DutiesApiTest, ACouncilMemberSeesNeitherTheTokenNorTheIssuerOfAnothersVote) {
  Persona other = AddUser("council.omar", "council");
  const std::string ballot = CreateBallot();
  ASSERT_EQ(Fire(ballot, Login(other), "vote", J(R"({"choice":"reject"})")).status, 200);
  HttpReply h = Get("/api/v1/instances/" + ballot + "/history", council.token);
  ASSERT_EQ(h.status, 200) << h.body;
  bool seen = false;
  for (const Json& e : h.json().Get("items")->AsArray()) {
    if (e.GetString("event") != "vote") continue;
    seen = true;
    EXPECT_TRUE(e.GetBool("redacted"));
    EXPECT_TRUE(e.Get("actor")->Get("token_id")->is_null()) << e.Dump();
    EXPECT_TRUE(e.Get("actor")->Get("token_issued_by")->is_null()) << e.Dump();
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace rsoflow::testing
