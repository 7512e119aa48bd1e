// The contract every store implementation honours, run against each backend (TEST_P).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <functional>
#include <memory>

#include "domain/errors.h"
#include "store/database.h"
#include "store/sqlite/sqlite_database.h"
#include "testing/store_sync.h"
#include "testing/temp_dir.h"

namespace orgd::store {
namespace {

using testing::ReadSync;
using testing::WriteSync;

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Database>(const std::string& dir)> open;
};

std::unique_ptr<Database> OpenSqlite(const std::string& dir) {
  sqlite::SqliteOptions options;
  options.path = dir + "/orgd.db";
  auto db = sqlite::SqliteDatabase::Open(options);
  if (!db) throw std::runtime_error(db.error().detail);
  return std::move(*db);
}

domain::Organization MakeOrg(std::string id, std::string name, std::string slug,
                             int64_t created_at) {
  domain::Organization org;
  org.id = std::move(id);
  org.name = std::move(name);
  org.slug = std::move(slug);
  org.max_allowed_memberships = 5;
  org.created_at = created_at;
  org.updated_at = created_at;
  return org;
}

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { db_ = GetParam().open(dir_.path()); }
  void TearDown() override { db_->Close(); }

  Result<void> Insert(const domain::Organization& org) {
    return WriteSync<void>(*db_,
                           [org](WriteTransaction& tx) { return tx.organizations().Insert(org); });
  }
  Result<domain::Organization> Get(const std::string& id_or_slug) {
    return ReadSync<domain::Organization>(
        *db_, [id_or_slug](ReadTransaction& tx) { return tx.organizations().Get(id_or_slug); });
  }
  Result<Page<domain::Organization>> List(OrganizationListQuery q) {
    return ReadSync<Page<domain::Organization>>(
        *db_, [q](ReadTransaction& tx) { return tx.organizations().List(q); });
  }
  std::vector<std::string> Ids(const Page<domain::Organization>& page) {
    std::vector<std::string> ids;
    for (const auto& org : page.data) ids.push_back(org.id);
    return ids;
  }
  void InsertThree() {
    ASSERT_TRUE(Insert(MakeOrg("org_a", "beta Corp", "beta", 1000)));
    ASSERT_TRUE(Insert(MakeOrg("org_b", "Alpha Inc", "alpha-inc", 2000)));
    ASSERT_TRUE(Insert(MakeOrg("org_c", "gamma 100%", "gamma", 3000)));
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_P(StoreContractTest, InsertThenGetByIdOrSlug) {
  domain::Organization org = MakeOrg("org_1", "Acme", "acme", 1000);
  org.public_metadata = boost::json::parse(R"({"plan":{"tier":"gold"}})");
  org.private_metadata = boost::json::parse(R"({"secret":1})");
  org.created_by = "user_1";
  ASSERT_TRUE(Insert(org));

  for (const char* key : {"org_1", "acme"}) {
    auto got = Get(key);
    ASSERT_TRUE(got) << key;
    EXPECT_EQ(got->id, "org_1");
    EXPECT_EQ(got->name, "Acme");
    EXPECT_EQ(got->slug, "acme");
    EXPECT_EQ(got->max_allowed_memberships, 5);
    EXPECT_TRUE(got->admin_delete_enabled);
    EXPECT_EQ(got->public_metadata, org.public_metadata);
    EXPECT_EQ(got->private_metadata, org.private_metadata);
    EXPECT_EQ(got->created_by, "user_1");
    EXPECT_FALSE(got->image_id);
    EXPECT_EQ(got->members_count, 0);
    EXPECT_EQ(got->created_at, 1000);
  }
}

TEST_P(StoreContractTest, GetUnknownIsNotFound) {
  auto got = Get("org_missing");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, InsertTakenSlugIsAlreadyExists) {
  ASSERT_TRUE(Insert(MakeOrg("org_1", "Acme", "acme", 1000)));
  auto r = Insert(MakeOrg("org_2", "Acme 2", "acme", 2000));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(r.error().detail, "slug");
  EXPECT_FALSE(Get("org_2"));
}

TEST_P(StoreContractTest, UpdateOverwritesFieldsButNotCreatedBy) {
  domain::Organization org = MakeOrg("org_1", "Acme", "acme", 1000);
  org.created_by = "user_1";
  ASSERT_TRUE(Insert(org));
  org.name = "Acme 2";
  org.slug = "acme-2";
  org.admin_delete_enabled = false;
  org.image_id = "img_1";
  org.public_metadata = nullptr;
  org.created_by = "user_other";
  org.updated_at = 5000;
  ASSERT_TRUE(WriteSync<void>(
      *db_, [org](WriteTransaction& tx) { return tx.organizations().Update(org); }));
  auto got = Get("org_1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Acme 2");
  EXPECT_EQ(got->slug, "acme-2");
  EXPECT_FALSE(got->admin_delete_enabled);
  EXPECT_EQ(got->image_id, "img_1");
  EXPECT_TRUE(got->public_metadata.is_null());
  EXPECT_EQ(got->created_by, "user_1");
  EXPECT_EQ(got->updated_at, 5000);
  EXPECT_FALSE(Get("acme"));
}

TEST_P(StoreContractTest, UpdateToTakenSlugFailsAndChangesNothing) {
  ASSERT_TRUE(Insert(MakeOrg("org_1", "One", "one", 1000)));
  ASSERT_TRUE(Insert(MakeOrg("org_2", "Two", "two", 2000)));
  domain::Organization two = *Get("org_2");
  two.slug = "one";
  two.name = "Changed";
  auto r =
      WriteSync<void>(*db_, [two](WriteTransaction& tx) { return tx.organizations().Update(two); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Get("org_2")->name, "Two");
}

TEST_P(StoreContractTest, UpdateAndDeleteUnknownAreNotFound) {
  auto update = WriteSync<void>(*db_, [](WriteTransaction& tx) {
    return tx.organizations().Update(MakeOrg("org_x", "X", "x", 1));
  });
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code, ErrorCode::kNotFound);
  auto del = WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.organizations().Delete("org_x"); });
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, DeleteRemovesTheOrganizationAndItsImages) {
  ASSERT_TRUE(Insert(MakeOrg("org_1", "One", "one", 1000)));
  ASSERT_TRUE(WriteSync<void>(*db_, [](WriteTransaction& tx) -> Result<void> {
    if (auto r = tx.images().Insert(Image{"img_1", "org_1", "image/png", "PNG", 1}); !r) return r;
    return tx.images().Insert(Image{"img_2", "org_other", "image/png", "PNG", 1});
  }));
  ASSERT_TRUE(WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.organizations().Delete("org_1"); }));
  EXPECT_FALSE(Get("org_1"));
  EXPECT_FALSE(ReadSync<Image>(*db_, [](ReadTransaction& tx) { return tx.images().Get("img_1"); }));
  EXPECT_TRUE(ReadSync<Image>(*db_, [](ReadTransaction& tx) { return tx.images().Get("img_2"); }));
}

TEST_P(StoreContractTest, ImagesRoundTripBinaryBytes) {
  std::string bytes("\x89PNG\0\r\n\xff", 8);
  ASSERT_TRUE(WriteSync<void>(*db_, [bytes](WriteTransaction& tx) {
    return tx.images().Insert(Image{"img_1", "org_1", "image/png", bytes, 42});
  }));
  auto got = ReadSync<Image>(*db_, [](ReadTransaction& tx) { return tx.images().Get("img_1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->bytes, bytes);
  EXPECT_EQ(got->content_type, "image/png");
  EXPECT_EQ(got->owner_id, "org_1");
  EXPECT_EQ(got->created_at, 42);
  ASSERT_TRUE(
      WriteSync<void>(*db_, [](WriteTransaction& tx) { return tx.images().Delete("img_1"); }));
  auto gone = ReadSync<Image>(*db_, [](ReadTransaction& tx) { return tx.images().Get("img_1"); });
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, ListDefaultsToNewestFirst) {
  InsertThree();
  auto page = List({});
  ASSERT_TRUE(page);
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"org_c", "org_b", "org_a"}));
  EXPECT_EQ(page->total_count, 3);
}

TEST_P(StoreContractTest, ListOrdersByNameIgnoringCase) {
  InsertThree();
  OrganizationListQuery q;
  q.sort = OrganizationSortField::kName;
  q.direction = SortDirection::kAscending;
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_b", "org_a", "org_c"}));
  q.direction = SortDirection::kDescending;
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_c", "org_a", "org_b"}));
}

TEST_P(StoreContractTest, ListOrdersByMembersCountThenId) {
  InsertThree();
  OrganizationListQuery q;
  q.sort = OrganizationSortField::kMembersCount;
  q.direction = SortDirection::kAscending;
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_a", "org_b", "org_c"}));
}

TEST_P(StoreContractTest, ListPaginatesWithTotalCount) {
  InsertThree();
  OrganizationListQuery q;
  q.limit = 2;
  q.offset = 1;
  auto page = List(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"org_b", "org_a"}));
  EXPECT_EQ(page->total_count, 3);
  q.offset = 10;
  page = List(q);
  EXPECT_TRUE(page->data.empty());
  EXPECT_EQ(page->total_count, 3);
}

TEST_P(StoreContractTest, ListQueryMatchesExactIdOrPartialNameOrSlug) {
  InsertThree();
  OrganizationListQuery q;
  q.query = "org_b";
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_b"}));
  q.query = "ALPHA";  // name, any case
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_b"}));
  q.query = "eta";  // slug and name substring
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_a"}));
  q.query = "org_";  // an ID prefix is not a partial match on IDs
  EXPECT_EQ(List(q)->total_count, 0);
}

TEST_P(StoreContractTest, ListQueryTreatsWildcardsLiterally) {
  InsertThree();
  OrganizationListQuery q;
  q.query = "%";
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_c"}));
  q.query = "_";
  EXPECT_EQ(List(q)->total_count, 0);
}

TEST_P(StoreContractTest, ListFiltersByIncludedAndExcludedIds) {
  InsertThree();
  OrganizationListQuery q;
  q.include_ids = {"org_a", "org_c", "org_unknown"};
  auto page = List(q);
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"org_c", "org_a"}));
  EXPECT_EQ(page->total_count, 2);
  q.exclude_ids = {"org_c"};
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_a"}));
  q.include_ids.clear();
  EXPECT_EQ(Ids(*List(q)), (std::vector<std::string>{"org_b", "org_a"}));
}

TEST_P(StoreContractTest, FailedWriteLeavesNothingBehind) {
  auto r = WriteSync<void>(*db_, [](WriteTransaction& tx) -> Result<void> {
    if (auto ins = tx.organizations().Insert(MakeOrg("org_1", "One", "one", 1)); !ins) return ins;
    return errors::Internal("the caller changed its mind");
  });
  ASSERT_FALSE(r);
  EXPECT_FALSE(Get("org_1"));
}

TEST_P(StoreContractTest, ReadSeesEarlierCommittedWrite) {
  ASSERT_TRUE(Insert(MakeOrg("org_1", "One", "one", 1)));
  EXPECT_TRUE(Get("org_1"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest,
                         ::testing::Values(Backend{"sqlite", OpenSqlite}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace orgd::store
