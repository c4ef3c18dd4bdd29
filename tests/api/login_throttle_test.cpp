// LoginThrottle (DESIGN 5) on the fake clock: failures lock a username or an address out, and
// attempts still being checked count against the limits, so guesses sent in parallel cannot
// all pass before the first failure is recorded.
#include "api/login_throttle.h"

#include <gtest/gtest.h>

#include <chrono>

#include "engine/clock.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

using api::LoginThrottle;

TEST(LoginThrottle, FiveFailuresLockTheUsernameOutForTheLockout) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(t.Begin("sec", "10.0.0.1"), 0) << i;
    t.Failed("sec", "10.0.0.1");
  }
  EXPECT_EQ(t.Begin("sec", "10.0.0.2"), 900);  // from any address
  EXPECT_EQ(t.Begin("council", "10.0.0.1"), 0);
  t.Abandoned("council", "10.0.0.1");
  clock.Advance(std::chrono::minutes(15));
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 0);
}

// 64 guesses at once, as 64 connections could send them: only as many as the limit allows get
// to the password check; the rest wait for a verdict, and the failures then lock the user out.
TEST(LoginThrottle, AttemptsInFlightCountAgainstTheLimit) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  int let_through = 0;
  for (int i = 0; i < 64; ++i) {
    if (t.Begin("sec", "10.0.0." + std::to_string(i)) == 0) ++let_through;
  }
  EXPECT_EQ(let_through, 5);
  EXPECT_EQ(t.Begin("sec", "10.0.0.99"), 1);  // wait a second for one of them to end
  for (int i = 0; i < 5; ++i) t.Failed("sec", "10.0.0." + std::to_string(i));
  EXPECT_EQ(t.Begin("sec", "10.0.0.99"), 900);
}

// Per address too (20), across usernames.
TEST(LoginThrottle, AttemptsInFlightFromOneAddressCountAgainstItsLimit) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  for (int i = 0; i < 20; ++i) ASSERT_EQ(t.Begin("user" + std::to_string(i), "10.9.9.9"), 0);
  EXPECT_EQ(t.Begin("user20", "10.9.9.9"), 1);
  EXPECT_EQ(t.Begin("user20", "10.9.9.8"), 0);
}

// An attempt that ends frees its place: a success, or an abandoned one (a storage failure),
// neither of which counts as a failure.
TEST(LoginThrottle, AnAttemptThatEndsWithoutFailingFreesItsPlace) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(t.Begin("sec", "10.0.0.1"), 0);
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 1);
  t.Succeeded("sec", "10.0.0.1");
  t.Abandoned("sec", "10.0.0.1");
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 0);
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 0);
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 1);
  for (int i = 0; i < 5; ++i) t.Failed("sec", "10.0.0.1");
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 900);
}

}  // namespace
}  // namespace rsoflow::testing
