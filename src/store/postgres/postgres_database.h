// PostgresDatabase: the Database on a PostgreSQL server that several orgd nodes may share.
//
// A bounded pool of worker threads, each owning one connection (opened lazily, replaced when it
// breaks), takes reads and writes from one queue. Each piece of work runs in its own transaction:
//   - reads: REPEATABLE READ READ ONLY — one snapshot for a page and its count;
//   - writes: SERIALIZABLE. The stores' own invariants hold at any level (unique slugs and keys
//     are constraints; a membership is counted against max_allowed_memberships by one
//     conditional UPDATE of the organization row, which READ COMMITTED already re-checks after a
//     concurrent update), but the services also read, decide, then write — the last admin of an
//     organization, the role and permission limits, "is this role still assignable" — and only
//     SERIALIZABLE makes such a decision as safe as SQLite's single writer makes it.
// A write that fails with a serialization failure or deadlock (40001/40P01) is retried, with
// jittered backoff, up to max_attempts. Writes that name a contention key (WriteContended: all the
// membership writes of one organization) first take a session advisory lock on the key, on every
// node alike, and start their transaction only once they hold it, so they queue instead of
// colliding on the organization's member count and retrying in a storm; a piece of work whose
// connection breaks before COMMIT is retried on a fresh connection. A connection lost during COMMIT
// leaves the outcome unknown: the caller gets kUnavailable (503) and must not assume either. When
// the server cannot be reached, work fails fast with kUnavailable and the pool reconnects by itself
// when the server is back.
//
// Commits are durable when PostgreSQL's are (synchronous_commit; the server groups concurrent
// commits into one WAL flush).
//
// A listener thread keeps one more connection LISTENing on the channel `orgd_changes` (the
// schema's triggers announce role changes there) and calls the OnSharedStateChanged callback on
// each notification, after each reconnect, and every resync_interval in case one was missed.
//
// Thread safety: Read(), Write() and Close() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/store_metrics.h"

namespace orgd::store::postgres {

struct PostgresOptions {
  // postgres://user:password@host:port/database?options (libpq's URI form).
  std::string url;
  // Connections (and worker threads). Default: 8.
  int pool_size = 8;
  // Most pieces of work waiting for a worker; beyond it work fails fast with kUnavailable.
  size_t max_queue = 65536;
  // Tries of one write that keeps meeting serialization failures. Default: 30.
  int max_attempts = 30;
  // How often the listener calls OnSharedStateChanged without a notification. Default: 5 s.
  std::chrono::milliseconds resync_interval{5000};
  // Where transactions and pool waits are timed. Default: nowhere.
  StoreMetrics metrics;
};

class PostgresDatabase final : public Database {
 public:
  // Connects once, applies pending migrations (nodes starting together take turns), and starts
  // the pool. Returns kUnavailable when the server cannot be reached, or the migration error.
  static Result<std::unique_ptr<PostgresDatabase>> Open(const PostgresOptions& options);
  ~PostgresDatabase() override;

  void Read(std::function<Result<void>(ReadTransaction&)> work,
            std::function<void(Result<void>)> done) override;
  void Write(std::function<Result<void>(WriteTransaction&)> work,
             std::function<void(Result<void>)> done) override;
  void WriteContended(std::string key, std::function<Result<void>(WriteTransaction&)> work,
                      std::function<void(Result<void>)> done) override;
  void Close() override;
  void OnSharedStateChanged(std::function<void()> changed) override;

  // Test hook: the next `count` writes that would commit roll back instead and are retried, as
  // after a serialization failure (SQLSTATE 40001); `between` runs after each rollback, before
  // the retry, on the worker thread (it may change the database on a connection of its own, never
  // through this Database).
  void InjectSerializationFailuresForTest(int count, std::function<void()> between = {});

 private:
  class Worker;
  // One Read or Write (exactly one of read/write is set) waiting for a worker.
  struct Task {
    std::function<Result<void>(ReadTransaction&)> read;
    std::function<Result<void>(WriteTransaction&)> write;
    std::function<void(Result<void>)> done;
    std::string key;                                    // WriteContended's key, or empty
    std::chrono::steady_clock::time_point queued = {};  // when metrics are kept
  };

  explicit PostgresDatabase(PostgresOptions options);
  void Submit(Task task);
  void WorkerLoop(Worker& worker);
  void ListenerLoop();

  const PostgresOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Task> queue_;  // GUARDED_BY(queue_mu_)
  bool closing_ = false;    // GUARDED_BY(queue_mu_)

  // Consumes one injected failure: true when this attempt must roll back and retry.
  bool TakeInjectedFailure();

  std::mutex inject_mu_;
  int injected_failures_ = 0;               // GUARDED_BY(inject_mu_)
  std::function<void()> between_attempts_;  // GUARDED_BY(inject_mu_)

  std::function<void()> changed_;
  std::thread listener_;
  std::atomic<bool> stop_listener_{false};
};

}  // namespace orgd::store::postgres
