#include "common/random.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <thread>

namespace orgd {
namespace {

std::string Draw(size_t n) {
  std::string bytes(n, '\0');
  FillRandom(std::span(reinterpret_cast<uint8_t*>(bytes.data()), n));
  return bytes;
}

TEST(FillRandomTest, SmallDrawsNeverRepeatAcrossPoolRefills) {
  // 14-byte draws (an ID's worth) cross the 1 KiB pool's boundary many times.
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) EXPECT_TRUE(seen.insert(Draw(14)).second);
}

TEST(FillRandomTest, BytesAreSpreadOverEveryValue) {
  // 256 KiB in 13-byte draws: every byte value is expected 1024 times; a pool that handed out
  // the same or wiped bytes would put hundreds of thousands on one value.
  std::array<int, 256> counts{};
  for (int i = 0; i < 256 * 1024 / 13; ++i) {
    for (unsigned char c : Draw(13)) ++counts[c];
  }
  for (int count : counts) {
    EXPECT_GT(count, 800);
    EXPECT_LT(count, 1250);
  }
}

TEST(FillRandomTest, LargeDrawsAndThreadsGetTheirOwnBytes) {
  std::string big = Draw(4096);  // bypasses the pool
  EXPECT_NE(big, std::string(4096, '\0'));
  std::string a, b;
  std::thread ta([&] { a = Draw(32); });
  std::thread tb([&] { b = Draw(32); });
  ta.join();
  tb.join();
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace orgd
