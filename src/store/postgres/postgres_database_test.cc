// What only the PostgreSQL pool does: a transaction that a failed statement aborted is never
// committed, and work that runs no statement opens no transaction.
#include "store/postgres/postgres_database.h"

#include <gtest/gtest.h>

#include "domain/errors.h"
#include "testing/postgres.h"
#include "testing/store_sync.h"

namespace orgd::store::postgres {
namespace {

using testing::ReadSync;
using testing::WriteSync;

domain::Organization Org(std::string id, std::string slug) {
  domain::Organization org;
  org.id = std::move(id);
  org.name = "Org";
  org.slug = std::move(slug);
  return org;
}

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  PostgresDatabaseTest() {
    PostgresOptions options;
    options.url = testing::CreateTestDatabase();
    options.pool_size = 1;
    db_ = std::move(*PostgresDatabase::Open(options));
  }
  std::unique_ptr<PostgresDatabase> db_;
};

TEST_F(PostgresDatabaseTest, WorkThatCarriesOnAfterAFailedStatementCommitsNothing) {
  ASSERT_TRUE(WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.organizations().Insert(Org("org_1", "one")); }));
  // The second insert reuses org_1's ID (a primary-key violation); the work ignores that and
  // reports success. PostgreSQL has aborted the transaction: org_2 must not appear either.
  auto r = WriteSync<void>(*db_, [](WriteTransaction& tx) -> Result<void> {
    (void)tx.organizations().Insert(Org("org_1", "other"));
    (void)tx.organizations().Insert(Org("org_2", "two"));
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  auto org2 = ReadSync<domain::Organization>(
      *db_, [](ReadTransaction& tx) { return tx.organizations().Get("org_2"); });
  EXPECT_EQ(org2.error().code, ErrorCode::kNotFound);
  // The connection is fine afterwards.
  EXPECT_TRUE(WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.organizations().Insert(Org("org_3", "three")); }));
}

TEST_F(PostgresDatabaseTest, WorkThatRunsNoStatementAnswersWithoutATransaction) {
  EXPECT_TRUE(WriteSync<void>(*db_, [](WriteTransaction&) -> Result<void> { return {}; }));
  auto refused = WriteSync<void>(
      *db_, [](WriteTransaction&) -> Result<void> { return errors::NotFound("thing"); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(ReadSync<void>(*db_, [](ReadTransaction&) -> Result<void> { return {}; }));
  // The next piece of work still opens its own transaction and sees committed data.
  ASSERT_TRUE(WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.organizations().Insert(Org("org_1", "one")); }));
  EXPECT_TRUE(ReadSync<domain::Organization>(
      *db_, [](ReadTransaction& tx) { return tx.organizations().Get("one"); }));
}

}  // namespace
}  // namespace orgd::store::postgres
