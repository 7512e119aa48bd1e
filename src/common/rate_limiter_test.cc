#include "common/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace orgd {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiterTest, RefusesPastTheLimitUntilTheWindowEnds) {
  FakeClock clock(1'000'000);
  RateLimiter limiter(clock);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Take("ip:1", 5, milliseconds(10'000)), 0) << i;
  EXPECT_EQ(limiter.Take("ip:1", 5, milliseconds(10'000)), 10);
  clock.Advance(8'500);
  EXPECT_EQ(limiter.Take("ip:1", 5, milliseconds(10'000)), 2);  // 1.5 s left, rounded up
  clock.Advance(1'500);
  EXPECT_EQ(limiter.Take("ip:1", 5, milliseconds(10'000)), 0);  // a new window
}

TEST(RateLimiterTest, CountsKeysApart) {
  FakeClock clock(0);
  RateLimiter limiter(clock);
  EXPECT_EQ(limiter.Take("a", 1, milliseconds(1'000)), 0);
  EXPECT_EQ(limiter.Take("b", 1, milliseconds(1'000)), 0);
  EXPECT_EQ(limiter.Take("a", 1, milliseconds(1'000)), 1);
}

TEST(RateLimiterTest, AFullTableDropsExpiredWindowsAndNeverGrowsPastItsBound) {
  FakeClock clock(0);
  RateLimiter limiter(clock, 64);
  const size_t bound = RateLimiter::kShards * 64;
  for (size_t i = 0; i < bound + 5000; ++i) {
    limiter.Take("k" + std::to_string(i), 1, milliseconds(1'000));
  }
  EXPECT_LE(limiter.Size(), bound);
  clock.Advance(1'000);  // every window expired: new keys replace them
  for (size_t i = 0; i < bound; ++i) {
    EXPECT_EQ(limiter.Take("n" + std::to_string(i), 1, milliseconds(1'000)), 0);
  }
  EXPECT_LE(limiter.Size(), bound);
  EXPECT_EQ(limiter.Take("n1", 1, milliseconds(1'000)), 1);  // the new keys are counted
}

TEST(RateLimiterTest, CountsEveryRequestUnderContention) {
  FakeClock clock(0);
  RateLimiter limiter(clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (limiter.Take("shared", 1500, milliseconds(60'000)) == 0) allowed.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 1500);
}

}  // namespace
}  // namespace orgd
