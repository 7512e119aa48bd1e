#include "service/job_runner.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>

#include "common/random.h"
#include "common/random.h"
#include "domain/errors.h"
#include "store/database.h"

namespace orgd::service {
namespace {

template <class T, class Run>
Result<T> Blocking(Run run) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  run([&promise](Result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

// Backoff before attempt n+1 after n failed ones: 1 s, 2 s, 4 s… up to 10 minutes.
// 1 s doubling per attempt up to 10 min, each delay drawn between half and all of that (jitter,
// so the jobs a mail server outage failed together do not all come back at the same moment).
int64_t RetryDelayMillis(int64_t attempts) {
  const int64_t full =
      std::min<int64_t>(600'000, int64_t{1000} << std::clamp<int64_t>(attempts - 1, 0, 20));
  uint8_t r[2];
  FillRandom(r);
  const int64_t spread = (int64_t{r[0]} << 8 | r[1]) * (full / 2) / 65535;
  return full / 2 + spread;
}

}  // namespace

JobRunner::JobRunner(store::Database& db, const Clock& clock, IdGenerator& ids,
                     JobRunnerOptions options)
    : db_(db), clock_(clock), ids_(ids), options_(std::move(options)) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::RegisterOutside(std::string kind, OutsideHandler handler) {
  outside_.emplace(std::move(kind), std::move(handler));
}

void JobRunner::Register(std::string kind, Handler handler) {
  handlers_[std::move(kind)] = std::move(handler);
}

void JobRunner::Schedule(std::string kind, std::chrono::milliseconds every) {
  recurring_.push_back(Recurring{std::move(kind), every});
}

Result<int> JobRunner::RunOnce() {
  const int64_t now = clock_.NowMillis();
  for (Recurring& r : recurring_) {
    if (now < r.next_check) continue;
    r.next_check = now + std::min<int64_t>(r.every.count(), 60'000);
    store::Job job;
    job.id = ids_.New("job");
    job.kind = r.kind;
    job.dedupe_key = r.kind;
    job.run_at = now + r.every.count();
    job.created_at = now;
    auto queued = Blocking<bool>([&](auto done) {
      store::WriteAsync<bool>(
          db_, [job](store::WriteTransaction& tx) { return tx.jobs().Insert(job); },
          std::move(done));
    });
    if (!queued) return queued.error();
  }
  // No kind to run: nothing to claim (an empty list would claim every kind).
  if (handlers_.empty() && outside_.empty()) return 0;
  auto claimed = Blocking<std::vector<store::Job>>([&](auto done) {
    store::WriteAsync<std::vector<store::Job>>(
        db_,
        [owner = options_.node_id, now, until = now + options_.lease.count(),
         batch = options_.batch, kinds = Kinds()](store::WriteTransaction& tx) {
          return tx.jobs().Claim(owner, now, until, batch, kinds);
        },
        std::move(done));
  });
  if (!claimed) return claimed.error();
  int completed = 0;
  for (const store::Job& job : *claimed) {
    if (auto r = Run(job); r) {
      ++completed;
    } else {
      spdlog::warn("job {} ({}) attempt {} failed: {}", job.id, job.kind, job.attempts,
                   r.error().detail.empty() ? r.error().message : r.error().detail);
    }
  }
  return completed;
}

Result<void> JobRunner::Run(const store::Job& job) {
  if (auto outside = outside_.find(job.kind); outside != outside_.end()) {
    return RunOutside(job, outside->second);
  }
  auto handler = handlers_.find(job.kind);
  auto ran = Blocking<void>([&](auto done) {
    db_.Write(
        [&, owner = options_.node_id](store::WriteTransaction& tx) -> Result<void> {
          if (handler == handlers_.end()) {
            return errors::Internal("no handler for job kind " + job.kind);
          }
          if (auto r = handler->second(tx, job); !r) return r;
          // Only while this node still holds the lease: otherwise another node has the job now,
          // and everything above rolls back.
          return tx.jobs().Complete(job.id, owner, clock_.NowMillis());
        },
        std::move(done));
  });
  if (ran) return ran;
  if (ran.error().store_reason == StoreReason::kLeaseLost) return ran;  // another node has it
  GiveBack(job, ran.error().detail.empty() ? ran.error().message : ran.error().detail);
  return ran;
}

Result<void> JobRunner::RunOutside(const store::Job& job, const OutsideHandler& handler) {
  Result<void> ran = handler(job);
  if (!ran) {
    GiveBack(job, ran.error().detail.empty() ? ran.error().message : ran.error().detail);
    return ran;
  }
  return Blocking<void>([&](auto done) {
    db_.Write(
        [&, owner = options_.node_id](store::WriteTransaction& tx) {
          return tx.jobs().Complete(job.id, owner, clock_.NowMillis());
        },
        std::move(done));
  });
}

void JobRunner::GiveBack(const store::Job& job, const std::string& why) {
  const int64_t now = clock_.NowMillis();
  const bool give_up =
      outside_.contains(job.kind) && now - job.created_at >= options_.give_up_after.count();
  if (give_up)
    spdlog::error("job {} ({}) gave up after {} attempts: {}", job.id, job.kind, job.attempts, why);
  (void)Blocking<void>([&](auto done) {
    db_.Write(
        [&, owner = options_.node_id](store::WriteTransaction& tx) {
          if (give_up) return tx.jobs().Bury(job.id, owner, now, why);
          return tx.jobs().Retry(job.id, owner, now + RetryDelayMillis(job.attempts), why);
        },
        std::move(done));
  });
}

std::vector<std::string> JobRunner::Kinds() const {
  std::vector<std::string> kinds;
  for (const auto& [kind, handler] : handlers_) kinds.push_back(kind);
  for (const auto& [kind, handler] : outside_) kinds.push_back(kind);
  return kinds;
}

void JobRunner::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      auto r = RunOnce();
      if (!r) {
        spdlog::warn("background jobs: {}",
                     r.error().detail.empty() ? r.error().message : r.error().detail);
      }
      lock.lock();
      // A full batch done: more may be due, poll again at once (a queue of emails drains at the
      // mail server's pace, not one batch a second). Otherwise wait for the next poll.
      if (r && *r >= options_.batch) continue;
      cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
    }
  });
  pthread_setname_np(thread_.native_handle(), "orgd-jobs");
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

JobRunner::Handler PurgeCompletedJobs(const Clock& clock, std::chrono::milliseconds retention) {
  return [&clock, retention](store::WriteTransaction& tx, const store::Job&) -> Result<void> {
    auto purged = tx.jobs().PurgeCompleted(clock.NowMillis() - retention.count());
    if (!purged) return purged.error();
    if (*purged > 0) spdlog::info("purged {} completed job(s)", *purged);
    return {};
  };
}

}  // namespace orgd::service
