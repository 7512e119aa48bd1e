#include "store/sql/table_dump.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "testing/temp_dir.h"

namespace orgd::store::sql {
namespace {

namespace json = boost::json;

class TableDumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = sqlite::SqliteConnection::Open(dir_.File("orgd.db"),
                                               sqlite::SqliteConnection::Mode::kReadWrite);
    ASSERT_TRUE(conn) << conn.error().detail;
    conn_ = std::move(*conn);
    ASSERT_TRUE(sqlite::ApplyMigrations(*conn_));
  }

  std::vector<json::object> Dump(std::string_view table, bool secrets = true) {
    std::vector<json::object> rows;
    auto n = ReadTable(*conn_, *FindExportedTable(table), secrets, [&](const json::object& row) {
      rows.push_back(row);
      return Result<void>();
    });
    EXPECT_TRUE(n) << n.error().detail;
    return rows;
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteConnection> conn_;
};

// A table a migration adds is either exported or named as not exported: nothing is left out of an
// export by forgetting it here.
TEST_F(TableDumpTest, EveryTableOfTheSchemaIsCatalogued) {
  std::set<std::string> catalogued;
  for (const TableSpec& t : ExportedTables()) {
    EXPECT_TRUE(catalogued.insert(std::string(t.name)).second) << t.name << " twice";
  }
  for (std::string_view t : UnexportedTables()) catalogued.insert(std::string(t));
  std::set<std::string> schema;
  auto stmt = conn_->Prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  ASSERT_TRUE(stmt);
  while (*stmt->Step()) schema.insert(stmt->Text(0));
  EXPECT_EQ(schema, catalogued);
}

// Every foreign key points at a table exported before the one that holds it.
TEST_F(TableDumpTest, ParentsComeBeforeChildren) {
  std::set<std::string> seen;
  for (const TableSpec& t : ExportedTables()) {
    auto stmt = conn_->Prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)");
    ASSERT_TRUE(stmt);
    stmt->Bind(1, t.name);
    while (*stmt->Step()) {
      EXPECT_TRUE(seen.contains(stmt->Text(0))) << t.name << " references " << stmt->Text(0);
    }
    seen.insert(std::string(t.name));
  }
}

TEST_F(TableDumpTest, RowsRoundTripWithTheirKinds) {
  const TableSpec& images = *FindExportedTable("images");
  auto columns = TableColumns(*conn_, "images");
  ASSERT_TRUE(columns);
  EXPECT_EQ(*columns,
            (std::vector<std::string>{"id", "owner_id", "content_type", "bytes", "created_at"}));
  std::string bytes("\x89PNG\0\xff", 6);
  json::object row = json::parse(
                         R"({"id":"img_1","owner_id":"org_1","content_type":"image/png",
                             "bytes":{"base64":"iVBORwD/"},"created_at":1700000000123})")
                         .as_object();
  ASSERT_TRUE(InsertRow(*conn_, images, *columns, row));
  auto dumped = Dump("images");
  ASSERT_EQ(dumped.size(), 1u);
  EXPECT_EQ(dumped[0], row);
  auto stmt = conn_->Prepare("SELECT bytes FROM images");
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->Blob(0), bytes);
}

TEST_F(TableDumpTest, SecretColumnsStayNullUnlessAsked) {
  ASSERT_TRUE(conn_->Exec(
      "INSERT INTO webhook_endpoints (id, url, description, event_types, disabled, secret, "
      "is_static, created_at, updated_at) VALUES ('ep_1', 'https://x.example/h', '', '[]', 0, "
      "'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', 0, 1, 2)"));
  EXPECT_TRUE(Dump("webhook_endpoints", /*secrets=*/false)[0].at("secret").is_null());
  EXPECT_EQ(Dump("webhook_endpoints", /*secrets=*/true)[0].at("secret"),
            "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
  EXPECT_TRUE(FindExportedTable("signing_keys")->credentials);
  EXPECT_TRUE(FindExportedTable("sessions")->credentials);
  EXPECT_FALSE(FindExportedTable("users")->credentials);
}

TEST_F(TableDumpTest, InsertRefusesWhatTheTableCannotHold) {
  const TableSpec& roles = *FindExportedTable("roles");
  auto columns = TableColumns(*conn_, "roles");
  ASSERT_TRUE(columns);
  auto insert = [&](std::string_view text) {
    return InsertRow(*conn_, roles, *columns, json::parse(text).as_object());
  };
  // A column the table lacks (also one that would be SQL).
  auto r = insert(R"({"id":"role_x","nope":1})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(insert(R"({"id":"role_x","key) VALUES (1); DROP TABLE roles; --":1})"));
  // Values of another shape.
  for (std::string_view bad :
       {R"({"id":true})", R"({"id":1.5})", R"({"id":[1]})", R"({"id":{"base64":"%%"}})",
        R"({"id":{"hex":"00"}})", R"({"id":18446744073709551615})"}) {
    auto refused = insert(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  // The store's own refusal: a NOT NULL column left out.
  EXPECT_FALSE(insert(R"({"id":"role_x"})"));
  EXPECT_FALSE(TableColumns(*conn_, "roles; DROP TABLE roles"));
  EXPECT_EQ(Dump("roles").size(), 2u);  // the two seeded roles, untouched
}

TEST_F(TableDumpTest, SeveralRowsGoInOneStatementWhenTheirColumnsAgree) {
  const TableSpec& perms = *FindExportedTable("permissions");
  auto columns = TableColumns(*conn_, "permissions");
  ASSERT_TRUE(columns);
  std::vector<json::object> rows;
  for (int i = 0; i < 3; ++i) {
    rows.push_back(json::parse(fmt::format(R"({{"id":"perm_{0}","key":"org:x{0}:read","name":"X",
        "description":"","type":"user","created_at":{0},"updated_at":{0}}})",
                                           i))
                       .as_object());
  }
  ASSERT_TRUE(InsertRows(*conn_, perms, *columns, rows));
  EXPECT_EQ(Dump("permissions").size(), 9u + 3u);  // the seeded nine and these
  // Columns in another order are not the same columns: refused, nothing inserted.
  json::object reordered;
  reordered["key"] = "org:y:read";
  for (const auto& [k, v] : rows[0]) {
    if (k != "key") reordered[k] = v;
  }
  reordered["id"] = "perm_y";
  EXPECT_FALSE(SameColumns(rows[0], reordered));
  std::vector<json::object> mixed = {rows[0], reordered};
  mixed[0]["id"] = "perm_z";
  mixed[0]["key"] = "org:z:read";
  auto r = InsertRows(*conn_, perms, *columns, mixed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Dump("permissions").size(), 12u);
}

// A table with more rows than a page is read whole, in key order, each row once.
TEST_F(TableDumpTest, LargeTablesAreReadInPagesOfTheirKey) {
  const TableSpec& images = *FindExportedTable("images");
  ASSERT_LT(images.page_rows, 40);
  auto columns = TableColumns(*conn_, "images");
  ASSERT_TRUE(columns);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(InsertRow(*conn_, images, *columns,
                          json::parse(fmt::format(R"({{"id":"img_{:03}","owner_id":"org_1",
                              "content_type":"image/png","bytes":{{"base64":"AA=="}},
                              "created_at":{}}})",
                                                  39 - i, i))
                              .as_object()));
  }
  auto rows = Dump("images");
  ASSERT_EQ(rows.size(), 40u);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(rows[i].at("id").as_string(), fmt::format("img_{:03}", i));
  }
}

}  // namespace
}  // namespace orgd::store::sql
