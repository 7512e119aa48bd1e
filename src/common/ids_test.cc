#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace orgd {
namespace {

TEST(IdsTest, NewIdHasPrefixAnd27Base62Characters) {
  FakeClock clock(1'700'000'000'000);
  RandomIdGenerator ids(clock);
  std::string id = ids.New(id_prefix::kOrganization);
  ASSERT_EQ(id.size(), 4 + kIdBodyLength);
  EXPECT_EQ(id.substr(0, 4), "org_");
  EXPECT_TRUE(LooksLikeId(id, "org"));
  EXPECT_FALSE(LooksLikeId(id, "user"));
}

TEST(IdsTest, IdsSortByCreationTime) {
  FakeClock clock(1'700'000'000'000);
  RandomIdGenerator ids(clock);
  std::string previous = ids.New("org");
  for (int i = 0; i < 200; ++i) {
    clock.Advance(1);
    std::string next = ids.New("org");
    EXPECT_LT(previous, next) << "at step " << i;
    previous = next;
  }
}

TEST(IdsTest, IdsWithinOneMillisecondAreDistinct) {
  FakeClock clock(1'700'000'000'000);
  RandomIdGenerator ids(clock);
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) seen.insert(ids.New("org"));
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(IdsTest, EncodingIsFixedWidthBigEndianBase62) {
  uint8_t zero[14] = {};
  EXPECT_EQ(EncodeIdBody(0, zero), std::string(kIdBodyLength, '0'));
  uint8_t one[14] = {};
  one[13] = 1;
  EXPECT_EQ(EncodeIdBody(0, one), std::string(kIdBodyLength - 1, '0') + "1");
  uint8_t sixty_two[14] = {};
  sixty_two[13] = 62;
  EXPECT_EQ(EncodeIdBody(0, sixty_two), std::string(kIdBodyLength - 2, '0') + "10");
  uint8_t max[14];
  std::fill(std::begin(max), std::end(max), 0xff);
  // 2^160 - 1 still fits in 27 base62 digits (62^27 > 2^160).
  std::string body = EncodeIdBody((int64_t{1} << 48) - 1, max);
  EXPECT_EQ(body.size(), kIdBodyLength);
  EXPECT_NE(body[0], '0');
  EXPECT_LT(EncodeIdBody(1, zero), EncodeIdBody(2, zero));
  EXPECT_LT(EncodeIdBody(1, max), EncodeIdBody(2, zero));
}

TEST(IdsTest, LooksLikeIdRejectsOtherShapes) {
  EXPECT_FALSE(LooksLikeId("org_", "org"));
  EXPECT_FALSE(LooksLikeId("org", "org"));
  EXPECT_FALSE(LooksLikeId("orgabc", "org"));
  EXPECT_FALSE(LooksLikeId("org_abc-def", "org"));
  EXPECT_FALSE(LooksLikeId("org_abc def", "org"));
  EXPECT_TRUE(LooksLikeId("user_2abc", "user"));
}

}  // namespace
}  // namespace orgd
