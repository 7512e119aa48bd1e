// JobRunner's outside handlers (an SMTP send runs with no transaction open): completion after
// success, backoff after a failure, burial past give_up_after, and claims limited to the kinds
// this node runs.
#include "service/job_runner.h"

#include <gtest/gtest.h>

#include <atomic>

#include "domain/errors.h"
#include "store/store_errors.h"
#include "testing/store_sync.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

class JobRunnerTest : public ::testing::TestWithParam<std::string> {
 protected:
  JobRunnerTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    JobRunnerOptions options;
    options.node_id = "node_test";
    runner_ = std::make_unique<JobRunner>(*db_, clock_, ids_, options);
  }
  ~JobRunnerTest() override { db_->Close(); }

  void Enqueue(std::string id, std::string kind) {
    store::Job job;
    job.id = std::move(id);
    job.kind = std::move(kind);
    job.run_at = job.created_at = clock_.NowMillis();
    ASSERT_TRUE(testing::WriteSync<bool>(
        *db_, [job](store::WriteTransaction& tx) { return tx.jobs().Insert(job); }));
  }
  store::Job Get(const std::string& id) {
    return *testing::ReadSync<store::Job>(
        *db_, [id](store::ReadTransaction& tx) { return tx.jobs().Get(id); });
  }

  orgd::testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<JobRunner> runner_;
};

TEST_P(JobRunnerTest, OutsideHandlersRetryThenGiveUpAndOnlyTheirKindsAreClaimed) {
  std::atomic<int> sends{0};
  std::atomic<bool> server_up{false};
  runner_->RegisterOutside("send", [&](const store::Job&) -> Result<void> {
    ++sends;
    if (!server_up) return store::Unavailable("mail server down");
    return {};
  });
  Enqueue("job_ok", "send");
  Enqueue("job_two", "send");
  Enqueue("job_other", "nobody_here_runs_this");

  ASSERT_TRUE(runner_->RunOnce());
  EXPECT_EQ(sends, 2);
  EXPECT_FALSE(Get("job_ok").completed_at);  // given back, to run again later
  EXPECT_EQ(Get("job_other").attempts, 0);   // never claimed here
  // The server comes back: both are sent once they are due again.
  clock_.Advance(2'000);
  server_up = true;
  ASSERT_TRUE(runner_->RunOnce());
  EXPECT_TRUE(Get("job_ok").completed_at);
  EXPECT_FALSE(Get("job_ok").dead_at);
  EXPECT_TRUE(Get("job_two").completed_at);

  // Past give_up_after (24 h) a job that still fails is buried: done, dead, listed, kept.
  server_up = false;
  Enqueue("job_late", "send");
  clock_.Advance(25LL * 60 * 60 * 1000);
  ASSERT_TRUE(runner_->RunOnce());
  store::Job late = Get("job_late");
  EXPECT_TRUE(late.completed_at);
  EXPECT_TRUE(late.dead_at);
  EXPECT_NE(late.last_error.value_or("").find("mail server down"), std::string::npos);
  auto dead = testing::ReadSync<std::vector<store::Job>>(
      *db_, [](store::ReadTransaction& tx) { return tx.jobs().ListDead("send", 10); });
  ASSERT_TRUE(dead);
  ASSERT_GE(dead->size(), 1u);
  EXPECT_EQ(dead->front().kind, "send");
  auto purged = testing::WriteSync<int64_t>(*db_, [this](store::WriteTransaction& tx) {
    return tx.jobs().PurgeCompleted(clock_.NowMillis() + 1);
  });
  ASSERT_TRUE(purged);
  EXPECT_TRUE(Get("job_late").dead_at);  // the purge keeps dead jobs
  EXPECT_EQ(Get("job_other").attempts, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, JobRunnerTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
