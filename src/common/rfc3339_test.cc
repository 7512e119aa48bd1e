#include "common/rfc3339.h"

#include <gtest/gtest.h>

namespace orgd {
namespace {

TEST(Rfc3339Test, ParsesUtcAndOffsets) {
  EXPECT_EQ(ParseRfc3339Millis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Millis("2023-11-14T22:13:20Z"), 1'700'000'000'000);
  EXPECT_EQ(ParseRfc3339Millis("2023-11-14T22:13:20.123Z"), 1'700'000'000'123);
  EXPECT_EQ(ParseRfc3339Millis("2023-11-14t22:13:20.1z"), 1'700'000'000'100);
  EXPECT_EQ(ParseRfc3339Millis("2023-11-14T23:13:20+01:00"), 1'700'000'000'000);
  EXPECT_EQ(ParseRfc3339Millis("2023-11-14T17:43:20-04:30"), 1'700'000'000'000);
  // Digits beyond milliseconds are truncated.
  EXPECT_EQ(ParseRfc3339Millis("2023-11-14T22:13:20.123999999Z"), 1'700'000'000'123);
  EXPECT_EQ(ParseRfc3339Millis("1969-12-31T23:59:59Z"), -1000);
}

TEST(Rfc3339Test, HandlesLeapYears) {
  EXPECT_EQ(ParseRfc3339Millis("2024-02-29T00:00:00Z"), 1'709'164'800'000);
  EXPECT_FALSE(ParseRfc3339Millis("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339Millis("1900-02-29T00:00:00Z"));
  EXPECT_TRUE(ParseRfc3339Millis("2000-02-29T00:00:00Z"));
}

TEST(Rfc3339Test, RefusesEverythingElse) {
  for (const char* bad :
       {"", "2023-11-14", "2023-11-14 22:13:20Z", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z",
        "2023-00-01T00:00:00Z", "2023-04-31T00:00:00Z", "2023-11-14T24:00:00Z",
        "2023-11-14T22:60:00Z", "2023-11-14T22:13:61Z", "2023-11-14T22:13:20.Z",
        "2023-11-14T22:13:20+0100", "2023-11-14T22:13:20+24:00", "23-11-14T22:13:20Z",
        "2023-1-14T22:13:20Z", "2023-11-14T22:13:20Zjunk", "yesterday", "1700000000000"}) {
    EXPECT_FALSE(ParseRfc3339Millis(bad)) << bad;
  }
}

TEST(Rfc3339Test, FormatsWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339Millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatRfc3339Millis(1'709'164'800'000), "2024-02-29T00:00:00.000Z");
}

TEST(Rfc3339Test, RoundTrips) {
  for (int64_t ms : {int64_t{0}, int64_t{951'782'400'000}, int64_t{1'700'000'000'999},
                     int64_t{4'102'444'800'000}}) {
    EXPECT_EQ(ParseRfc3339Millis(FormatRfc3339Millis(ms)), ms);
  }
}

}  // namespace
}  // namespace orgd
