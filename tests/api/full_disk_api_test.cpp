// A full disk through the API (issue 20, part 6), on a real one: the database lives on a small
// tmpfs mounted for the test and filled up. Writes answer 503 with nothing half-written, reads
// keep working, and writes succeed again once there is room. Needs the right to mount (root,
// as in CI); skipped otherwise.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class FullDiskApiTest : public ApiTest {
 protected:
  void SetUp() override {
    mount_point_ = dir.File("small-disk");
    ASSERT_EQ(mkdir(mount_point_.c_str(), 0700), 0);
    if (mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, "size=8m,mode=0700") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << ")";
    }
    mounted_ = true;
    db_path = mount_point_ + "/api.db";
    StartServer();
    if (HasFatalFailure()) return;
    sec = AddUser("sec.amina", "secretariat");
    council = AddUser("council.lena", "council");  // a ballot needs a reviewer
  }
  void TearDown() override {
    ApiTest::TearDown();
    if (mounted_) umount2(mount_point_.c_str(), MNT_DETACH);
  }

  // Writes a file until the file system is full; returns its path.
  std::string FillDisk() {
    const std::string path = mount_point_ + "/filler";
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_GE(fd, 0);
    const std::string block(64 * 1024, 'x');
    while (write(fd, block.data(), block.size()) > 0) {
    }
    const std::string small(512, 'x');
    while (write(fd, small.data(), small.size()) > 0) {
    }
    close(fd);
    return path;
  }

  Json Ballot(int n) {
    Json body = Json::MakeObject();
    body.Set("title", "Ballot " + std::to_string(n));
    body.Set("question", "Shall the budget be approved? " + std::string(3000, 'q'));
    body.Set("deadline", FormatTime(clock.NowMs() + 7 * kMsPerDay));
    return body;
  }

  std::string mount_point_;
  bool mounted_ = false;
};

TEST_F(FullDiskApiTest, WritesAnswer503WithNothingHalfWrittenReadsGoOnAndWritesResumeWithRoom) {
  ASSERT_EQ(Post("/api/v1/ballots", sec.token, Ballot(0)).status, 201);
  const std::string filler = FillDisk();

  // The WAL may still have room it was given before; the writes that need more are refused.
  int refused_at = -1;
  int64_t entries_before = 0;
  for (int n = 1; n <= 500 && refused_at < 0; ++n) {
    entries_before = AuditCount();
    HttpReply r = Post("/api/v1/ballots", sec.token, Ballot(n));
    ASSERT_TRUE(r.status == 201 || r.status == 503) << r.status << " " << r.body;
    if (r.status == 503) {
      refused_at = n;
      EXPECT_EQ(r.json().GetString("code"), "unavailable") << r.body;
    }
  }
  ASSERT_GE(refused_at, 1) << "no write was refused on a full disk";
  EXPECT_EQ(AuditCount(), entries_before) << "the refused ballot left an audit entry";

  // Reads keep working while the disk is full.
  HttpReply list = Get("/api/v1/instances?workflow=council_ballot&limit=200", sec.token);
  EXPECT_EQ(list.status, 200) << list.body;
  for (const Json& item : list.json().Get("items")->AsArray()) {
    EXPECT_NE(item.GetString("title"), "Ballot " + std::to_string(refused_at));
  }
  EXPECT_EQ(Get("/readyz", "").status, 200);

  // Room again: the same write goes through, and the chain is whole.
  ASSERT_EQ(unlink(filler.c_str()), 0);
  HttpReply again = Post("/api/v1/ballots", sec.token, Ballot(refused_at));
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(AuditCount(), entries_before + 1);
  HttpReply verify = Get("/api/v1/audit/verify", sec.token);
  EXPECT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(verify.json().GetBool("ok")) << verify.body;
  EXPECT_EQ(QueryFile(db_path, "PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace rsoflow::testing
