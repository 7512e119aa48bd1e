#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <future>
#include <latch>
#include <thread>

#include "domain/errors.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "testing/store_sync.h"
#include "testing/temp_dir.h"

namespace orgd::store::sqlite {
namespace {

using testing::ReadSync;
using testing::WriteSync;

domain::Organization MakeOrg(int i) {
  domain::Organization org;
  org.id = "org_" + std::to_string(i);
  org.name = "Org " + std::to_string(i);
  org.slug = "org-" + std::to_string(i);
  org.created_at = org.updated_at = i;
  return org;
}

std::unique_ptr<SqliteDatabase> OpenAt(const std::string& path) {
  SqliteOptions options;
  options.path = path;
  auto db = SqliteDatabase::Open(options);
  EXPECT_TRUE(db) << (db ? "" : db.error().detail);
  return db ? std::move(*db) : nullptr;
}

TEST(SqliteDatabaseTest, ConcurrentWritesShareCommits) {
  testing::TempDir dir;
  auto db = OpenAt(dir.File("orgd.db"));
  constexpr int kWrites = 1000;
  std::atomic<int> ok{0};
  std::latch all_done(kWrites);
  for (int i = 0; i < kWrites; ++i) {
    db->Write([org = MakeOrg(i)](WriteTransaction& tx) { return tx.organizations().Insert(org); },
              [&](Result<void> r) {
                if (r) ok.fetch_add(1);
                all_done.count_down();
              });
  }
  all_done.wait();
  EXPECT_EQ(ok.load(), kWrites);
  EXPECT_EQ(db->WritesForTest(), static_cast<uint64_t>(kWrites));
  // Queued writes are committed together: far fewer transactions (fsyncs) than writes.
  EXPECT_LT(db->CommitsForTest(), static_cast<uint64_t>(kWrites) / 4);
}

TEST(SqliteDatabaseTest, FailedWriteInABatchDoesNotAffectTheOthers) {
  testing::TempDir dir;
  auto db = OpenAt(dir.File("orgd.db"));
  std::latch writer_busy(1), release(1);
  // Hold the writer so the next three writes queue up and land in one batch.
  db->Write(
      [&](WriteTransaction&) -> Result<void> {
        writer_busy.count_down();
        release.wait();
        return {};
      },
      [](Result<void>) {});
  writer_busy.wait();
  std::promise<Result<void>> a, b, c;
  db->Write([](WriteTransaction& tx) { return tx.organizations().Insert(MakeOrg(1)); },
            [&](Result<void> r) { a.set_value(r); });
  db->Write(
      [](WriteTransaction& tx) -> Result<void> {
        (void)tx.organizations().Insert(MakeOrg(2));
        return errors::Internal("fail on purpose");
      },
      [&](Result<void> r) { b.set_value(r); });
  db->Write([](WriteTransaction& tx) { return tx.organizations().Insert(MakeOrg(3)); },
            [&](Result<void> r) { c.set_value(r); });
  release.count_down();
  EXPECT_TRUE(a.get_future().get());
  EXPECT_FALSE(b.get_future().get());
  EXPECT_TRUE(c.get_future().get());
  auto get = [&](const char* id) {
    return ReadSync<domain::Organization>(
        *db, [id](ReadTransaction& tx) { return tx.organizations().Get(id); });
  };
  EXPECT_TRUE(get("org_1"));
  EXPECT_FALSE(get("org_2"));
  EXPECT_TRUE(get("org_3"));
}

TEST(SqliteDatabaseTest, ReadsDoNotWaitForTheWriter) {
  testing::TempDir dir;
  auto db = OpenAt(dir.File("orgd.db"));
  ASSERT_TRUE(WriteSync<void>(
      *db, [](WriteTransaction& tx) { return tx.organizations().Insert(MakeOrg(1)); }));
  std::latch writer_busy(1), release(1);
  std::promise<Result<void>> blocked_write;
  db->Write(
      [&](WriteTransaction& tx) -> Result<void> {
        if (auto r = tx.organizations().Insert(MakeOrg(2)); !r) return r;
        writer_busy.count_down();
        release.wait();  // the write transaction stays open
        return {};
      },
      [&](Result<void> r) { blocked_write.set_value(r); });
  writer_busy.wait();
  // While the writer holds an open transaction, a read completes and sees the last commit only.
  auto one = ReadSync<domain::Organization>(
      *db, [](ReadTransaction& tx) { return tx.organizations().Get("org_1"); });
  auto two = ReadSync<domain::Organization>(
      *db, [](ReadTransaction& tx) { return tx.organizations().Get("org_2"); });
  EXPECT_TRUE(one);
  EXPECT_FALSE(two);
  release.count_down();
  EXPECT_TRUE(blocked_write.get_future().get());
}

TEST(SqliteDatabaseTest, CloseFinishesQueuedWritesThenRefusesNewOnes) {
  testing::TempDir dir;
  auto db = OpenAt(dir.File("orgd.db"));
  std::atomic<int> ok{0};
  for (int i = 0; i < 200; ++i) {
    db->Write([org = MakeOrg(i)](WriteTransaction& tx) { return tx.organizations().Insert(org); },
              [&](Result<void> r) {
                if (r) ok.fetch_add(1);
              });
  }
  db->Close();
  EXPECT_EQ(ok.load(), 200);
  std::promise<Result<void>> late;
  db->Write([](WriteTransaction&) -> Result<void> { return {}; },
            [&](Result<void> r) { late.set_value(r); });
  auto r = late.get_future().get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST(SqliteDatabaseTest, DataSurvivesReopen) {
  testing::TempDir dir;
  {
    auto db = OpenAt(dir.File("orgd.db"));
    ASSERT_TRUE(WriteSync<void>(
        *db, [](WriteTransaction& tx) { return tx.organizations().Insert(MakeOrg(7)); }));
  }
  auto db = OpenAt(dir.File("orgd.db"));
  auto got = ReadSync<domain::Organization>(
      *db, [](ReadTransaction& tx) { return tx.organizations().Get("org-7"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, "org_7");
}

TEST(SqliteDatabaseTest, MigrationsApplyOnceAndRefuseANewerSchema) {
  testing::TempDir dir;
  auto conn = SqliteConnection::Open(dir.File("orgd.db"), SqliteConnection::Mode::kReadWrite);
  ASSERT_TRUE(conn);
  auto first = ApplyMigrations(**conn);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, static_cast<int>(SqliteMigrations().size()));
  auto second = ApplyMigrations(**conn);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 0);
  ASSERT_TRUE((*conn)->Exec(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)"));
  auto newer = ApplyMigrations(**conn);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::kFailedPrecondition);
}

TEST(SqliteDatabaseTest, OpenFailsClearlyForAnUnwritablePath) {
  SqliteOptions options;
  options.path = "/nonexistent-dir/orgd.db";
  auto db = SqliteDatabase::Open(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

// The file holds signing keys and webhook secrets: under the usual umask too, it and the WAL files
// SQLite makes beside it are the owner's only.
TEST(SqliteDatabaseTest, CreatesTheFileAndItsWalFilesForTheOwnerOnly) {
  testing::TempDir dir;
  const mode_t umask_before = ::umask(022);  // the usual umask, under which SQLite makes 0644
  auto db = OpenAt(dir.File("orgd.db"));
  ::umask(umask_before);
  ASSERT_TRUE(db);
  ASSERT_TRUE(WriteSync<bool>(*db, [](WriteTransaction& tx) -> Result<bool> {
    if (auto r = tx.organizations().Insert(MakeOrg(1)); !r) return r.error();
    return true;
  }));
  for (const char* name : {"orgd.db", "orgd.db-wal", "orgd.db-shm"}) {
    struct stat st;
    ASSERT_EQ(::stat(dir.File(name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name << " is mode " << std::oct << (st.st_mode & 0777);
  }
}

TEST(SqliteDatabaseTest, PingAnswersWhileOpen) {
  testing::TempDir dir;
  auto db = OpenAt(dir.File("orgd.db"));
  auto ping = [&] {
    return ReadSync<bool>(*db, [](ReadTransaction& tx) -> Result<bool> {
      if (auto r = tx.Ping(); !r) return r.error();
      return true;
    });
  };
  EXPECT_TRUE(ping());
  db->Close();
  auto closed = ping();
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace orgd::store::sqlite
