// Floors on Council rules over HTTP (issue 17, finding 3): a recognition was approved by one
// vote out of six with quorum 0 and a deadline two seconds away. Quorum must be a number
// within [0.5, 1] (more than half of the eligible vote) and the voting period at least 72 h,
// for POST /ballots, refer_to_council and propose_withdrawal alike.
#include "engine/clock.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class CouncilFloorsApiTest : public ApiTest {
 protected:
  // POST /api/v1/ballots with `extra` JSON members after title and question.
  HttpReply PostBallot(const std::string& extra) {
    HttpCall c;
    c.method = "POST";
    c.path = "/api/v1/ballots";
    c.token = sec.token;
    c.has_body = true;
    c.body = R"({"title":"T","question":"Q?",)" + extra + "}";
    return Send(c);
  }
  std::string In(int64_t ms) { return "\"" + FormatTime(clock.NowMs() + ms) + "\""; }
  // The recognition of a new RSO, under review.
  std::string UnderReview(const std::string& acronym) {
    const std::string rec = RecognitionOf(CreateRso(acronym));
    EXPECT_EQ(Fire(rec, sec.token, "submit").status, 200);
    EXPECT_EQ(Fire(rec, sec.token, "start_review").status, 200);
    return rec;
  }
  // The problem document's "fields", as JSON text ("" when there are none).
  static std::string Fields(const HttpReply& r) {
    const Json* f = r.json().Get("fields");
    return f == nullptr ? "" : f->Dump();
  }
  int64_t Ballots() {
    return static_cast<int64_t>(
        Get("/api/v1/instances?workflow=council_ballot", sec.token).json().Get("items")->size());
  }
};

TEST_F(CouncilFloorsApiTest, ABallotWithQuorumBelowAMajorityIsRefusedNamingQuorum) {
  const std::string week = In(7 * kMsPerDay);
  for (const char* q : {"0", "-0", "1e-400", "0.3", "1.5", "\"0.6\"", "\"NaN\"", "null"}) {
    HttpReply r = PostBallot(std::string(R"("deadline":)") + week + R"(,"quorum":)" + q);
    if (std::string(q) == "null") {  // absent: the default, a majority
      EXPECT_EQ(r.status, 201) << r.body;
      EXPECT_DOUBLE_EQ(r.json().Get("data")->GetDouble("quorum", -1), 0.5);
      continue;
    }
    EXPECT_EQ(r.status, 400) << q << ": " << r.body;
    EXPECT_EQ(Fields(r), R"(["quorum"])") << q;
  }
  EXPECT_EQ(PostBallot(std::string(R"("deadline":)") + week + R"(,"quorum":1)").status, 201);
  EXPECT_EQ(Ballots(), 2);
}

// basis and exclude_affiliated are in the ballot's field list for the recognition that refers
// an RSO; a client opening a ballot cannot set them.
TEST_F(CouncilFloorsApiTest, AClientCannotGiveABallotTheFieldsOnlyAReferralGives) {
  const std::string week = In(7 * kMsPerDay);
  for (const char* field : {R"("basis":"26/1992")", R"("exclude_affiliated":false)"}) {
    HttpReply r = PostBallot(std::string(R"("deadline":)") + week + "," + field);
    EXPECT_EQ(r.status, 400) << field;
    EXPECT_NE(r.json().GetString("detail").find("unknown or read-only field(s)"), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(Fields(PostBallot(R"("basis":"x")")), R"(["basis"])");
  EXPECT_EQ(Ballots(), 0);
}

TEST_F(CouncilFloorsApiTest, ABallotWithADeadlineUnderSeventyTwoHoursAwayIsRefused) {
  for (int64_t ms : {int64_t{2000}, int64_t{60 * 1000}, 72 * 3600 * int64_t{1000} - 1}) {
    HttpReply r = PostBallot(std::string(R"("deadline":)") + In(ms));
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.code(), "guard_failed");
    EXPECT_NE(r.body.find("at least 72 hours"), std::string::npos) << r.body;
  }
  EXPECT_EQ(Ballots(), 0);
  EXPECT_EQ(PostBallot(std::string(R"("deadline":)") + In(3 * kMsPerDay)).status, 201);
}

TEST_F(CouncilFloorsApiTest, ReferToCouncilRefusesQuorumZeroAndAShortDeadlineAndChangesNothing) {
  const std::string rec = UnderReview("ARSO");
  for (const char* q : {"0", "-0", "1e-400"}) {
    HttpCall c;
    c.method = "POST";
    c.path = "/api/v1/instances/" + rec + "/events";
    c.token = sec.token;
    c.has_body = true;
    c.body = std::string(R"({"event":"refer_to_council","data":{"quorum":)") + q + "}}";
    HttpReply r = Send(c);
    EXPECT_EQ(r.status, 400) << q << ": " << r.body;
    EXPECT_EQ(Fields(r), R"(["data.quorum"])") << q;
  }
  Json two_seconds = Json::MakeObject();
  two_seconds.Set("deadline", FormatTime(clock.NowMs() + 2000));
  HttpReply r = Fire(rec, sec.token, "refer_to_council", two_seconds);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("at least 72 hours"), std::string::npos) << r.body;
  EXPECT_EQ(Get("/api/v1/instances/" + rec, sec.token).json().GetString("state"),
            "secretariat_review");
  EXPECT_EQ(Ballots(), 0);
  Json fine = J(R"({"quorum":0.75})");
  fine.Set("deadline", FormatTime(clock.NowMs() + 3 * kMsPerDay));
  EXPECT_EQ(Fire(rec, sec.token, "refer_to_council", fine).status, 200);
  EXPECT_EQ(Ballots(), 1);
}

TEST_F(CouncilFloorsApiTest, ProposeWithdrawalRefusesQuorumZeroAndAShortDeadline) {
  const std::string rso = CreateRso("BRSO");
  Recognize(rso);
  const std::string rec = RecognitionOf(rso);
  ASSERT_EQ(Fire(rec, sec.token, "suspend", Json::MakeObject(), "dormant").status, 200);
  const int64_t before = Ballots();
  HttpReply zero = Fire(rec, sec.token, "propose_withdrawal", J(R"({"quorum":0})"), "why");
  EXPECT_EQ(zero.status, 400) << zero.body;
  EXPECT_EQ(Fields(zero), R"(["data.quorum"])");
  Json minute = Json::MakeObject();
  minute.Set("deadline", FormatTime(clock.NowMs() + 60 * 1000));
  EXPECT_EQ(Fire(rec, sec.token, "propose_withdrawal", minute, "why").status, 422);
  EXPECT_EQ(Get("/api/v1/instances/" + rec, sec.token).json().GetString("state"), "suspended");
  EXPECT_EQ(Ballots(), before);
}

}  // namespace
}  // namespace rsoflow::testing
