// MembershipService and UserService on each real store (a SQLite file, a PostgreSQL database):
// the membership rules, one layer down from the SDK tests.
#include "service/membership_service.h"

#include <gtest/gtest.h>

#include <future>

#include "common/executor.h"
#include "domain/errors.h"
#include "service/organization_service.h"
#include "service/user_service.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/no_images.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

using testing::NoImages;

using testing::Await;

class MembershipServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  MembershipServiceTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    orgs_ = std::make_unique<OrganizationService>(*db_, clock_, ids_, images_, executor_,
                                                  *authority_, payloads_);
    users_ = std::make_unique<UserService>(*db_, clock_, ids_, images_, executor_, payloads_);
    members_ = std::make_unique<MembershipService>(*db_, clock_, ids_, *authority_, payloads_);
  }
  ~MembershipServiceTest() override { db_->Close(); }

  std::string NewUser(std::string email) {
    CreateUserCommand cmd;
    cmd.email_addresses = {std::move(email)};
    auto user = Await<domain::User>(
        [&](auto cb) { users_->Create(testing::SecretKeyContext(), std::move(cmd), cb); });
    EXPECT_TRUE(user);
    return user->id;
  }
  Result<domain::Organization> NewOrg(std::optional<std::string> created_by = {},
                                      int64_t max_members = 0) {
    CreateOrganizationCommand cmd;
    cmd.name = "Org";
    cmd.created_by = std::move(created_by);
    cmd.max_allowed_memberships = max_members;
    return Await<domain::Organization>(
        [&](auto cb) { orgs_->Create(testing::SecretKeyContext(), std::move(cmd), cb); });
  }
  Result<MembershipView> Add(const std::string& org, const std::string& user,
                             std::string role = "org:member") {
    CreateMembershipCommand cmd;
    cmd.user_id = user;
    cmd.role = std::move(role);
    return Await<MembershipView>(
        [&](auto cb) { members_->Create(testing::SecretKeyContext(), org, std::move(cmd), cb); });
  }
  Result<MembershipView> SetRole(const std::string& org, const std::string& user,
                                 std::string role) {
    return Await<MembershipView>([&](auto cb) {
      members_->UpdateRole(testing::SecretKeyContext(), org, user, std::move(role), cb);
    });
  }
  Result<MembershipView> Remove(const std::string& org, const std::string& user) {
    return Await<MembershipView>(
        [&](auto cb) { members_->Delete(testing::SecretKeyContext(), org, user, cb); });
  }
  int64_t Count(const std::string& org) {
    return Await<domain::Organization>(
               [&](auto cb) { orgs_->Get(testing::SecretKeyContext(), org, cb); })
        ->members_count;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  NoImages images_;
  InlineExecutor executor_;
  testing::TestEventPayloads payloads_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<OrganizationService> orgs_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<PermissionAuthority> authority_;
  std::unique_ptr<MembershipService> members_;
};

// The services decide what a signed-in user may do in an organization, from their membership
// there (service/authorization.h); what they may not do changes nothing.
TEST_P(MembershipServiceTest, SessionCallersMayDoWhatTheirRoleGrantsThere) {
  const std::string admin = NewUser("admin@x.com"), member = NewUser("member@x.com"),
                    stranger = NewUser("stranger@x.com"), newcomer = NewUser("new@x.com");
  auto org = NewOrg(admin);
  ASSERT_TRUE(org);
  ASSERT_TRUE(Add(org->id, member));
  const auto as_admin = testing::SessionContext(admin);
  const auto as_member = testing::SessionContext(member);
  const auto as_stranger = testing::SessionContext(stranger);
  auto get = [&](const RequestContext& ctx) {
    return Await<domain::Organization>([&](auto cb) { orgs_->Get(ctx, org->id, cb); });
  };
  auto rename = [&](const RequestContext& ctx, std::string name) {
    UpdateOrganizationCommand cmd;
    cmd.name = std::move(name);
    return Await<domain::Organization>(
        [&](auto cb) { orgs_->Update(ctx, org->id, std::move(cmd), cb); });
  };
  auto add = [&](const RequestContext& ctx, const std::string& user) {
    CreateMembershipCommand cmd;
    cmd.user_id = user;
    cmd.role = "org:member";
    return Await<MembershipView>(
        [&](auto cb) { members_->Create(ctx, org->id, std::move(cmd), cb); });
  };
  auto list = [&](const RequestContext& ctx) {
    store::MembershipListQuery query;
    query.organization_id = org->id;
    query.limit = 10;
    return Await<store::Page<MembershipView>>([&](auto cb) { members_->List(ctx, query, cb); });
  };

  // Any member reads the organization; a stranger learns nothing of it.
  EXPECT_TRUE(get(as_admin));
  EXPECT_TRUE(get(as_member));
  EXPECT_EQ(get(as_stranger).error().clerk_code, "organization_not_found_or_unauthorized");
  // Renaming needs org:sys_profile:manage, which org:member lacks.
  EXPECT_EQ(rename(as_member, "Mine").error().clerk_code, "missing_organization_permission");
  EXPECT_EQ(rename(as_stranger, "Mine").error().clerk_code,
            "organization_not_found_or_unauthorized");
  EXPECT_EQ(get(as_admin)->name, "Org");
  ASSERT_TRUE(rename(as_admin, "Renamed"));
  // Members read the member list (org:sys_memberships:read); only admins add members.
  EXPECT_TRUE(list(as_member));
  EXPECT_EQ(list(as_stranger).error().clerk_code, "organization_not_found_or_unauthorized");
  EXPECT_EQ(add(as_member, newcomer).error().clerk_code, "missing_organization_permission");
  EXPECT_EQ(Count(org->id), 2);
  ASSERT_TRUE(add(as_admin, newcomer));
  EXPECT_EQ(Count(org->id), 3);
  // Deleting needs org:sys_profile:delete; metadata is the app's backend's alone.
  auto deleted =
      Await<DeletedOrganization>([&](auto cb) { orgs_->Delete(as_member, org->id, cb); });
  EXPECT_EQ(deleted.error().clerk_code, "missing_organization_permission");
  MetadataCommand metadata;
  metadata.public_metadata = boost::json::object{{"plan", "free"}};
  auto merged = Await<domain::Organization>(
      [&](auto cb) { orgs_->MergeMetadata(as_admin, org->id, metadata, cb); });
  EXPECT_EQ(merged.error().clerk_code, "authorization_invalid");
  // Instance-wide operations are the secret key's.
  auto all = Await<store::Page<domain::Organization>>([&](auto cb) {
    store::OrganizationListQuery query;
    query.limit = 10;
    orgs_->List(as_admin, query, cb);
  });
  EXPECT_EQ(all.error().clerk_code, "authorization_invalid");
  EXPECT_TRUE(get(as_admin));
  EXPECT_EQ(get(as_admin)->name, "Renamed");
}

TEST_P(MembershipServiceTest, CreatorBecomesAdminInTheSameTransaction) {
  std::string creator = NewUser("creator@x.com");
  auto org = NewOrg(creator);
  ASSERT_TRUE(org);
  EXPECT_EQ(org->members_count, 1);
  auto view = SetRole(org->id, creator, "org:admin");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->membership.role, "org:admin");

  auto unknown = NewOrg("user_0000000000000000000000000000");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().clerk_code, "organization_creator_not_found");
  // Nothing of the refused organization remains: its slug is still free.
  CreateOrganizationCommand again;
  again.name = "Org";
  again.slug = "org-free";
  EXPECT_TRUE(Await<domain::Organization>(
      [&](auto cb) { orgs_->Create(testing::SecretKeyContext(), again, cb); }));
}

TEST_P(MembershipServiceTest, AlreadyAMemberWinsOverAFullOrganization) {
  auto org = NewOrg({}, 1);
  std::string a = NewUser("a@x.com");
  std::string b = NewUser("b@x.com");
  ASSERT_TRUE(Add(org->id, a));
  EXPECT_EQ(Add(org->id, a).error().clerk_code, "already_a_member_in_organization");
  EXPECT_EQ(Add(org->id, b).error().clerk_code, "organization_membership_quota_exceeded");
  EXPECT_EQ(Add(org->id, b, "org:owner").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count(org->id), 1);
}

TEST_P(MembershipServiceTest, TheLastAdminStaysWhileOthersRemain) {
  auto org = NewOrg();
  std::string admin = NewUser("admin@x.com");
  std::string member = NewUser("member@x.com");
  ASSERT_TRUE(Add(org->id, admin, "org:admin"));
  ASSERT_TRUE(Add(org->id, member));
  EXPECT_EQ(SetRole(org->id, admin, "org:member").error().clerk_code,
            "organization_minimum_permissions_needed");
  EXPECT_EQ(Remove(org->id, admin).error().clerk_code, "organization_minimum_permissions_needed");
  // A second admin makes the first one free to go.
  ASSERT_TRUE(SetRole(org->id, member, "org:admin"));
  EXPECT_TRUE(SetRole(org->id, admin, "org:member"));
  // The only member, an admin, may leave the organization empty.
  ASSERT_TRUE(Remove(org->id, admin));
  auto last = Remove(org->id, member);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->organization.members_count, 0);
  EXPECT_EQ(Count(org->id), 0);
}

TEST_P(MembershipServiceTest, DeletingAUserUncountsTheirMemberships) {
  auto org = NewOrg();
  std::string a = NewUser("a@x.com");
  std::string b = NewUser("b@x.com");
  ASSERT_TRUE(Add(org->id, a, "org:admin"));
  ASSERT_TRUE(Add(org->id, b));
  ASSERT_TRUE(
      Await<std::string>([&](auto cb) { users_->Delete(testing::SecretKeyContext(), a, cb); }));
  EXPECT_EQ(Count(org->id), 1);
  store::MembershipListQuery q;
  q.organization_id = org->id;
  auto page = Await<store::Page<MembershipView>>(
      [&](auto cb) { members_->List(testing::SecretKeyContext(), q, cb); });
  ASSERT_EQ(page->data.size(), 1u);
  EXPECT_EQ(page->data[0].user.id, b);
  EXPECT_EQ(page->total_count, 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, MembershipServiceTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
