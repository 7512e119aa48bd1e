#include "domain/roles.h"

#include <gtest/gtest.h>

namespace orgd::domain {
namespace {

Permission Perm(std::string key) { return Permission{"perm_" + key, key, key, "", "user", 0, 0}; }

Role MakeRole(std::string key, std::vector<std::string> permission_keys) {
  Role role;
  role.id = "role_" + key;
  role.key = std::move(key);
  role.name = role.key;
  for (auto& k : permission_keys) role.permissions.push_back(Perm(std::move(k)));
  return role;
}

TEST(RolesTest, CreatorEligibilityNeedsAllThreePermissions) {
  EXPECT_TRUE(MakeRole("org:admin", {"org:sys_memberships:manage", "org:sys_memberships:read",
                                     "org:sys_profile:delete", "org:x:y"})
                  .IsCreatorEligible());
  EXPECT_FALSE(MakeRole("org:almost", {"org:sys_memberships:manage", "org:sys_memberships:read"})
                   .IsCreatorEligible());
}

TEST(RolesTest, RoleKeys) {
  for (const char* ok : {"org:admin", "org:billing_manager", "org:a1"}) {
    EXPECT_TRUE(ValidateRoleKey(ok)) << ok;
  }
  for (const char* bad : {"admin", "org:", "org:Admin", "org:a-b", "org:a:b", "role:x"}) {
    auto r = ValidateRoleKey(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_format_invalid");
  }
}

TEST(RolesTest, PermissionKeys) {
  for (const char* ok : {"org:invoices:create", "org:a_b:c_d", "org:x1:y2"}) {
    EXPECT_TRUE(ValidatePermissionKey(ok)) << ok;
  }
  for (const char* bad : {"org:invoices", "invoices:create", "org::create", "org:a:b:c",
                          "org:Inv:create", "org:sys_profile:manage", "org:sys_x:y"}) {
    EXPECT_FALSE(ValidatePermissionKey(bad)) << bad;
  }
}

TEST(RoleTableTest, AnswersFromTheSnapshot) {
  RoleTable table({MakeRole("org:admin", {"org:sys_memberships:manage", "org:sys_memberships:read",
                                          "org:sys_profile:delete"}),
                   MakeRole("org:viewer", {"org:invoices:read"})},
                  7);
  EXPECT_EQ(table.version(), 7);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_TRUE(table.Can("org:viewer", "org:invoices:read"));
  EXPECT_FALSE(table.Can("org:viewer", "org:invoices:create"));
  EXPECT_FALSE(table.Can("org:nobody", "org:invoices:read"));
  ASSERT_NE(table.Find("org:admin"), nullptr);
  EXPECT_TRUE(table.Find("org:admin")->creator_eligible);
  EXPECT_FALSE(table.Find("org:viewer")->creator_eligible);
  EXPECT_EQ(table.Find("org:nobody"), nullptr);
}

}  // namespace
}  // namespace orgd::domain
