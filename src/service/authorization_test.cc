#include "service/authorization.h"

#include <gtest/gtest.h>

#include <memory>

#include "store/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

using Scope = OperationPolicy::Scope;

domain::Permission Perm(std::string key) {
  domain::Permission p;
  p.key = std::move(key);
  p.type = "system";
  return p;
}

domain::Role RoleWith(std::string key, std::vector<std::string> permissions) {
  domain::Role r;
  r.key = std::move(key);
  for (auto& p : permissions) r.permissions.push_back(Perm(std::move(p)));
  return r;
}

// The callers of the table, each with their role in the organization concerned.
struct Who {
  const char* name;
  Caller caller;
  std::optional<std::string> role;
};

class AuthorizationTest : public ::testing::Test {
 protected:
  AuthorizationTest() {
    store::sqlite::SqliteOptions options;
    options.path = dir_.File("orgd.db");
    db_ = std::move(*store::sqlite::SqliteDatabase::Open(options));
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    const std::vector<std::string> all = {
        "org:sys_profile:manage",     "org:sys_profile:delete", "org:sys_memberships:read",
        "org:sys_memberships:manage", "org:sys_domains:read",   "org:sys_domains:manage",
        "org:sys_billing:read",       "org:sys_billing:manage", "org:sys_entconns:manage"};
    authority_->Publish(std::make_shared<const domain::RoleTable>(
        std::vector<domain::Role>{
            RoleWith("org:admin", all),
            RoleWith("org:member", {"org:sys_memberships:read", "org:sys_billing:read"}),
            // A custom role with every permission, and one with none.
            RoleWith("org:custom_all", all), RoleWith("org:custom_none", {})},
        1));
  }
  ~AuthorizationTest() override { db_->Close(); }

  bool Allowed(const Who& who, Operation op) {
    return Authorize(who.caller, op, who.role, *authority_).has_value();
  }

  orgd::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PermissionAuthority> authority_;
};

TEST_F(AuthorizationTest, EveryOperationForEveryKindOfCaller) {
  // The same signed-in user; what differs is their role in the organization concerned.
  const Caller user = Caller::Session("user_1", "sess_1", "org_1");
  const Who secret_key{"secret key", Caller::SecretKey("key_1"), std::nullopt};
  const Who system{"system", Caller::System("job"), std::nullopt};
  const Who admin{"admin", user, "org:admin"};
  const Who member{"member", user, "org:member"};
  const Who custom_with{"custom role with the permission", user, "org:custom_all"};
  const Who custom_without{"custom role without it", user, "org:custom_none"};
  const Who stranger{"non-member", user, std::nullopt};

  size_t count = 0;
  const OperationPolicy* policies = AllPolicies(&count);
  ASSERT_GT(count, 0u);
  for (size_t i = 0; i < count; ++i) {
    const OperationPolicy& p = policies[i];
    SCOPED_TRACE(std::string(p.name));
    // Trusted callers run everything, in any organization, member or not.
    EXPECT_TRUE(Allowed(secret_key, p.operation));
    EXPECT_TRUE(Allowed(system, p.operation));
    // Nobody else runs instance operations, whatever their role somewhere.
    if (p.scope == Scope::kInstance || p.trusted_only) {
      for (const Who* w : {&admin, &member, &custom_with, &custom_without, &stranger}) {
        EXPECT_FALSE(Allowed(*w, p.operation)) << w->name;
      }
      continue;
    }
    // A non-member never, an admin and a custom role with every permission always.
    EXPECT_FALSE(Allowed(stranger, p.operation));
    EXPECT_TRUE(Allowed(admin, p.operation));
    EXPECT_TRUE(Allowed(custom_with, p.operation));
    // A member and a role without permissions: exactly when the operation needs none they lack.
    const bool member_has = p.permission.empty() || p.permission == "org:sys_memberships:read";
    EXPECT_EQ(Allowed(member, p.operation), member_has);
    EXPECT_EQ(Allowed(custom_without, p.operation), p.permission.empty());
  }
}

TEST_F(AuthorizationTest, TheTableSaysWhatBehaviorSection42Says) {
  EXPECT_EQ(PolicyFor(Operation::kUpdateOrganization).permission, "org:sys_profile:manage");
  EXPECT_EQ(PolicyFor(Operation::kManageLogo).permission, "org:sys_profile:manage");
  EXPECT_EQ(PolicyFor(Operation::kDeleteOrganization).permission, "org:sys_profile:delete");
  EXPECT_EQ(PolicyFor(Operation::kReadMemberships).permission, "org:sys_memberships:read");
  EXPECT_EQ(PolicyFor(Operation::kManageMemberships).permission, "org:sys_memberships:manage");
  EXPECT_EQ(PolicyFor(Operation::kReadDomains).permission, "org:sys_domains:read");
  EXPECT_EQ(PolicyFor(Operation::kManageDomains).permission, "org:sys_domains:manage");
  EXPECT_TRUE(PolicyFor(Operation::kReadOrganization).permission.empty());
  EXPECT_EQ(PolicyFor(Operation::kManageUsers).scope, Scope::kInstance);
}

TEST_F(AuthorizationTest, RefusalsUseClerksCodes) {
  const Caller user = Caller::Session("user_1", "sess_1");
  auto not_member = Authorize(user, Operation::kReadOrganization, std::nullopt, *authority_);
  ASSERT_FALSE(not_member);
  EXPECT_EQ(not_member.error().clerk_code, "organization_not_found_or_unauthorized");
  auto lacking = Authorize(user, Operation::kDeleteOrganization, "org:member", *authority_);
  ASSERT_FALSE(lacking);
  EXPECT_EQ(lacking.error().clerk_code, "missing_organization_permission");
  auto instance = Authorize(user, Operation::kManageSettings, "org:admin", *authority_);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().clerk_code, "authorization_invalid");
}

}  // namespace
}  // namespace orgd::service
