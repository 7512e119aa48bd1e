// JobRunner: runs this node's share of the background jobs queued in the store
// (store/job_store.h), so that each job runs on exactly one node of those sharing a database.
//
// Each poll claims up to `batch` due jobs with a lease of `lease`; each claimed job's handler
// runs in a write transaction that also marks the job complete — only while this node still
// holds the lease, else the transaction (the handler's changes included) rolls back. A node that
// dies mid-job leaves its lease to run out; the next node to poll claims the job again. So a
// handler's database changes happen exactly once; what it does outside the database (an email, a
// webhook) may happen again after a crash and must tolerate that (at least once).
//
// A handler that fails leaves the job to run again after a backoff that grows with its attempts.
// Outside handlers (RegisterOutside) do what must not wait inside a transaction (an SMTP send):
// they run with no transaction open, and the job is completed after they succeed (so after a
// crash in between they run again: at least once). One that still fails give_up_after after the
// job was queued is buried: completed, dead, and listed by JobReader::ListDead. A node claims only
// the kinds it has a handler for, so jobs of a kind nobody here runs wait for a node that does.
// Recurring jobs (Schedule) are queued with a dedupe key, so however many nodes schedule them
// there is one pending at a time.
//
// Thread safety: Register/Schedule before Start; RunOnce may be called from any one thread at a
// time; Start/Stop from the owner.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/result.h"
#include "store/database.h"

namespace orgd::service {

struct JobRunnerOptions {
  std::string node_id;  // unique per process: the lease owner
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds lease{30'000};  // longer than any handler runs
  int batch = 8;
  // How long an outside handler's job is retried before it is buried. Default: 24 h.
  std::chrono::milliseconds give_up_after{24 * 60 * 60 * 1000};
};

class JobRunner {
 public:
  // Runs in the transaction that completes the job; an error rolls both back.
  using Handler = std::function<Result<void>(store::WriteTransaction&, const store::Job&)>;

  // REQUIRES: db, clock and ids outlive the runner.
  JobRunner(store::Database& db, const Clock& clock, IdGenerator& ids, JobRunnerOptions options);
  ~JobRunner();

  void Register(std::string kind, Handler handler);
  // Runs with no transaction open (see above); an error retries the job after a backoff.
  using OutsideHandler = std::function<Result<void>(const store::Job&)>;
  void RegisterOutside(std::string kind, OutsideHandler handler);
  // Keeps one `kind` job queued to run `every` after the previous one completed.
  void Schedule(std::string kind, std::chrono::milliseconds every);

  // One poll: queues recurring jobs (each checked at most once per min(every, 1 min), not on
  // every poll), claims, runs. Returns how many jobs completed. Blocks.
  Result<int> RunOnce();

  // Polls every poll_interval on a thread of its own until Stop(); at once again after a poll
  // that completed a whole batch.
  void Start();
  void Stop();

 private:
  struct Recurring {
    std::string kind;
    std::chrono::milliseconds every;
    int64_t next_check = 0;  // ms; before then this node does not try to queue the next one
  };
  Result<void> Run(const store::Job& job);
  Result<void> RunOutside(const store::Job& job, const OutsideHandler& handler);
  // The backoff after a failed attempt, or the burial of a job past give_up_after.
  void GiveBack(const store::Job& job, const std::string& why);
  std::vector<std::string> Kinds() const;

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  const JobRunnerOptions options_;
  std::map<std::string, Handler, std::less<>> handlers_;
  std::map<std::string, OutsideHandler, std::less<>> outside_;
  std::vector<Recurring> recurring_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

// The purge job: deletes jobs completed more than `retention` ago. Queued every hour by
// server/app.cc.
inline constexpr const char* kPurgeCompletedJobs = "purge_completed_jobs";
JobRunner::Handler PurgeCompletedJobs(const Clock& clock, std::chrono::milliseconds retention);

}  // namespace orgd::service
