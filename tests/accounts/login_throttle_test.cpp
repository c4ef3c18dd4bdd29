// LoginThrottle (DESIGN 5, issue 17 finding 5) on the fake clock: failures lock a (username,
// address) pair or an address out and slow a username down everywhere with a back-off, and
// attempts still being checked count against the limits, so guesses sent in parallel cannot
// all pass before the first failure is recorded.
#include "accounts/login_throttle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "engine/clock.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

using accounts::LoginThrottle;

// Issue 17, finding 5: five wrong passwords from one address lock that address out of that
// username only; the user logs in from any other address.
TEST(LoginThrottle, FiveFailuresLockTheUsernameOutFromThatAddressOnly) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(t.Begin("sec", "10.0.0.1"), 0) << i;
    t.Failed("sec", "10.0.0.1");
  }
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 900);
  EXPECT_EQ(t.Begin("sec", "10.0.0.2"), 0);  // the user, elsewhere
  t.Succeeded("sec", "10.0.0.2");
  EXPECT_EQ(t.Begin("council", "10.0.0.1"), 0);
  t.Abandoned("council", "10.0.0.1");
  clock.Advance(std::chrono::minutes(15));
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 0);
}

// A username and an address that run together into the same text are still two pairs.
TEST(LoginThrottle, PairsAreNotConfusedByWhereTheUsernameEnds) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(t.Begin("sec1", "0.0.0.1"), 0);
    t.Failed("sec1", "0.0.0.1");
  }
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 0);
}

// 64 guesses at once from 64 addresses, as a botnet could send them: only as many as the
// username's back-off allows get to the password check; the rest wait for a verdict, and the
// failures then start the back-off.
TEST(LoginThrottle, AttemptsInFlightCountAgainstTheLimit) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  int let_through = 0;
  for (int i = 0; i < 64; ++i) {
    if (t.Begin("sec", "10.0.0." + std::to_string(i)) == 0) ++let_through;
  }
  EXPECT_EQ(let_through, 10);
  EXPECT_EQ(t.Begin("sec", "10.0.0.99"), 1);  // wait a second for one of them to end
  for (int i = 0; i < 10; ++i) t.Failed("sec", "10.0.0." + std::to_string(i));
  EXPECT_EQ(t.Begin("sec", "10.0.0.99"), 1);  // the back-off's first second
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(t.Begin("sec", "10.0.0.99"), 0);
  EXPECT_EQ(t.Begin("sec", "10.0.0.98"), 1);  // one attempt at a time from the back-off on
}

// Five guesses from one address at once: the pair's limit holds them as the username's did.
TEST(LoginThrottle, AttemptsInFlightFromOneAddressForOneUserCountAgainstThePairsLimit) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(t.Begin("sec", "10.0.0.1"), 0);
  EXPECT_EQ(t.Begin("sec", "10.0.0.1"), 1);
  EXPECT_EQ(t.Begin("sec", "10.0.0.2"), 0);
}

// A guess spread over a thousand addresses, each trying once and then again as soon as the
// throttle allows: within an hour the username's back-off lets through at most about one
// guess a minute, and never asks anyone to wait more than a minute.
TEST(LoginThrottle, AGuessSpreadOverManyAddressesIsSlowedToAboutOneAMinute) {
  FakeClock clock{kT0};
  LoginThrottle t(clock);
  const int64_t end = clock.NowMs() + 3600 * 1000;
  int guesses = 0, address = 0;
  int64_t longest_wait = 0;
  while (clock.NowMs() < end) {
    const std::string from =
        "10.1." + std::to_string(address / 250) + "." + std::to_string(address % 250);
    address = (address + 1) % 1000;
    const int64_t wait = t.Begin("council.lena", from);
    if (wait > 0) {
      longest_wait = std::max(longest_wait, wait);
      clock.Advance(std::chrono::seconds(wait));
      continue;
    }
    ++guesses;
    t.Failed("council.lena", from);
  }
  EXPECT_LE(guesses, 10 + 60 + 6) << "10 before the back-off, then at most one a minute";
  EXPECT_GE(guesses, 50) << "the back-off is a delay, not a lock-out";
  EXPECT_EQ(longest_wait, 60);
  // The user, meanwhile, from its own address, waits the back-off at most, then logs in.
  int64_t wait = t.Begin("council.lena", "192.0.2.7");
  EXPECT_LE(wait, 60);
  if (wait > 0) {
    clock.Advance(std::chrono::seconds(wait));
    wait = t.Begin("council.lena", "192.0.2.7");
  }
  ASSERT_EQ(wait, 0);
  t.Succeeded("council.lena", "192.0.2.7");
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
