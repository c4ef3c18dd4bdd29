// Names and titles refuse U+0000 and the bidirectional overrides and isolates (issue 17): a
// NUL cuts a C string short, and U+202E makes "gpj.exe" read as "exe.jpg" in a list. Each is
// a 400 naming the field, and nothing is created. The username "system" (the actor of the
// engine's own audit entries) is reserved, in the API and the CLI.
#include <filesystem>

#include "accounts/accounts.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

// Each forbidden character as a JSON escape, and one allowed (U+200F, a right-to-left mark).
const char* const kForbidden[] = {"\\u0000", "\\u202a", "\\u202e", "\\u2066", "\\u2069"};

class UnsafeTextApiTest : public ApiTest {
 protected:
  // POSTs `json` (raw text, so the escapes reach the server as written) as `token`.
  HttpReply PostRaw(const std::string& path, const std::string& token, const std::string& json) {
    HttpCall c;
    c.method = "POST";
    c.path = path;
    c.token = token;
    c.has_body = true;
    c.body = json;
    return Send(c);
  }
  static std::string Fields(const HttpReply& r) {
    const Json* f = r.json().Get("fields");
    return f == nullptr ? "" : f->Dump();
  }
  // Expects `json_with(bad text)` to be refused naming `field` for each forbidden character,
  // and `json_with(plain)` to be accepted with `ok_status`.
  template <class Make>
  void ExpectRefused(const std::string& path, const std::string& token, Make json_with,
                     const std::string& field, int ok_status = 201) {
    for (const char* bad : kForbidden) {
      HttpReply r = PostRaw(path, token, json_with(std::string("Evil ") + bad + "gpj.exe"));
      EXPECT_EQ(r.status, 400) << path << " " << bad << ": " << r.body;
      EXPECT_EQ(Fields(r), "[\"" + field + "\"]") << path << " " << bad << ": " << r.body;
    }
    HttpReply fine = PostRaw(path, token, json_with("Fine \\u200f name"));
    EXPECT_EQ(fine.status, ok_status) << path << ": " << fine.body;
  }
};

TEST_F(UnsafeTextApiTest, UserDisplayNamesRefuseNulAndBidiControls) {
  int n = 0;
  ExpectRefused(
      "/api/v1/users", admin.token,
      [&](const std::string& name) {
        return R"({"username":"user.)" + std::to_string(++n) + R"(","display_name":")" + name +
               R"(","role":"auditor","password":"a-long-password-1"})";
      },
      "display_name");
}

TEST_F(UnsafeTextApiTest, TheUsernameSystemIsReservedInTheApiAndTheCli) {
  HttpReply r = Post("/api/v1/users", admin.token,
                     J(R"({"username":"system","display_name":"System","role":"secretariat",
                           "password":"a-long-password-1"})"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Fields(r), R"(["username"])");
  // accounts::AddUser is what `rsoflow user add` calls.
  accounts::NewUser u;
  u.username = "system";
  u.role = "admin";
  u.password = "a-long-password-1";
  auto added = accounts::AddUser(runtime->engine(), u, kTestPbkdf2Iterations, accounts::Acting{});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().fields(), std::vector<std::string>{"username"});
  EXPECT_EQ(Post("/api/v1/users", admin.token,
                 J(R"({"username":"systems","display_name":"S","role":"secretariat",
                       "password":"a-long-password-1"})"))
                .status,
            201);
}

TEST_F(UnsafeTextApiTest, RsoNamesRefuseNulAndBidiControls) {
  int n = 0;
  ExpectRefused(
      "/api/v1/rsos", sec.token,
      [&](const std::string& name) {
        return R"({"acronym":"RSO)" + std::to_string(++n) + R"(","name":")" + name +
               R"(","kind":"regional","region":"Africa","member_bodies":["KE"],
                   "statutes_ref":"S"})";
      },
      "name");
}

TEST_F(UnsafeTextApiTest, BallotTitlesAndQuestionsRefuseNulAndBidiControls) {
  const std::string deadline = "\"" + FormatTime(clock.NowMs() + 7 * kMsPerDay) + "\"";
  ExpectRefused(
      "/api/v1/ballots", sec.token,
      [&](const std::string& t) {
        return R"({"title":")" + t + R"(","question":"Q?","deadline":)" + deadline + "}";
      },
      "title");
  ExpectRefused(
      "/api/v1/ballots", sec.token,
      [&](const std::string& t) {
        return R"({"title":"T","question":")" + t + R"(","deadline":)" + deadline + "}";
      },
      "question");
}

TEST_F(UnsafeTextApiTest, IsoEventInitiativeAndPlanTitlesRefuseNulAndBidiControls) {
  ExpectRefused(
      "/api/v1/iso-events", sec.token,
      [](const std::string& t) {
        return R"({"title":")" + t +
               R"(","type":"webinar","region":"Africa","rso_ids":[],"starts_on":"2026-01-05","ends_on":"2026-01-05"})";
      },
      "title");
  const std::string a = CreateRso("ARSO");
  Recognize(a);
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  ExpectRefused(
      "/api/v1/initiatives", liaison.token,
      [&](const std::string& t) {
        return R"({"type":"training","objectives":["skills"],"rso_id":")" + a + R"(","title":")" +
               t + "\"}";
      },
      "title");
  const std::string ended = CreateIsoEvent({a}, "Ended workshop");
  auto plan = [&](const std::string& title, const std::string& action) {
    return R"({"rso_id":")" + a + R"(","iso_event_id":")" + ended + R"(","title":")" + title +
           R"(","actions":[{"title":")" + action + R"(","owner":"KEBS","due_on":"2026-05-01"}]})";
  };
  ExpectRefused(
      "/api/v1/momentum-plans", sec.token, [&](const std::string& t) { return plan(t, "Act"); },
      "title");
  ExpectRefused(
      "/api/v1/momentum-plans", sec.token, [&](const std::string& t) { return plan("Plan", t); },
      "actions[0].title");
}

}  // namespace
}  // namespace rsoflow::testing
