// Background jobs in a store transaction: a queue in the database that every orgd node shares.
// A job is claimed with a lease (an owner and an expiry); exactly one node holds a live lease,
// and when a node dies its lease runs out and another node claims the job again. A handler that
// makes its changes and Complete()s the job in one transaction therefore takes effect exactly
// once, however many nodes run and whichever of them dies (see service/job_runner.h).
//
// Failures are typed (store/store_errors.h): a StoreReason and its constraint, no Clerk code.
//
// Thread safety: a JobReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/backlog.h"

namespace orgd::store {

struct Job {
  std::string id;              // job_…
  std::string kind;            // which handler runs it, e.g. "purge_completed_jobs"
  std::string payload = "{}";  // JSON text for the handler
  // At most one job that is not completed has a given key (a recurring job is enqueued once
  // however many nodes schedule it). Absent: no such limit.
  std::optional<std::string> dedupe_key;
  int64_t run_at = 0;    // ms: not before
  int64_t attempts = 0;  // claims so far
  std::optional<std::string> lease_owner;
  int64_t lease_expires_at = 0;  // ms; the lease is free when this has passed
  std::optional<std::string> last_error;
  std::optional<int64_t> completed_at;
  int64_t created_at = 0;
  std::optional<int64_t> dead_at;  // set when the job gave up (Bury): completed, not done
};

class JobReader {
 public:
  virtual ~JobReader() = default;
  // Returns kNotFound when no job has this ID.
  virtual Result<Job> Get(std::string_view id) = 0;
  // The jobs of `kind` that gave up, newest first, at most `limit`.
  virtual Result<std::vector<Job>> ListDead(std::string_view kind, int64_t limit) = 0;
  // The jobs due at `now` (run_at <= now) and not completed, and the earliest run_at of them.
  virtual Result<Backlog> DueBacklog(int64_t now) = 0;
};

class JobWriter : public JobReader {
 public:
  // Queues `job`. Returns false (and changes nothing) when a job that is not completed has the
  // same dedupe_key; kUniqueViolation when the ID is taken.
  virtual Result<bool> Insert(const Job& job) = 0;
  // Leases up to `limit` jobs that are due (run_at <= now), not completed, and not leased (or
  // whose lease expired before `now`) to `owner` until `lease_until`, counting an attempt.
  // Concurrent claims never return the same job twice. Oldest run_at first.
  // Only jobs of `kinds` (the ones this node can run) when it is not empty.
  virtual Result<std::vector<Job>> Claim(std::string_view owner, int64_t now, int64_t lease_until,
                                         int64_t limit,
                                         const std::vector<std::string>& kinds = {}) = 0;
  // Marks the job done. kLeaseLost when `owner` no longer holds its
  // lease (it expired and another node claimed the job): the caller must then roll back.
  virtual Result<void> Complete(std::string_view id, std::string_view owner, int64_t now) = 0;
  // Gives a failed attempt back: the job runs again at `run_at`. "lease_lost" as for Complete.
  virtual Result<void> Retry(std::string_view id, std::string_view owner, int64_t run_at,
                             std::string_view error) = 0;
  // Gives the job up: completed (it never runs again) and dead, with `error`. kLeaseLost as for
  // Complete.
  virtual Result<void> Bury(std::string_view id, std::string_view owner, int64_t now,
                            std::string_view error) = 0;
  // Deletes jobs completed before `before`, but for dead ones. Returns how many.
  virtual Result<int64_t> PurgeCompleted(int64_t before) = 0;
};

}  // namespace orgd::store
