#include "server/seed.h"

#include <gtest/gtest.h>

#include "store/sqlite/connection.h"
#include "testing/temp_dir.h"

namespace orgd::server {
namespace {

int64_t Scalar(store::sqlite::SqliteConnection& conn, const std::string& sql) {
  auto stmt = conn.Prepare(sql);
  EXPECT_TRUE(stmt);
  EXPECT_TRUE(*stmt->Step());
  return stmt->Int(0);
}

TEST(SeedTest, FillsAStoreWithConsistentCounts) {
  testing::TempDir dir;
  SeedOptions o;
  o.database = "sqlite:" + dir.File("orgd.db");
  o.organizations = 50;
  o.users = 40;
  o.members_per_org = 3;
  o.big_org_members = 20;
  o.user_orgs = 5;
  o.spare_users = 7;
  auto report = Seed(o);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report->organizations, 51);  // plus the add-member target
  EXPECT_EQ(report->users, 40 + 1 + 7);  // pool, the "many" user, spare users
  EXPECT_EQ(report->memberships, 20 + 49 * 3 + 5);

  auto conn = store::sqlite::SqliteConnection::Open(
      dir.File("orgd.db"), store::sqlite::SqliteConnection::Mode::kReadOnly);
  ASSERT_TRUE(conn);
  EXPECT_EQ(Scalar(**conn, "SELECT count(*) FROM organization_memberships"), report->memberships);
  // members_count, kept by the store's writes, agrees with the rows.
  EXPECT_EQ(Scalar(**conn,
                   "SELECT count(*) FROM organizations o WHERE members_count != (SELECT "
                   "count(*) FROM organization_memberships m WHERE m.organization_id = o.id)"),
            0);
  EXPECT_EQ(Scalar(**conn,
                   "SELECT members_count FROM organizations WHERE id = "
                   "'org_000000000000000000000000000'"),
            20);
}

TEST(SeedTest, RefusesInconsistentOptions) {
  testing::TempDir dir;
  SeedOptions o;
  o.database = "sqlite:" + dir.File("orgd.db");
  o.organizations = 10;
  o.user_orgs = 10;  // must be below the number of organizations
  EXPECT_FALSE(Seed(o));
  o.user_orgs = 1;
  o.users = 5;
  o.big_org_members = 6;  // more than the pool
  EXPECT_FALSE(Seed(o));
}

}  // namespace
}  // namespace orgd::server
