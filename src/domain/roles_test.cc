#include "domain/roles.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace orgd::domain {
namespace {

TEST(RolesTest, TheTwoDefaultRoles) {
  auto admin = FindRole("org:admin");
  ASSERT_TRUE(admin);
  EXPECT_EQ((*admin)->name, "Admin");
  EXPECT_TRUE((*admin)->has_minimum_permissions);
  auto& perms = (*admin)->permissions;
  for (const char* needed :
       {"org:sys_memberships:manage", "org:sys_memberships:read", "org:sys_profile:delete"}) {
    EXPECT_NE(std::find(perms.begin(), perms.end(), needed), perms.end()) << needed;
  }
  auto member = FindRole("org:member");
  ASSERT_TRUE(member);
  EXPECT_FALSE((*member)->has_minimum_permissions);
  EXPECT_EQ(FindRole(kCreatorRole).value()->key, "org:admin");
  EXPECT_EQ(RolesWithMinimumPermissions(), std::vector<std::string>{"org:admin"});
}

TEST(RolesTest, UnknownAndEmptyRoles) {
  auto unknown = FindRole("org:owner");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().clerk_code, "resource_not_found");
  EXPECT_EQ(FindRole("admin").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(FindRole("").error().clerk_code, "form_param_missing");
}

}  // namespace
}  // namespace orgd::domain
