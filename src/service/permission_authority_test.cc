// The PermissionAuthority against a naive recomputation from the store: random roles, permissions
// and assignments through RoleService, and after every change each (role, permission) answer
// must equal what a plain SQL join over the stored tables says.
#include "service/permission_authority.h"

#include <gtest/gtest.h>

#include <future>
#include <random>
#include <set>

#include "service/role_service.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_database.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

using testing::Await;

class PermissionAuthorityTest : public ::testing::TestWithParam<uint32_t> {
 protected:
  PermissionAuthorityTest() : clock_(1'700'000'000'000), ids_(clock_) {
    store::sqlite::SqliteOptions options;
    options.path = dir_.File("orgd.db");
    db_ = std::move(*store::sqlite::SqliteDatabase::Open(options));
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    roles_ = std::make_unique<RoleService>(*db_, clock_, ids_, *authority_, payloads_);
    raw_ = std::move(*store::sqlite::SqliteConnection::Open(
        options.path, store::sqlite::SqliteConnection::Mode::kReadOnly));
  }
  ~PermissionAuthorityTest() override { db_->Close(); }

  // Every (role key, permission key) pair the stored tables grant, by a plain join.
  std::set<std::pair<std::string, std::string>> StoredGrants() {
    std::set<std::pair<std::string, std::string>> out;
    auto stmt = raw_->Prepare(
        "SELECT r.key, p.key FROM role_permissions rp JOIN roles r ON r.id = rp.role_id "
        "JOIN permissions p ON p.id = rp.permission_id");
    EXPECT_TRUE(stmt);
    while (*stmt->Step()) out.emplace(stmt->Text(0), stmt->Text(1));
    return out;
  }
  std::vector<std::string> StoredKeys(const char* table) {
    std::vector<std::string> out;
    auto stmt = raw_->Prepare(std::string("SELECT key FROM ") + table);
    while (*stmt->Step()) out.push_back(stmt->Text(0));
    return out;
  }

  void ExpectAuthorityAgrees(const std::string& after) {
    auto grants = StoredGrants();
    auto roles = StoredKeys("roles");
    auto permissions = StoredKeys("permissions");
    permissions.push_back("org:never:granted");
    auto table = authority_->Current();
    EXPECT_EQ(table->size(), roles.size()) << after;
    for (const auto& role : roles) {
      ASSERT_NE(table->Find(role), nullptr) << role << " after " << after;
      for (const auto& permission : permissions) {
        EXPECT_EQ(authority_->Can(role, permission), grants.contains({role, permission}))
            << role << " / " << permission << " after " << after;
      }
    }
    EXPECT_FALSE(authority_->Can("org:deleted_or_never", permissions[0]));
  }

  testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  std::unique_ptr<PermissionAuthority> authority_;
  testing::TestEventPayloads payloads_;
  std::unique_ptr<RoleService> roles_;
  std::unique_ptr<store::sqlite::SqliteConnection> raw_;
};

TEST_P(PermissionAuthorityTest, AgreesWithTheStoreAfterEveryRandomChange) {
  std::mt19937 rng(GetParam());
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::vector<std::string> permission_ids;
  std::vector<std::string> role_ids;
  auto all_permissions = Await<store::Page<domain::Permission>>([&](auto cb) {
    store::CatalogListQuery q;
    q.limit = 500;
    roles_->ListPermissions(testing::SecretKeyContext(), q, cb);
  });
  for (const auto& p : all_permissions->data) permission_ids.push_back(p.id);
  ExpectAuthorityAgrees("load");

  for (int step = 0; step < 120; ++step) {
    std::string what;
    switch (pick(6)) {
      case 0: {  // a new permission
        PermissionCommand cmd;
        cmd.name = "P" + std::to_string(step);
        cmd.key = "org:feature" + std::to_string(step % 7) + ":action" + std::to_string(step);
        auto p = Await<domain::Permission>(
            [&](auto cb) { roles_->CreatePermission(testing::SecretKeyContext(), cmd, cb); });
        ASSERT_TRUE(p);
        permission_ids.push_back(p->id);
        what = "create permission";
        break;
      }
      case 1: {  // a new role with random permissions
        RoleCommand cmd;
        cmd.name = "R" + std::to_string(step);
        cmd.key = "org:role" + std::to_string(step);
        cmd.permissions.emplace();
        for (size_t i = 0, n = pick(6); i < n; ++i) {
          cmd.permissions->push_back(permission_ids[pick(permission_ids.size())]);
        }
        auto r = Await<domain::Role>(
            [&](auto cb) { roles_->CreateRole(testing::SecretKeyContext(), cmd, cb); });
        if (r) role_ids.push_back(r->id);  // the roles quota may refuse
        what = "create role";
        break;
      }
      case 2:
      case 3: {  // grant or revoke one permission
        if (role_ids.empty()) continue;
        std::string role = role_ids[pick(role_ids.size())];
        std::string perm = permission_ids[pick(permission_ids.size())];
        (void)Await<domain::Role>([&](auto cb) {
          if (step % 2 == 0) {
            roles_->AddPermission(testing::SecretKeyContext(), role, perm, cb);
          } else {
            roles_->RemovePermission(testing::SecretKeyContext(), role, perm, cb);
          }
        });
        what = "grant/revoke";
        break;
      }
      case 4: {  // replace a role's permissions, or rename its key
        if (role_ids.empty()) continue;
        RoleCommand cmd;
        if (pick(2) == 0) {
          cmd.permissions.emplace();
          for (size_t i = 0, n = pick(4); i < n; ++i) {
            cmd.permissions->push_back(permission_ids[pick(permission_ids.size())]);
          }
        } else {
          cmd.key = "org:renamed" + std::to_string(step);
        }
        (void)Await<domain::Role>([&](auto cb) {
          roles_->UpdateRole(testing::SecretKeyContext(), role_ids[pick(role_ids.size())], cmd, cb);
        });
        what = "update role";
        break;
      }
      case 5: {  // delete a custom permission or a role
        if (pick(2) == 0 && permission_ids.size() > 9) {
          size_t i = 9 + pick(permission_ids.size() - 9);  // never a system permission
          (void)Await<std::string>([&](auto cb) {
            roles_->DeletePermission(testing::SecretKeyContext(), permission_ids[i], cb);
          });
          permission_ids.erase(permission_ids.begin() + static_cast<long>(i));
        } else if (!role_ids.empty()) {
          size_t i = pick(role_ids.size());
          (void)Await<std::string>(
              [&](auto cb) { roles_->DeleteRole(testing::SecretKeyContext(), role_ids[i], cb); });
          role_ids.erase(role_ids.begin() + static_cast<long>(i));
        }
        what = "delete";
        break;
      }
    }
    ExpectAuthorityAgrees(what + " at step " + std::to_string(step));
    if (HasFatalFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, PermissionAuthorityTest, ::testing::Values(1u, 7u, 42u, 2026u));

TEST(PermissionAuthorityStaleTest, ReloadsWhenAnotherWriterMovedTheVersion) {
  testing::TempDir dir;
  store::sqlite::SqliteOptions options;
  options.path = dir.File("orgd.db");
  auto db = std::move(*store::sqlite::SqliteDatabase::Open(options));
  PermissionAuthority mine(*db);
  ASSERT_TRUE(mine.Load());
  // "Another process": a second authority and service writing to the same store.
  PermissionAuthority theirs(*db);
  ASSERT_TRUE(theirs.Load());
  FakeClock clock(1);
  RandomIdGenerator ids(clock);
  testing::TestEventPayloads payloads;
  RoleService other(*db, clock, ids, theirs, payloads);
  RoleCommand cmd;
  cmd.name = "Late";
  cmd.key = "org:late";
  ASSERT_TRUE(Await<domain::Role>(
      [&](auto cb) { other.CreateRole(testing::SecretKeyContext(), cmd, cb); }));
  EXPECT_EQ(mine.Current()->Find("org:late"), nullptr);
  ASSERT_TRUE(mine.RefreshIfStale());
  EXPECT_NE(mine.Current()->Find("org:late"), nullptr);
  db->Close();
}

}  // namespace
}  // namespace orgd::service
