// The contract every store implementation honours, run against each backend (TEST_P).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <functional>
#include <memory>
#include <thread>

#include "domain/errors.h"
#include "store/database.h"
#include "store/store_errors.h"
#include "testing/store_sync.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"

namespace orgd::store {
namespace {

using testing::ReadSync;
using testing::WriteSync;

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Database>(const std::string& dir)> open;
  friend void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }
};

std::unique_ptr<Database> OpenSqlite(const std::string& dir) {
  return testing::OpenTestStore("sqlite", dir);
}

std::unique_ptr<Database> OpenPostgres(const std::string& dir) {
  return testing::OpenTestStore("postgres", dir);
}

const auto kBackends =
    ::testing::Values(Backend{"sqlite", OpenSqlite}, Backend{"postgres", OpenPostgres});

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
  EXPECT_EQ(got.error().store_reason, StoreReason::kNotFound);
  EXPECT_EQ(got.error().constraint, "organization");
  EXPECT_EQ(got.error().clerk_code, "");  // no store chooses a Clerk code
}

TEST_P(StoreContractTest, InsertTakenSlugIsAlreadyExists) {
  ASSERT_TRUE(Insert(MakeOrg("org_1", "Acme", "acme", 1000)));
  auto r = Insert(MakeOrg("org_2", "Acme 2", "acme", 2000));
  ASSERT_FALSE(r);
  // A typed reason naming the constraint; the Clerk error is the service's to choose.
  EXPECT_TRUE(IsUniqueViolation(r.error(), constraint::kOrganizationSlug)) << r.error().constraint;
  EXPECT_EQ(r.error().clerk_code, "");
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
  EXPECT_TRUE(IsUniqueViolation(r.error(), constraint::kOrganizationSlug)) << r.error().constraint;
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

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, kBackends,
                         [](const auto& info) { return info.param.name; });

// ---- users and memberships ----

domain::User MakeUser(std::string id, std::string email, int64_t created_at) {
  domain::User user;
  user.id = std::move(id);
  if (!email.empty()) {
    user.email_addresses.push_back({"idn_" + user.id, std::move(email), created_at, created_at});
    user.primary_email_address_id = user.email_addresses[0].id;
  }
  user.created_at = created_at;
  user.updated_at = created_at;
  return user;
}

domain::Membership MakeMembership(std::string org, std::string user, std::string role,
                                  int64_t created_at) {
  domain::Membership m;
  // Unique per insert, as generated IDs are: a second membership of the same pair must collide on
  // the pair, not on the ID.
  m.id = "orgmem_" + org + "_" + user + "_" + std::to_string(created_at);
  m.organization_id = std::move(org);
  m.user_id = std::move(user);
  m.role = std::move(role);
  m.created_at = created_at;
  m.updated_at = created_at;
  return m;
}

class UserMembershipContractTest : public StoreContractTest {
 protected:
  Result<void> InsertUser(const domain::User& user) {
    return WriteSync<void>(*db_, [user](WriteTransaction& tx) { return tx.users().Insert(user); });
  }
  Result<void> AddMember(const domain::Membership& m) {
    return WriteSync<void>(*db_, [m](WriteTransaction& tx) { return tx.memberships().Insert(m); });
  }
  int64_t MembersCount(const std::string& org) { return Get(org)->members_count; }
  Result<Page<domain::Membership>> Members(MembershipListQuery q) {
    return ReadSync<Page<domain::Membership>>(
        *db_, [q](ReadTransaction& tx) { return tx.memberships().List(q); });
  }
  std::vector<std::string> UserIds(const Page<domain::Membership>& page) {
    std::vector<std::string> ids;
    for (const auto& m : page.data) ids.push_back(m.user_id);
    return ids;
  }
};

TEST_P(UserMembershipContractTest, UsersRoundTripWithIdentifiersInOrder) {
  domain::User user = MakeUser("user_1", "jane@acme.com", 1000);
  user.email_addresses.push_back({"idn_2", "jane@home.org", 1000, 1000});
  user.phone_numbers.push_back({"idn_3", "+15555550100", 1000, 1000});
  user.primary_phone_number_id = "idn_3";
  user.username = "jane";
  user.first_name = "Jane";
  user.create_organizations_limit = 3;
  user.unsafe_metadata = boost::json::parse(R"({"theme":"dark"})");
  auto inserted = InsertUser(user);
  ASSERT_TRUE(inserted) << inserted.error().clerk_code << " " << inserted.error().detail;
  auto got =
      ReadSync<domain::User>(*db_, [](ReadTransaction& tx) { return tx.users().Get("user_1"); });
  ASSERT_TRUE(got);
  ASSERT_EQ(got->email_addresses.size(), 2u);
  EXPECT_EQ(got->email_addresses[1].value, "jane@home.org");
  EXPECT_EQ(got->PrimaryPhone()->value, "+15555550100");
  EXPECT_EQ(got->username, "jane");
  EXPECT_EQ(got->last_name, std::nullopt);
  EXPECT_EQ(got->create_organizations_limit, 3);
  EXPECT_EQ(got->unsafe_metadata, user.unsafe_metadata);
  EXPECT_EQ(got->DisplayIdentifier(), "jane@acme.com");
}

TEST_P(UserMembershipContractTest, GetManyLoadsEachKnownUserWithIdentifiersInOrder) {
  auto a = MakeUser("user_a", "a1@acme.com", 1000);
  a.email_addresses.push_back({"idn_a2", "a2@acme.com", 1000, 1000});
  a.phone_numbers.push_back({"idn_ap", "+15555550100", 1000, 1000});
  auto b = MakeUser("user_b", "b@acme.com", 2000);
  auto c = MakeUser("user_c", "", 3000);
  for (const auto& u : {a, b, c}) ASSERT_TRUE(InsertUser(u));
  auto many = ReadSync<std::vector<domain::User>>(*db_, [](ReadTransaction& tx) {
    return tx.users().GetMany({"user_c", "user_a", "user_unknown", "user_a"});
  });
  ASSERT_TRUE(many) << many.error().detail;
  ASSERT_EQ(many->size(), 2u);
  std::sort(many->begin(), many->end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  EXPECT_EQ((*many)[0].id, "user_a");
  ASSERT_EQ((*many)[0].email_addresses.size(), 2u);
  EXPECT_EQ((*many)[0].email_addresses[0].value, "a1@acme.com");
  EXPECT_EQ((*many)[0].email_addresses[1].value, "a2@acme.com");
  ASSERT_EQ((*many)[0].phone_numbers.size(), 1u);
  EXPECT_EQ((*many)[0].phone_numbers[0].value, "+15555550100");
  EXPECT_EQ((*many)[1].id, "user_c");
  EXPECT_TRUE((*many)[1].email_addresses.empty());
  auto none = ReadSync<std::vector<domain::User>>(
      *db_, [](ReadTransaction& tx) { return tx.users().GetMany({}); });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(UserMembershipContractTest, TakenEmailOrUsernameFailsAndLeavesNothing) {
  domain::User first = MakeUser("user_1", "jane@acme.com", 1000);
  first.username = "jane";
  ASSERT_TRUE(InsertUser(first));
  auto same_email = InsertUser(MakeUser("user_2", "jane@acme.com", 2000));
  ASSERT_FALSE(same_email);
  EXPECT_TRUE(IsUniqueViolation(same_email.error(), constraint::kUserEmail))
      << same_email.error().constraint;
  domain::User same_name = MakeUser("user_3", "other@acme.com", 3000);
  same_name.username = "jane";
  auto taken = InsertUser(same_name);
  ASSERT_FALSE(taken);
  EXPECT_TRUE(IsUniqueViolation(taken.error(), constraint::kUserUsername))
      << taken.error().constraint;
  UserListQuery all;
  EXPECT_EQ(*ReadSync<int64_t>(*db_, [all](ReadTransaction& tx) { return tx.users().Count(all); }),
            1);
  // user_3's email was not kept either: the whole write rolled back.
  EXPECT_TRUE(InsertUser(MakeUser("user_4", "other@acme.com", 4000)));
}

TEST_P(UserMembershipContractTest, UserListFiltersAndOrders) {
  auto a = MakeUser("user_a", "zed@acme.com", 1000);
  a.first_name = "Zed";
  auto b = MakeUser("user_b", "amy@globex.com", 2000);
  b.first_name = "amy";
  b.username = "amy_g";
  auto c = MakeUser("user_c", "", 3000);
  c.external_id = "ext-1";
  for (const auto& u : {a, b, c}) ASSERT_TRUE(InsertUser(u));
  auto list = [&](UserListQuery q) {
    auto users = ReadSync<std::vector<domain::User>>(
        *db_, [q](ReadTransaction& tx) { return tx.users().List(q); });
    std::vector<std::string> ids;
    for (const auto& u : *users) ids.push_back(u.id);
    return ids;
  };
  UserListQuery q;
  EXPECT_EQ(list(q), (std::vector<std::string>{"user_c", "user_b", "user_a"}));
  q.sort = UserSortField::kFirstName;
  q.direction = SortDirection::kAscending;
  EXPECT_EQ(list(q), (std::vector<std::string>{"user_c", "user_b", "user_a"}));  // NULL first
  UserListQuery by_email;
  by_email.filter.email_addresses = {"amy@globex.com"};
  EXPECT_EQ(list(by_email), (std::vector<std::string>{"user_b"}));
  UserListQuery query;
  query.filter.query = "ACME";
  EXPECT_EQ(list(query), (std::vector<std::string>{"user_a"}));
  UserListQuery ext;
  ext.filter.exclude_external_ids = {"ext-1"};
  EXPECT_EQ(list(ext), (std::vector<std::string>{"user_b", "user_a"}));
  UserListQuery name;
  name.filter.name_query = "am";
  EXPECT_EQ(list(name), (std::vector<std::string>{"user_b"}));
  UserListQuery nothing;
  nothing.filter.match_nothing = true;
  EXPECT_TRUE(list(nothing).empty());
}

TEST_P(UserMembershipContractTest, MembershipsAreCountedAndLimited) {
  domain::Organization org = MakeOrg("org_1", "One", "one", 1);
  org.max_allowed_memberships = 2;
  ASSERT_TRUE(Insert(org));
  for (const char* id : {"user_1", "user_2", "user_3"}) {
    ASSERT_TRUE(InsertUser(MakeUser(id, std::string(id) + "@x.com", 1)));
  }
  ASSERT_TRUE(AddMember(MakeMembership("org_1", "user_1", "org:admin", 10)));
  auto again = AddMember(MakeMembership("org_1", "user_1", "org:member", 11));
  ASSERT_FALSE(again);
  EXPECT_TRUE(IsUniqueViolation(again.error(), constraint::kMembership))
      << again.error().constraint;
  EXPECT_EQ(MembersCount("org_1"), 1);  // the failed insert uncounted itself
  ASSERT_TRUE(AddMember(MakeMembership("org_1", "user_2", "org:member", 12)));
  auto full = AddMember(MakeMembership("org_1", "user_3", "org:member", 13));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().store_reason, StoreReason::kLimitReached);
  EXPECT_EQ(full.error().constraint, constraint::kMemberLimit);
  EXPECT_EQ(full.error().clerk_code, "");
  EXPECT_EQ(MembersCount("org_1"), 2);
  // Already a member takes precedence over a full organization.
  auto member_of_full = AddMember(MakeMembership("org_1", "user_1", "org:member", 14));
  EXPECT_TRUE(IsUniqueViolation(member_of_full.error(), constraint::kMembership));
  EXPECT_TRUE(WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.memberships().Delete("org_1", "user_2"); }));
  EXPECT_EQ(MembersCount("org_1"), 1);
  auto gone = WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.memberships().Delete("org_1", "user_2"); });
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(UserMembershipContractTest, DeletingAUserOrAnOrganizationRemovesMemberships) {
  ASSERT_TRUE(Insert(MakeOrg("org_1", "One", "one", 1)));
  ASSERT_TRUE(Insert(MakeOrg("org_2", "Two", "two", 2)));
  ASSERT_TRUE(InsertUser(MakeUser("user_1", "a@x.com", 1)));
  ASSERT_TRUE(InsertUser(MakeUser("user_2", "b@x.com", 1)));
  for (const char* org : {"org_1", "org_2"}) {
    ASSERT_TRUE(AddMember(MakeMembership(org, "user_1", "org:admin", 1)));
    ASSERT_TRUE(AddMember(MakeMembership(org, "user_2", "org:member", 2)));
  }
  ASSERT_TRUE(
      WriteSync<void>(*db_, [](WriteTransaction& tx) { return tx.users().Delete("user_1"); }));
  EXPECT_EQ(MembersCount("org_1"), 1);
  EXPECT_EQ(MembersCount("org_2"), 1);
  ASSERT_TRUE(WriteSync<void>(
      *db_, [](WriteTransaction& tx) { return tx.organizations().Delete("org_1"); }));
  MembershipListQuery mine;
  mine.user_id = "user_2";
  auto left = Members(mine);
  ASSERT_EQ(left->data.size(), 1u);
  EXPECT_EQ(left->data[0].organization_id, "org_2");
}

TEST_P(UserMembershipContractTest, MemberListsFilterSortAndPage) {
  ASSERT_TRUE(Insert(MakeOrg("org_1", "One", "one", 1)));
  auto a = MakeUser("user_a", "carol@x.com", 1);
  a.last_name = "Zimmer";
  auto b = MakeUser("user_b", "alice@x.com", 1);
  b.last_name = "Young";
  auto c = MakeUser("user_c", "bob@y.com", 1);
  for (const auto& u : {a, b, c}) ASSERT_TRUE(InsertUser(u));
  ASSERT_TRUE(AddMember(MakeMembership("org_1", "user_a", "org:admin", 10)));
  ASSERT_TRUE(AddMember(MakeMembership("org_1", "user_b", "org:member", 20)));
  ASSERT_TRUE(AddMember(MakeMembership("org_1", "user_c", "org:member", 30)));
  MembershipListQuery q;
  q.organization_id = "org_1";
  EXPECT_EQ(UserIds(*Members(q)), (std::vector<std::string>{"user_c", "user_b", "user_a"}));
  EXPECT_EQ(Members(q)->total_count, 3);
  q.limit = 2;
  EXPECT_EQ(Members(q)->total_count, 3);  // counts every member, not the page
  q.limit = 10;
  q.sort = MembershipSortField::kEmailAddress;
  q.direction = SortDirection::kAscending;
  EXPECT_EQ(UserIds(*Members(q)), (std::vector<std::string>{"user_b", "user_c", "user_a"}));
  q.limit = 1;
  q.offset = 1;
  auto page = Members(q);
  EXPECT_EQ(UserIds(*page), (std::vector<std::string>{"user_c"}));
  EXPECT_EQ(page->total_count, 3);
  MembershipListQuery roles;
  roles.organization_id = "org_1";
  roles.roles = {"org:admin"};
  EXPECT_EQ(UserIds(*Members(roles)), (std::vector<std::string>{"user_a"}));
  MembershipListQuery email;
  email.organization_id = "org_1";
  email.members.email_address_query = "@X.COM";
  EXPECT_EQ(Members(email)->total_count, 2);
  MembershipListQuery before;
  before.organization_id = "org_1";
  before.created_at_before = 20;
  EXPECT_EQ(UserIds(*Members(before)), (std::vector<std::string>{"user_a"}));
  auto admins = ReadSync<int64_t>(*db_, [](ReadTransaction& tx) {
    return tx.memberships().CountWithRoles("org_1", {"org:admin"});
  });
  EXPECT_EQ(*admins, 1);
}

TEST_P(UserMembershipContractTest, OrganizationsFilterByMember) {
  InsertThree();
  ASSERT_TRUE(InsertUser(MakeUser("user_1", "a@x.com", 1)));
  ASSERT_TRUE(AddMember(MakeMembership("org_b", "user_1", "org:admin", 1)));
  OrganizationListQuery with;
  with.include_member_ids = {"user_1"};
  EXPECT_EQ(Ids(*List(with)), (std::vector<std::string>{"org_b"}));
  OrganizationListQuery without;
  without.exclude_member_ids = {"user_1"};
  EXPECT_EQ(Ids(*List(without)), (std::vector<std::string>{"org_c", "org_a"}));
  OrganizationListQuery by_count;
  by_count.sort = OrganizationSortField::kMembersCount;
  EXPECT_EQ(Ids(*List(by_count)).front(), "org_b");
}

TEST_P(UserMembershipContractTest, RolesAreSeededVersionedAndGuardTheirHolders) {
  auto version = [&] {
    return *ReadSync<int64_t>(*db_,
                              [](ReadTransaction& tx) { return tx.settings().RolesVersion(); });
  };
  auto admin = ReadSync<domain::Role>(
      *db_, [](ReadTransaction& tx) { return tx.roles().GetByKey("org:admin"); });
  ASSERT_TRUE(admin);
  EXPECT_TRUE(admin->IsCreatorEligible());
  EXPECT_EQ(admin->permissions.size(), 9u);
  const int64_t v0 = version();

  domain::Role role;
  role.id = "role_custom";
  role.key = "org:custom";
  role.name = "Custom";
  ASSERT_TRUE(
      WriteSync<void>(*db_, [role](WriteTransaction& tx) { return tx.roles().Insert(role); }));
  EXPECT_GT(version(), v0);
  auto taken = WriteSync<void>(*db_, [role](WriteTransaction& tx) {
    domain::Role copy = role;
    copy.id = "role_other";
    return tx.roles().Insert(copy);
  });
  EXPECT_TRUE(IsUniqueViolation(taken.error(), constraint::kRoleKey)) << taken.error().constraint;

  ASSERT_TRUE(Insert(MakeOrg("org_1", "One", "one", 1)));
  ASSERT_TRUE(InsertUser(MakeUser("user_1", "a@x.com", 1)));
  ASSERT_TRUE(AddMember(MakeMembership("org_1", "user_1", "org:custom", 1)));
  auto held =
      WriteSync<void>(*db_, [](WriteTransaction& tx) { return tx.roles().Delete("role_custom"); });
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error().store_reason, StoreReason::kInUse);
  EXPECT_EQ(held.error().constraint, constraint::kRoleHeldByMembers);
  EXPECT_EQ(held.error().clerk_code, "");

  // Renaming the key renames it in memberships.
  ASSERT_TRUE(WriteSync<void>(*db_, [role](WriteTransaction& tx) {
    domain::Role renamed = role;
    renamed.key = "org:renamed";
    return tx.roles().Update(renamed);
  }));
  auto m = ReadSync<domain::Membership>(
      *db_, [](ReadTransaction& tx) { return tx.memberships().Get("org_1", "user_1"); });
  EXPECT_EQ(m->role, "org:renamed");
  // A membership cannot name a role that does not exist.
  auto unknown = AddMember(MakeMembership("org_1", "user_1", "org:nope", 2));
  EXPECT_FALSE(unknown);
}

INSTANTIATE_TEST_SUITE_P(Backends, UserMembershipContractTest, kBackends,
                         [](const auto& info) { return info.param.name; });

// ---- background jobs ----

Job MakeJob(std::string id, int64_t run_at, std::optional<std::string> dedupe_key = std::nullopt) {
  Job job;
  job.id = std::move(id);
  job.kind = "test";
  job.dedupe_key = std::move(dedupe_key);
  job.run_at = run_at;
  job.created_at = run_at;
  return job;
}

class JobContractTest : public StoreContractTest {
 protected:
  Result<bool> Enqueue(const Job& job) {
    return WriteSync<bool>(*db_, [job](WriteTransaction& tx) { return tx.jobs().Insert(job); });
  }
  std::vector<std::string> Claim(std::string owner, int64_t now, int64_t lease_until,
                                 int64_t limit = 10) {
    auto jobs = WriteSync<std::vector<Job>>(*db_, [=](WriteTransaction& tx) {
      return tx.jobs().Claim(owner, now, lease_until, limit);
    });
    EXPECT_TRUE(jobs) << jobs.error().detail;
    std::vector<std::string> ids;
    if (jobs) {
      for (const auto& j : *jobs) ids.push_back(j.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  Result<void> Complete(std::string id, std::string owner, int64_t now) {
    return WriteSync<void>(
        *db_, [=](WriteTransaction& tx) { return tx.jobs().Complete(id, owner, now); });
  }
  Result<Job> GetJob(std::string id) {
    return ReadSync<Job>(*db_, [id](ReadTransaction& tx) { return tx.jobs().Get(id); });
  }
};

TEST_P(JobContractTest, ClaimsOnlyDueUnleasedJobsAndCountsAttempts) {
  ASSERT_TRUE(*Enqueue(MakeJob("job_1", 100)));
  ASSERT_TRUE(*Enqueue(MakeJob("job_2", 200)));
  ASSERT_TRUE(*Enqueue(MakeJob("job_3", 5000)));  // not due yet
  EXPECT_EQ(Claim("a", 1000, 2000), (std::vector<std::string>{"job_1", "job_2"}));
  // Leased to a until 2000: nobody else gets them before then.
  EXPECT_TRUE(Claim("b", 1500, 3000).empty());
  // a died: its leases ran out, b takes both over.
  EXPECT_EQ(Claim("b", 2001, 4000), (std::vector<std::string>{"job_1", "job_2"}));
  auto job = GetJob("job_1");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->attempts, 2);
  EXPECT_EQ(job->lease_owner, "b");
  // a comes back and tries to finish: refused, b holds the lease.
  auto late = Complete("job_1", "a", 2500);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().store_reason, StoreReason::kLeaseLost);
  ASSERT_TRUE(Complete("job_1", "b", 2600));
  EXPECT_EQ(GetJob("job_1")->completed_at, 2600);
  // Completed jobs are never claimed again; completing twice is refused.
  EXPECT_EQ(Claim("c", 9000, 10000), (std::vector<std::string>{"job_2", "job_3"}));
  EXPECT_FALSE(Complete("job_1", "b", 2700));
}

TEST_P(JobContractTest, DedupeKeyAllowsOnePendingJob) {
  EXPECT_TRUE(*Enqueue(MakeJob("job_1", 100, "nightly")));
  EXPECT_FALSE(*Enqueue(MakeJob("job_2", 100, "nightly")));  // one is pending already
  EXPECT_EQ(GetJob("job_2").error().code, ErrorCode::kNotFound);
  ASSERT_EQ(Claim("a", 1000, 2000), (std::vector<std::string>{"job_1"}));
  ASSERT_TRUE(Complete("job_1", "a", 1500));
  EXPECT_TRUE(*Enqueue(MakeJob("job_3", 3000, "nightly")));  // the next one
  EXPECT_EQ(Enqueue(MakeJob("job_3", 3000)).error().code, ErrorCode::kAlreadyExists);
}

TEST_P(JobContractTest, ConcurrentClaimsNeverShareAJob) {
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(*Enqueue(MakeJob("job_" + std::to_string(100 + i), 1)));
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> claimers;
  for (int t = 0; t < 4; ++t) {
    claimers.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round) {
        auto ids = Claim("node" + std::to_string(t), 1000, 100000, 3);
        got[t].insert(got[t].end(), ids.begin(), ids.end());
      }
    });
  }
  for (auto& c : claimers) c.join();
  std::vector<std::string> all;
  for (const auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
}

TEST_P(JobContractTest, PurgeDeletesOnlyOldCompletedJobs) {
  ASSERT_TRUE(*Enqueue(MakeJob("job_old", 1)));
  ASSERT_TRUE(*Enqueue(MakeJob("job_new", 1)));
  ASSERT_TRUE(*Enqueue(MakeJob("job_pending", 1)));
  ASSERT_EQ(Claim("a", 10, 100, 2).size(), 2u);
  ASSERT_TRUE(Complete("job_old", "a", 20));
  ASSERT_TRUE(Complete("job_new", "a", 50));
  auto purged =
      WriteSync<int64_t>(*db_, [](WriteTransaction& tx) { return tx.jobs().PurgeCompleted(30); });
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(GetJob("job_old"));
  EXPECT_TRUE(GetJob("job_new"));
  EXPECT_TRUE(GetJob("job_pending"));
}

// The backlogs /readyz and the metrics report: due, unfinished jobs and the earliest of them;
// outbox entries without a feed position and the oldest of them.
TEST_P(JobContractTest, BacklogsCountWhatWaits) {
  auto jobs = [&](int64_t now) {
    return ReadSync<Backlog>(*db_,
                             [now](ReadTransaction& tx) { return tx.jobs().DueBacklog(now); });
  };
  EXPECT_EQ(jobs(1000)->count, 0);
  EXPECT_FALSE(jobs(1000)->oldest);
  ASSERT_TRUE(*Enqueue(MakeJob("job_1", 300)));
  ASSERT_TRUE(*Enqueue(MakeJob("job_2", 200)));
  ASSERT_TRUE(*Enqueue(MakeJob("job_3", 5000)));  // not due at 1000
  EXPECT_EQ(jobs(1000)->count, 2);
  EXPECT_EQ(jobs(1000)->oldest, 200);
  ASSERT_EQ(Claim("a", 1000, 2000, 1), (std::vector<std::string>{"job_2"}));
  ASSERT_TRUE(Complete("job_2", "a", 1100));
  EXPECT_EQ(jobs(1200)->count, 1);
  EXPECT_EQ(jobs(1200)->oldest, 300);

  auto outbox = [&] {
    return ReadSync<Backlog>(*db_,
                             [](ReadTransaction& tx) { return tx.outbox().UndispatchedBacklog(); });
  };
  EXPECT_EQ(outbox()->count, 0);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(WriteSync<void>(*db_, [i](WriteTransaction& tx) -> Result<void> {
      if (auto r = tx.outbox().LockStream("org_1"); !r) return r;
      OutboxEntry e;
      e.id = "evt_" + std::to_string(i);
      e.type = "organization.updated";
      e.stream = "org_1";
      e.caller_kind = "system";
      e.created_at = 700 + i;
      return tx.outbox().Append(e);
    }));
  }
  EXPECT_EQ(outbox()->count, 2);
  EXPECT_EQ(outbox()->oldest, 700);
  ASSERT_TRUE(WriteSync<void>(*db_, [](WriteTransaction& tx) -> Result<void> {
    auto first = tx.outbox().ListUndispatched(1);
    if (!first) return first.error();
    auto position = tx.outbox().TakePositions(1);
    if (!position) return position.error();
    return tx.outbox().SetPosition(first->front().seq, *position);
  }));
  EXPECT_EQ(outbox()->count, 1);
  EXPECT_EQ(outbox()->oldest, 701);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobContractTest, kBackends,
                         [](const auto& info) { return info.param.name; });

// The audit log: appended entries read back whole, newest first, narrowed by each filter and
// paged by seq; the purge removes only what is older than its cutoff, oldest first.
class AuditContractTest : public StoreContractTest {
 protected:
  Result<void> Append(std::string id, std::string action, std::optional<std::string> org,
                      std::string resource, std::string actor, int64_t created_at) {
    AuditEntry e;
    e.id = std::move(id);
    e.action = std::move(action);
    e.resource_type = e.action.substr(0, e.action.find('.'));
    e.resource_id = std::move(resource);
    e.organization_id = std::move(org);
    e.actor_kind = "secret_key";
    e.actor_id = std::move(actor);
    e.request_id = "req_" + e.id;
    e.remote_ip = "127.0.0.1";
    e.user_agent = "test/1.0 \xc3\xa9";
    e.before = R"({"name":"old"})";
    e.after = std::nullopt;
    e.created_at = created_at;
    return WriteSync<void>(*db_, [e](WriteTransaction& tx) { return tx.audit().Append(e); });
  }
  // The IDs `List` returns for a query of limit 10 that `narrow` narrows.
  template <class Narrow>
  std::vector<std::string> Ids(Narrow narrow) {
    AuditQuery q;
    narrow(q);
    return Ids(q);
  }
  std::vector<std::string> Ids(AuditQuery q) {
    auto entries = ReadSync<std::vector<AuditEntry>>(
        *db_, [q](ReadTransaction& tx) { return tx.audit().List(q); });
    EXPECT_TRUE(entries) << entries.error().detail;
    std::vector<std::string> ids;
    if (entries) {
      for (const auto& e : *entries) ids.push_back(e.id);
    }
    return ids;
  }
};

TEST_P(AuditContractTest, ListsNewestFirstFilteredAndPaged) {
  ASSERT_TRUE(Append("aud_1", "organization.created", "org_1", "org_1", "key_a", 100));
  ASSERT_TRUE(
      Append("aud_2", "organization_membership.created", "org_1", "orgmem_1", "key_b", 200));
  ASSERT_TRUE(Append("aud_3", "user.updated", std::nullopt, "user_1", "key_a", 300));
  ASSERT_TRUE(Append("aud_4", "organization.updated", "org_2", "org_2", "key_a", 400));

  auto all = ReadSync<std::vector<AuditEntry>>(
      *db_, [](ReadTransaction& tx) { return tx.audit().List(AuditQuery{}); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u);
  const AuditEntry& e = all->back();
  EXPECT_EQ(e.id, "aud_1");
  EXPECT_EQ(e.action, "organization.created");
  EXPECT_EQ(e.resource_type, "organization");
  EXPECT_EQ(e.resource_id, "org_1");
  EXPECT_EQ(e.organization_id, "org_1");
  EXPECT_EQ(e.actor_kind, "secret_key");
  EXPECT_EQ(e.actor_id, "key_a");
  EXPECT_EQ(e.request_id, "req_aud_1");
  EXPECT_EQ(e.remote_ip, "127.0.0.1");
  EXPECT_EQ(e.user_agent, "test/1.0 \xc3\xa9");
  EXPECT_EQ(e.before, R"({"name":"old"})");
  EXPECT_FALSE(e.after);
  EXPECT_EQ(e.created_at, 100);
  EXPECT_GT((*all)[0].seq, (*all)[1].seq);

  using V = std::vector<std::string>;
  EXPECT_EQ(Ids(AuditQuery{}), (V{"aud_4", "aud_3", "aud_2", "aud_1"}));
  EXPECT_EQ(Ids([](AuditQuery& q) { q.organization_id = "org_1"; }), (V{"aud_2", "aud_1"}));
  EXPECT_EQ(Ids([](AuditQuery& q) { q.actor_id = "key_a"; }), (V{"aud_4", "aud_3", "aud_1"}));
  EXPECT_EQ(Ids([](AuditQuery& q) { q.action = "user.updated"; }), (V{"aud_3"}));
  EXPECT_EQ(Ids([](AuditQuery& q) { q.resource_id = "orgmem_1"; }), (V{"aud_2"}));
  EXPECT_EQ(Ids([](AuditQuery& q) { q.resource_type = "organization"; }), (V{"aud_4", "aud_1"}));
  EXPECT_EQ(Ids([](AuditQuery& q) {
              q.created_before = 300;
              q.created_after = 100;
            }),
            (V{"aud_2"}));
  EXPECT_EQ(Ids([](AuditQuery& q) { q.limit = 2; }), (V{"aud_4", "aud_3"}));
  EXPECT_EQ(Ids([&](AuditQuery& q) {
              q.before_seq = (*all)[1].seq;
              q.limit = 2;
            }),
            (V{"aud_2", "aud_1"}));
  EXPECT_EQ(Ids([](AuditQuery& q) { q.organization_id = "org_3"; }), V{});
}

TEST_P(AuditContractTest, PurgeRemovesOnlyOlderEntriesOldestFirst) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(
        Append("aud_" + std::to_string(i), "user.updated", std::nullopt, "user_1", "k", i * 100));
  }
  auto purge = [&](int64_t cutoff, int64_t limit) {
    return WriteSync<int64_t>(
        *db_, [=](WriteTransaction& tx) { return tx.audit().PurgeBefore(cutoff, limit); });
  };
  EXPECT_EQ(*purge(400, 2), 2);  // aud_1, aud_2
  EXPECT_EQ(Ids(AuditQuery{}), (std::vector<std::string>{"aud_5", "aud_4", "aud_3"}));
  EXPECT_EQ(*purge(400, 10), 1);  // aud_3; aud_4 is not older than 400
  EXPECT_EQ(*purge(400, 10), 0);
  EXPECT_EQ(Ids(AuditQuery{}), (std::vector<std::string>{"aud_5", "aud_4"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditContractTest, kBackends,
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace orgd::store
