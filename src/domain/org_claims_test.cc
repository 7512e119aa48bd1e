#include "domain/org_claims.h"

#include <gtest/gtest.h>

namespace orgd::domain {
namespace {

TEST(OrgClaimsTest, EncodesTheWorkedExampleOfBehaviorMd) {
  // dashboard:read, dashboard:manage, teams:read → per "manage,read", fpm "3,2".
  auto c = EncodeOrgPermissions({"org:teams:read", "org:dashboard:read", "org:dashboard:manage"});
  EXPECT_EQ(c.fea, "o:dashboard,o:teams");
  EXPECT_EQ(c.per, "manage,read");
  EXPECT_EQ(c.fpm, "3,2");
}

TEST(OrgClaimsTest, LeavesOutSystemPermissionsAndMalformedKeys) {
  auto c = EncodeOrgPermissions(
      {"org:sys_memberships:manage", "org:sys_profile:delete", "org:x", "org::y", "other:a:b"});
  EXPECT_EQ(c.fea, "");
  EXPECT_EQ(c.per, "");
  EXPECT_EQ(c.fpm, "");
  auto mixed = EncodeOrgPermissions({"org:sys_domains:read", "org:invoices:create"});
  EXPECT_EQ(mixed.fea, "o:invoices");
  EXPECT_EQ(mixed.per, "create");
  EXPECT_EQ(mixed.fpm, "1");
}

TEST(OrgClaimsTest, AFeatureWithoutSomeActionsGetsZeroBits) {
  auto c = EncodeOrgPermissions({"org:a:x", "org:b:y"});
  EXPECT_EQ(c.per, "x,y");
  EXPECT_EQ(c.fpm, "1,2");
}

TEST(OrgClaimsTest, MasksWiderThan64BitsAreExactDecimals) {
  std::vector<std::string> keys;
  for (int i = 0; i < 70; ++i) {
    char action[8];
    std::snprintf(action, sizeof action, "a%02d", i);
    keys.push_back(std::string("org:f:") + action);
  }
  keys.push_back("org:g:a69");  // only the highest bit
  auto c = EncodeOrgPermissions(keys);
  EXPECT_EQ(c.fea, "o:f,o:g");
  // 2^70 - 1 and 2^69.
  EXPECT_EQ(c.fpm, "1180591620717411303423,590295810358705651712");
}

}  // namespace
}  // namespace orgd::domain
