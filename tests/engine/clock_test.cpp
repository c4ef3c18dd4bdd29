#include "engine/clock.h"

#include <gtest/gtest.h>

namespace rsoflow {
namespace {

TEST(Clock, FormatsRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTime(1772442000123), "2026-03-02T09:00:00.123Z");
}

TEST(Clock, FormatRoundTripsThroughParseAcrossYearsAndBeforeTheEpoch) {
  for (const char* text :
       {"0001-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:34:56.789Z",
        "2026-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"}) {
    auto ms = ParseTime(text);
    ASSERT_TRUE(ms.has_value()) << text;
    EXPECT_EQ(FormatTime(*ms), text);
  }
  // Beyond four-digit years the text still says the year (it cannot be parsed back).
  EXPECT_EQ(FormatTime(*ParseTime("9999-12-31T23:59:59.999Z") + 1), "10000-01-01T00:00:00.000Z");
}

TEST(Clock, ParsesZuluOffsetsFractionsAndBareDates) {
  EXPECT_EQ(ParseTime("2026-03-02T09:00:00Z"), 1772442000000);
  EXPECT_EQ(ParseTime("2026-03-02T09:00:00.5Z"), 1772442000500);
  EXPECT_EQ(ParseTime("2026-03-02T11:00:00+02:00"), 1772442000000);
  EXPECT_EQ(ParseTime("2026-03-02"), 1772409600000);
}

TEST(Clock, RejectsInvalidTimes) {
  for (const char* bad :
       {"", "2026-02-30T00:00:00Z", "2026-13-01", "2026-03-02T24:00:00Z", "2026-03-02T09:00:00",
        "2026-03-02 09:00:00Z", "yesterday", "2026-03-02T09:00:00.Z", "2026-3-2"}) {
    EXPECT_FALSE(ParseTime(bad).has_value()) << bad;
  }
}

// Found by the fuzz target fuzz_time (tests/fuzz/corpus/time/before_year_zero and
// after_year_9999): an offset moved these out of years 0000-9999, where FormatTime wrote
// "-001-12-31T23:00:00.000Z" and "10000-01-01T...", which nothing reads back.
TEST(Clock, RefusesATimeThatAnOffsetMovesOutOfYearsZeroToNineThousandNineHundredNinetyNine) {
  EXPECT_FALSE(ParseTime("0000-01-01T00:00:00+01:00").has_value());
  EXPECT_FALSE(ParseTime("9999-12-31T23:59:59.999-23:59").has_value());
  ASSERT_TRUE(ParseTime("0000-01-01T01:00:00+01:00").has_value());
  EXPECT_EQ(FormatTime(*ParseTime("0000-01-01T01:00:00+01:00")), "0000-01-01T00:00:00.000Z");
  ASSERT_TRUE(ParseTime("9999-12-31T23:59:59.999Z").has_value());
  EXPECT_EQ(FormatTime(*ParseTime("9999-12-31T23:59:59.999Z")), "9999-12-31T23:59:59.999Z");
}

TEST(Clock, ValidatesLeapDays) {
  EXPECT_TRUE(ParseDate("2028-02-29").has_value());
  EXPECT_FALSE(ParseDate("2026-02-29").has_value());
  EXPECT_FALSE(ParseDate("2100-02-29").has_value());
  EXPECT_TRUE(ParseDate("2000-02-29").has_value());
  EXPECT_EQ(FormatDate(*ParseDate("2028-02-29")), "2028-02-29");
}

TEST(Clock, YearOfFollowsUtc) {
  EXPECT_EQ(YearOf(*ParseTime("2026-12-31T23:59:59.999Z")), 2026);
  EXPECT_EQ(YearOf(*ParseTime("2027-01-01T00:00:00Z")), 2027);
}

TEST(FakeClock, AdvanceMovesTimeAndNotifiesListeners) {
  FakeClock clock(1000);
  int notified = 0;
  clock.OnAdvance([&] { ++notified; });
  clock.Advance(std::chrono::milliseconds(500));
  EXPECT_EQ(clock.NowMs(), 1500);
  EXPECT_EQ(notified, 1);
  EXPECT_FALSE(clock.RealWaitUntil(99999).has_value());
}

}  // namespace
}  // namespace rsoflow
