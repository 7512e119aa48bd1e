// Several orgd nodes on one PostgreSQL database, as services see it: each "node" is its own
// PostgresDatabase (its own pool and listener). What one node changes, another must act on.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "service/job_runner.h"
#include "service/permission_authority.h"
#include "service/role_service.h"
#include "store/postgres/postgres_database.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/postgres.h"
#include "testing/store_sync.h"

namespace orgd::service {
namespace {

using testing::Await;

std::unique_ptr<store::postgres::PostgresDatabase> OpenNode(const std::string& url) {
  store::postgres::PostgresOptions options;
  options.url = url;
  options.pool_size = 2;
  options.resync_interval = std::chrono::milliseconds(60'000);  // only notifications count here
  auto db = store::postgres::PostgresDatabase::Open(options);
  if (!db) throw std::runtime_error(db.error().detail);
  return std::move(*db);
}

// Polls `done` for up to 5 s.
template <class Done>
bool Eventually(Done done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// A job of kind "make_org", due now.
store::Job MakeOrgJob(std::string id, const Clock& clock) {
  store::Job job;
  job.id = std::move(id);
  job.kind = "make_org";
  job.run_at = clock.NowMillis();
  job.created_at = job.run_at;
  return job;
}

class MultiNodeTest : public ::testing::Test {
 protected:
  MultiNodeTest()
      : url_(testing::CreateTestDatabase()),
        a_(OpenNode(url_)),
        b_(OpenNode(url_)),
        clock_(1'700'000'000'000),
        ids_(clock_) {}
  ~MultiNodeTest() override {
    a_->Close();
    b_->Close();
  }

  std::string url_;
  std::unique_ptr<store::postgres::PostgresDatabase> a_;
  std::unique_ptr<store::postgres::PostgresDatabase> b_;
  FakeClock clock_;
  RandomIdGenerator ids_;
};

TEST_F(MultiNodeTest, ARoleCreatedOnOneNodeReachesTheOthersTableByNotification) {
  PermissionAuthority on_a(*a_);
  PermissionAuthority on_b(*b_);
  ASSERT_TRUE(on_a.Load());
  ASSERT_TRUE(on_b.Load());
  b_->OnSharedStateChanged([&on_b] { (void)on_b.RefreshIfStale(); });
  // Let b's listener connect first, so what follows is the notification's doing (a connect also
  // refreshes, for what was missed while not listening).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  testing::TestEventPayloads payloads;
  RoleService roles_a(*a_, clock_, ids_, on_a, payloads);
  RoleCommand cmd;
  cmd.name = "Auditor";
  cmd.key = "org:auditor";
  cmd.permissions = std::vector<std::string>{};
  auto role = Await<domain::Role>(
      [&](auto cb) { roles_a.CreateRole(testing::SecretKeyContext(), cmd, cb); });
  ASSERT_TRUE(role) << role.error().detail;
  EXPECT_NE(on_a.Current()->Find("org:auditor"), nullptr);  // published on commit
  // Node b never asked; the notification made it reload.
  EXPECT_TRUE(Eventually([&] { return on_b.Current()->Find("org:auditor") != nullptr; }));
  EXPECT_EQ(on_b.Current()->version(), on_a.Current()->version());
}

TEST_F(MultiNodeTest, AJobClaimedByANodeThatDiesIsFinishedByAnotherOnce) {
  JobRunnerOptions options;
  options.lease = std::chrono::milliseconds(1000);
  options.node_id = "node-b";
  JobRunner runner_b(*b_, clock_, ids_, options);
  int handled = 0;
  // The handler's effect is a row in the same transaction as the completion: an organization.
  runner_b.Register("make_org", [&](store::WriteTransaction& tx, const store::Job& job) {
    ++handled;
    domain::Organization org;
    org.id = "org_from_" + job.id;
    org.name = "From a job";
    org.slug = "from-" + job.id.substr(4);
    org.created_at = org.updated_at = clock_.NowMillis();
    return tx.organizations().Insert(org);
  });

  store::Job job = MakeOrgJob("job_handoff", clock_);
  ASSERT_TRUE(testing::WriteSync<bool>(
      *a_, [&](store::WriteTransaction& tx) { return tx.jobs().Insert(job); }));
  // Node a claims the job, then dies before finishing it (it never completes).
  auto claimed = testing::WriteSync<std::vector<store::Job>>(*a_, [&](store::WriteTransaction& tx) {
    return tx.jobs().Claim("node-a", clock_.NowMillis(), clock_.NowMillis() + 1000, 10);
  });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  a_->Close();

  // While a's lease lasts, b leaves the job alone.
  EXPECT_EQ(*runner_b.RunOnce(), 0);
  clock_.Advance(1001);
  EXPECT_EQ(*runner_b.RunOnce(), 1);
  EXPECT_EQ(*runner_b.RunOnce(), 0);  // done: never again
  EXPECT_EQ(handled, 1);
  auto done = testing::ReadSync<store::Job>(
      *b_, [](store::ReadTransaction& tx) { return tx.jobs().Get("job_handoff"); });
  ASSERT_TRUE(done);
  EXPECT_EQ(done->attempts, 2);
  EXPECT_EQ(done->lease_owner, "node-b");
  EXPECT_TRUE(done->completed_at.has_value());
  EXPECT_TRUE(testing::ReadSync<domain::Organization>(*b_, [](store::ReadTransaction& tx) {
    return tx.organizations().Get("org_from_job_handoff");
  }));
}

TEST_F(MultiNodeTest, ALateFinishByTheFormerOwnerRollsItsWorkBack) {
  JobRunnerOptions options;
  options.lease = std::chrono::milliseconds(1000);
  options.node_id = "node-a";
  JobRunner runner_a(*a_, clock_, ids_, options);
  // Node a's handler is slow: while it runs, its lease expires and node b takes the job.
  runner_a.Register("make_org", [&](store::WriteTransaction& tx, const store::Job& job) {
    clock_.Advance(5000);
    auto stolen = testing::WriteSync<std::vector<store::Job>>(*b_, [&](store::WriteTransaction& t) {
      return t.jobs().Claim("node-b", clock_.NowMillis(), clock_.NowMillis() + 1000, 10);
    });
    EXPECT_TRUE(stolen && stolen->size() == 1);
    domain::Organization org;
    org.id = "org_late";
    org.name = "Late";
    org.slug = "late";
    org.created_at = org.updated_at = clock_.NowMillis();
    return tx.organizations().Insert(org);
  });
  store::Job job = MakeOrgJob("job_late", clock_);
  ASSERT_TRUE(testing::WriteSync<bool>(
      *a_, [&](store::WriteTransaction& tx) { return tx.jobs().Insert(job); }));
  EXPECT_EQ(*runner_a.RunOnce(), 0);  // ran, but could not complete: rolled back
  auto org = testing::ReadSync<domain::Organization>(
      *a_, [](store::ReadTransaction& tx) { return tx.organizations().Get("org_late"); });
  EXPECT_EQ(org.error().code, ErrorCode::kNotFound);
  auto stored = testing::ReadSync<store::Job>(
      *a_, [](store::ReadTransaction& tx) { return tx.jobs().Get("job_late"); });
  EXPECT_EQ(stored->lease_owner, "node-b");
  EXPECT_FALSE(stored->completed_at.has_value());
}

TEST_F(MultiNodeTest, RecurringJobsArePendingOnceHoweverManyNodesScheduleThem) {
  std::vector<std::unique_ptr<JobRunner>> runners;
  for (auto* db : {a_.get(), b_.get()}) {
    JobRunnerOptions options;
    options.node_id = db == a_.get() ? "node-a" : "node-b";
    runners.push_back(std::make_unique<JobRunner>(*db, clock_, ids_, options));
    runners.back()->Register(kPurgeCompletedJobs,
                             PurgeCompletedJobs(clock_, std::chrono::hours(24)));
    runners.back()->Schedule(kPurgeCompletedJobs, std::chrono::hours(1));
  }
  EXPECT_EQ(*runners[0]->RunOnce(), 0);  // queued for an hour from now
  EXPECT_EQ(*runners[1]->RunOnce(), 0);  // already queued: not twice
  clock_.Advance(3'600'001);
  const int ran = *runners[0]->RunOnce() + *runners[1]->RunOnce();
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace orgd::service
