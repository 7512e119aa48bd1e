// Writes re-run from the request, not from an aborted attempt (issue 13): PostgreSQL retries a
// write after a serialization failure, and the retried work must give what a clean run in the
// database as it then is would give. The test makes the first attempt roll back as a
// serialization failure would, changes the database between the attempts on a connection of its
// own, and compares with what a clean run gives: the slug, the member limit, the counts.
#include <gtest/gtest.h>

#include "domain/errors.h"
#include "service/membership_service.h"
#include "service/organization_service.h"
#include "service/user_service.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_database.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/no_images.h"
#include "testing/postgres.h"

namespace orgd::service {
namespace {

using testing::Await;
using testing::SecretKeyContext;

using testing::NoImages;

class WriteRetryTest : public ::testing::Test {
 protected:
  WriteRetryTest() : clock_(1'700'000'000'000), ids_(clock_) {
    url_ = testing::CreateTestDatabase();
    store::postgres::PostgresOptions options;
    options.url = url_;
    options.pool_size = 2;
    db_ = std::move(*store::postgres::PostgresDatabase::Open(options));
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    orgs_ = std::make_unique<OrganizationService>(*db_, clock_, ids_, images_, executor_,
                                                  *authority_, payloads_);
    users_ = std::make_unique<UserService>(*db_, clock_, ids_, images_, executor_, payloads_);
    members_ = std::make_unique<MembershipService>(*db_, clock_, ids_, *authority_, payloads_);
    raw_ = std::move(*store::postgres::PostgresConnection::Open(url_));
  }
  ~WriteRetryTest() override { db_->Close(); }

  Result<domain::Organization> CreateOrg(std::string name, std::optional<int64_t> max = {}) {
    CreateOrganizationCommand cmd;
    cmd.name = std::move(name);
    cmd.max_allowed_memberships = max;
    return Await<domain::Organization>(
        [&](auto cb) { orgs_->Create(SecretKeyContext(), std::move(cmd), cb); });
  }
  std::string NewUser(std::string email) {
    CreateUserCommand cmd;
    cmd.email_addresses = {std::move(email)};
    return Await<domain::User>(
               [&](auto cb) { users_->Create(SecretKeyContext(), std::move(cmd), cb); })
        ->id;
  }
  Result<MembershipView> AddMember(const std::string& org, const std::string& user) {
    CreateMembershipCommand cmd;
    cmd.user_id = user;
    cmd.role = "org:member";
    return Await<MembershipView>(
        [&](auto cb) { members_->Create(SecretKeyContext(), org, std::move(cmd), cb); });
  }
  int64_t Scalar(const std::string& sql) {
    auto stmt = raw_->Prepare(sql);
    EXPECT_TRUE(stmt);
    auto row = stmt->Step();
    EXPECT_TRUE(row && *row);
    return stmt->Int(0);
  }
  void Exec(const std::string& sql) { ASSERT_TRUE(raw_->Exec(sql)) << sql; }

  std::string url_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  NoImages images_;
  InlineExecutor executor_;
  testing::TestEventPayloads payloads_;
  std::unique_ptr<store::postgres::PostgresDatabase> db_;
  std::unique_ptr<PermissionAuthority> authority_;
  std::unique_ptr<OrganizationService> orgs_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<MembershipService> members_;
  std::unique_ptr<store::postgres::PostgresConnection> raw_;
};

// The first attempt finds "acme" taken (so it derives a suffixed slug) and the default limit 5;
// before the retry the holder of "acme" is deleted and the default limit becomes 7. The retry
// must give "acme" and 7, as a clean run now would, not the first attempt's suffixed slug and 5.
TEST_F(WriteRetryTest, ARetriedOrganizationCreateStartsFromTheRequest) {
  ASSERT_TRUE(CreateOrg("Acme"));
  int between_runs = 0;
  db_->InjectSerializationFailuresForTest(1, [&] {
    ++between_runs;
    auto conn = store::postgres::PostgresConnection::Open(url_);
    ASSERT_TRUE(conn);
    ASSERT_TRUE((*conn)->Exec("DELETE FROM organizations WHERE slug = 'acme'"));
    ASSERT_TRUE((*conn)->Exec(
        "UPDATE instance_settings SET value = jsonb_set(value::jsonb, "
        "'{max_allowed_memberships}', '7')::text WHERE name = 'organization_settings'"));
  });
  auto retried = CreateOrg("Acme");
  ASSERT_TRUE(retried) << retried.error().detail;
  EXPECT_EQ(between_runs, 1);
  EXPECT_EQ(retried->slug, "acme");
  EXPECT_EQ(retried->max_allowed_memberships, 7);
  // A clean run in the same state gives the same shape.
  auto clean = CreateOrg("Acme");
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->max_allowed_memberships, 7);
  EXPECT_TRUE(clean->slug.starts_with("acme-")) << clean->slug;
  EXPECT_EQ(Scalar("SELECT count(*) FROM organizations"), 2);
}

// A membership add that is retried counts its member once, and a retry that finds the
// organization filled meanwhile is refused like a clean run, with the count equal to the rows.
TEST_F(WriteRetryTest, ARetriedMembershipAddKeepsCountsExact) {
  auto org = CreateOrg("Counted", 2);
  ASSERT_TRUE(org);
  const std::string first = NewUser("first@acme.com"), second = NewUser("second@acme.com"),
                    third = NewUser("third@acme.com");
  db_->InjectSerializationFailuresForTest(1);
  ASSERT_TRUE(AddMember(org->id, first));
  const std::string members_count =
      "SELECT members_count FROM organizations WHERE id = '" + org->id + "'";
  const std::string rows =
      "SELECT count(*) FROM organization_memberships WHERE organization_id = '" + org->id + "'";
  EXPECT_EQ(Scalar(members_count), 1);
  EXPECT_EQ(Scalar(rows), 1);

  // Between the attempts another node adds `second` (the organization is then full).
  db_->InjectSerializationFailuresForTest(1, [&] {
    auto conn = store::postgres::PostgresConnection::Open(url_);
    ASSERT_TRUE(conn);
    ASSERT_TRUE((*conn)->Exec(
        "INSERT INTO organization_memberships (id, organization_id, user_id, role, "
        "public_metadata, private_metadata, created_at, updated_at) VALUES ('orgmem_other', '" +
        org->id + "', '" + second + "', 'org:member', '{}', '{}', 1, 1)"));
    ASSERT_TRUE(
        (*conn)->Exec("UPDATE organizations SET members_count = members_count + 1 WHERE "
                      "id = '" +
                      org->id + "'"));
  });
  auto refused = AddMember(org->id, third);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().clerk_code, "organization_membership_quota_exceeded");
  EXPECT_EQ(Scalar(members_count), 2);
  EXPECT_EQ(Scalar(rows), 2);
}

}  // namespace
}  // namespace orgd::service
