// Stored JSON that older orgd versions wrote as non-JSON (issue 12): reads survive it, opening
// the store repairs it, and nothing writes it again. Runs on SQLite and PostgreSQL.
#include "store/sql/stored_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <limits>
#include <memory>

#include "store/database.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_database.h"
#include "testing/postgres.h"
#include "testing/store_sync.h"
#include "testing/temp_dir.h"

namespace orgd::store::sql {
namespace {

using orgd::testing::ReadSync;
using orgd::testing::WriteSync;

TEST(StoredJsonTest, ParsesRepairingWhatOlderVersionsWrote) {
  EXPECT_EQ(ParseStoredJson(R"({"a":1,"s":"Infinity"})", "t.c", "id"),
            boost::json::parse(R"({"a":1,"s":"Infinity"})"));
  EXPECT_EQ(ParseStoredJson(R"({"a":Infinity,"b":[-Infinity,NaN],"s":"NaN"})", "t.c", "id"),
            boost::json::parse(R"({"a":null,"b":[null,null],"s":"NaN"})"));
  // A literal beyond a double's range parses as infinite; it is read as null too.
  EXPECT_EQ(ParseStoredJson(R"({"a":1e400})", "t.c", "id"), boost::json::parse(R"({"a":null})"));
  // Not JSON at all: read as null rather than failing the read.
  EXPECT_TRUE(ParseStoredJson("{not json", "t.c", "id").is_null());
}

TEST(StoredJsonTest, RefusesToWriteNonFiniteNumbers) {
  boost::json::object o;
  o["n"] = std::numeric_limits<double>::infinity();
  auto text = StoredJsonText(o, "organizations.public_metadata");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kInternal);
  auto fine = StoredJsonText(boost::json::parse(R"({"n":1})"), "t.c");
  ASSERT_TRUE(fine);
  EXPECT_EQ(*fine, R"({"n":1})");
}

// One store, with a raw connection beside it to plant what the API can no longer write.
class StoredJsonRepairTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") url_ = orgd::testing::CreateTestDatabase();
    Open();
  }
  void TearDown() override {
    if (db_) db_->Close();
  }

  void Open() {
    if (GetParam() == "postgres") {
      postgres::PostgresOptions options;
      options.url = url_;
      options.pool_size = 1;
      auto db = postgres::PostgresDatabase::Open(options);
      ASSERT_TRUE(db) << db.error().detail;
      db_ = std::move(*db);
    } else {
      sqlite::SqliteOptions options;
      options.path = dir_.File("orgd.db");
      auto db = sqlite::SqliteDatabase::Open(options);
      ASSERT_TRUE(db) << db.error().detail;
      db_ = std::move(*db);
    }
  }
  void Reopen() {
    db_->Close();
    db_.reset();
    Open();
  }

  std::unique_ptr<Connection> Raw() {
    if (GetParam() == "postgres") {
      auto conn = postgres::PostgresConnection::Open(url_);
      if (!conn) throw std::runtime_error(conn.error().detail);
      return std::move(*conn);
    }
    auto conn = sqlite::SqliteConnection::Open(dir_.File("orgd.db"),
                                               sqlite::SqliteConnection::Mode::kReadWrite);
    if (!conn) throw std::runtime_error(conn.error().detail);
    return std::move(*conn);
  }
  std::string RawText(const std::string& sql) {
    auto conn = Raw();
    auto stmt = conn->Prepare(sql);
    EXPECT_TRUE(stmt);
    auto row = stmt->Step();
    EXPECT_TRUE(row && *row);
    return stmt->Text(0);
  }

  void InsertRecords() {
    ASSERT_TRUE(WriteSync<void>(*db_, [](WriteTransaction& tx) -> Result<void> {
      domain::Organization org;
      org.id = "org_1";
      org.name = "One";
      org.slug = "one";
      org.max_allowed_memberships = 5;
      if (auto r = tx.organizations().Insert(org); !r) return r;
      domain::User user;
      user.id = "user_1";
      if (auto r = tx.users().Insert(user); !r) return r;
      domain::Membership m;
      m.id = "orgmem_1";
      m.organization_id = "org_1";
      m.user_id = "user_1";
      m.role = "org:member";
      return tx.memberships().Insert(m);
    }));
  }

  // What orgd before issue 12 stored for {"n":1e400,"s":"Infinity"} and friends.
  void PlantBadRows() {
    auto conn = Raw();
    ASSERT_TRUE(conn->Exec(
        "UPDATE organizations SET public_metadata = '{\"n\":Infinity,\"s\":\"Infinity\"}', "
        "private_metadata = '{\"m\":-Infinity}' WHERE id = 'org_1'"));
    ASSERT_TRUE(
        conn->Exec("UPDATE users SET unsafe_metadata = '{\"a\":[NaN,1]}' WHERE id = 'user_1'"));
    ASSERT_TRUE(conn->Exec(
        "UPDATE organization_memberships SET public_metadata = '{\"x\":{\"y\":Infinity}}' "
        "WHERE id = 'orgmem_1'"));
  }

  void ExpectReadsWork() {
    auto org = ReadSync<domain::Organization>(
        *db_, [](ReadTransaction& tx) { return tx.organizations().Get("org_1"); });
    ASSERT_TRUE(org) << org.error().detail;
    EXPECT_EQ(org->public_metadata, boost::json::parse(R"({"n":null,"s":"Infinity"})"));
    EXPECT_EQ(org->private_metadata, boost::json::parse(R"({"m":null})"));
    auto page = ReadSync<Page<domain::Organization>>(
        *db_, [](ReadTransaction& tx) { return tx.organizations().List(OrganizationListQuery{}); });
    ASSERT_TRUE(page) << page.error().detail;
    EXPECT_EQ(page->data.size(), 1u);
    auto user =
        ReadSync<domain::User>(*db_, [](ReadTransaction& tx) { return tx.users().Get("user_1"); });
    ASSERT_TRUE(user) << user.error().detail;
    EXPECT_EQ(user->unsafe_metadata, boost::json::parse(R"({"a":[null,1]})"));
    auto m = ReadSync<domain::Membership>(
        *db_, [](ReadTransaction& tx) { return tx.memberships().Get("org_1", "user_1"); });
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->public_metadata, boost::json::parse(R"({"x":{"y":null}})"));
  }

  orgd::testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_P(StoredJsonRepairTest, ReadsSurviveNonJsonTokensAndOpeningRepairsThem) {
  InsertRecords();
  PlantBadRows();
  // Before any repair: every read answers, the tokens read as null.
  ExpectReadsWork();

  Reopen();
  EXPECT_EQ(RawText("SELECT public_metadata FROM organizations WHERE id = 'org_1'"),
            R"({"n":null,"s":"Infinity"})");
  EXPECT_EQ(RawText("SELECT private_metadata FROM organizations WHERE id = 'org_1'"),
            R"({"m":null})");
  EXPECT_EQ(RawText("SELECT unsafe_metadata FROM users WHERE id = 'user_1'"), R"({"a":[null,1]})");
  EXPECT_EQ(RawText("SELECT public_metadata FROM organization_memberships WHERE id = 'orgmem_1'"),
            R"({"x":{"y":null}})");
  // Untouched values stay as they were.
  EXPECT_EQ(RawText("SELECT private_metadata FROM users WHERE id = 'user_1'"), "{}");
  ExpectReadsWork();

  // A second open finds nothing left to repair (and changes nothing).
  auto conn = Raw();
  auto again = RepairStoredJson(*conn);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

TEST_P(StoredJsonRepairTest, AWriteWithANonFiniteNumberStoresNothing) {
  auto r = WriteSync<void>(*db_, [](WriteTransaction& tx) {
    domain::Organization org;
    org.id = "org_2";
    org.name = "Two";
    org.slug = "two";
    boost::json::object meta;
    meta["n"] = std::numeric_limits<double>::infinity();
    org.public_metadata = meta;
    return tx.organizations().Insert(org);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  auto got = ReadSync<domain::Organization>(
      *db_, [](ReadTransaction& tx) { return tx.organizations().Get("org_2"); });
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoredJsonRepairTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgres")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::store::sql
