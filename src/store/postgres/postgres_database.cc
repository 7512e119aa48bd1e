#include "store/postgres/postgres_database.h"

#include <poll.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <random>

#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/sql/bound_stores.h"
#include "store/sql/stored_json.h"
#include "store/store_errors.h"

namespace orgd::store::postgres {
namespace {

using Clock = std::chrono::steady_clock;

// After a failed connect, work fails fast for this long before the next attempt, so a database
// that is down costs each request microseconds, not a connect timeout.
constexpr std::chrono::milliseconds kReconnectPause{200};

}  // namespace

// One pool thread's connection and the transactions bound to it.
class PostgresDatabase::Worker {
 public:
  Worker(PostgresDatabase& db, uint64_t seed) : db_(db), rng_(seed) {}

  // A healthy connection: the current one, or a new one. kUnavailable while the server is down.
  Result<PostgresConnection*> Connect() {
    if (conn_ != nullptr && conn_->Healthy()) return conn_.get();
    Drop();
    if (Clock::now() - last_failure_ < kReconnectPause) return last_error_;
    auto conn = PostgresConnection::Open(db_.options_.url);
    if (!conn) {
      last_failure_ = Clock::now();
      last_error_ = conn.error();
      return conn.error();
    }
    conn_ = std::move(*conn);
    read_ = std::make_unique<sql::BoundReadTransaction>(*conn_);
    write_ = std::make_unique<sql::BoundWriteTransaction>(*conn_);
    return conn_.get();
  }
  void Drop() {
    read_.reset();
    write_.reset();
    conn_.reset();
  }

  Result<void> RunRead(const std::function<Result<void>(ReadTransaction&)>& work);
  Result<void> RunWrite(const std::function<Result<void>(WriteTransaction&)>& work);
  // RunWrite holding the advisory lock on `key` (released after COMMIT or ROLLBACK).
  Result<void> RunContended(const std::string& key,
                            const std::function<Result<void>(WriteTransaction&)>& work);

 private:
  void Backoff(int attempt) {
    const int64_t cap_us = std::min<int64_t>(50'000, int64_t{500} << std::min(attempt, 7));
    std::uniform_int_distribution<int64_t> jitter(cap_us / 2, cap_us);
    std::this_thread::sleep_for(std::chrono::microseconds(jitter(rng_)));
  }

  PostgresDatabase& db_;
  std::mt19937_64 rng_;
  std::unique_ptr<PostgresConnection> conn_;
  std::unique_ptr<sql::BoundReadTransaction> read_;
  std::unique_ptr<sql::BoundWriteTransaction> write_;
  Clock::time_point last_failure_{};
  Error last_error_;
};

Result<void> PostgresDatabase::Worker::RunRead(
    const std::function<Result<void>(ReadTransaction&)>& work) {
  Result<void> result;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto conn = Connect();
    if (!conn) return conn.error();
    PostgresConnection& c = **conn;
    c.ClearFailure();
    c.BeginLazily("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      result = work(*read_);
    } catch (const std::exception& e) {
      result = store::Internal(std::string("postgres read threw: ") + e.what());
    }
    if (!c.DropPendingBegin()) (void)c.Exec(result ? "COMMIT" : "ROLLBACK");
    if (!c.Healthy()) {
      // The connection broke under the read: run it again on a fresh one (reads have no effect).
      Drop();
      if (!result) continue;
    }
    break;
  }
  return result;
}

Result<void> PostgresDatabase::Worker::RunWrite(
    const std::function<Result<void>(WriteTransaction&)>& work) {
  Result<void> result;
  for (int attempt = 1;; ++attempt) {
    auto conn = Connect();
    if (!conn) return conn.error();
    PostgresConnection& c = **conn;
    c.ClearFailure();
    bool committing = false;
    c.BeginLazily("BEGIN ISOLATION LEVEL SERIALIZABLE");
    try {
      // A fresh copy of the work for every attempt: an attempt that ran and rolled back may have
      // changed what its closure holds, and the retry must start from the request itself.
      auto attempt_work = work;
      result = attempt_work(*write_);
    } catch (const std::exception& e) {
      result = store::Internal(std::string("postgres write threw: ") + e.what());
    }
    if (c.DropPendingBegin()) {
      // The work ran no statement: no transaction was opened, nothing to commit.
    } else if (result && c.failed_sqlstate().empty() && db_.TakeInjectedFailure()) {
      (void)c.Exec("ROLLBACK");
      std::function<void()> between;
      {
        std::lock_guard lock(db_.inject_mu_);
        between = db_.between_attempts_;
      }
      if (between) between();
      if (attempt < db_.options_.max_attempts) continue;
      return store::Unavailable("postgres: injected serialization failures exhausted the retries");
    } else if (result && c.failed_sqlstate().empty()) {
      committing = true;
      result = c.Exec("COMMIT");
    } else {
      (void)c.Exec("ROLLBACK");
      // A statement failed but the work carried on: nothing was committed.
      if (result) result = store::Internal("postgres: a statement failed in a write");
    }
    if (!c.Healthy()) {
      Drop();
      if (committing && result) return result;  // committed; the connection died just after
      if (committing) {
        return store::Unavailable(
            "postgres: the connection was lost during COMMIT; the write may or may not have been "
            "committed");
      }
      if (attempt < 3) continue;  // lost before COMMIT: nothing was written, run it again
      return result ? store::Unavailable("postgres: connection lost") : result;
    }
    if (!result && IsRetryableSqlState(c.failed_sqlstate()) &&
        attempt < db_.options_.max_attempts) {
      Backoff(attempt);
      continue;
    }
    return result;
  }
}

Result<void> PostgresDatabase::Worker::RunContended(
    const std::string& key, const std::function<Result<void>(WriteTransaction&)>& work) {
  // Two int4 keys (a namespace for orgd's contention keys, the key's hash) never meet the
  // migrations' one-bigint lock. Each statement lives in its own scope: a connection may only be
  // dropped once no statement of its cache is checked out.
  auto advisory = [this, &key](const char* sql) -> Result<void> {
    auto stmt = conn_->Prepare(sql);
    if (!stmt) return stmt.error();
    stmt->Bind(1, key);
    return stmt->Run();
  };
  if (auto conn = Connect(); !conn) return conn.error();
  if (auto locked = advisory("SELECT pg_advisory_lock(1869768549, hashtext(?1))"); !locked) {
    if (!conn_->Healthy()) Drop();
    return locked.error();
  }
  Result<void> result = RunWrite(work);
  // A connection that broke meanwhile released the lock with its session. (A retry inside
  // RunWrite on a new connection runs without the lock: still correct, only not queued.)
  if (conn_ != nullptr && conn_->Healthy()) {
    if (auto unlocked = advisory("SELECT pg_advisory_unlock(1869768549, hashtext(?1))");
        !unlocked) {
      Drop();  // never keep a connection that may still hold the lock
    }
  }
  return result;
}

PostgresDatabase::PostgresDatabase(PostgresOptions options) : options_(std::move(options)) {}

void PostgresDatabase::InjectSerializationFailuresForTest(int count,
                                                          std::function<void()> between) {
  std::lock_guard lock(inject_mu_);
  injected_failures_ = count;
  between_attempts_ = std::move(between);
}

bool PostgresDatabase::TakeInjectedFailure() {
  std::lock_guard lock(inject_mu_);
  if (injected_failures_ <= 0) return false;
  --injected_failures_;
  return true;
}

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const PostgresOptions& options) {
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(options));
  {
    auto conn = PostgresConnection::Open(options.url);
    if (!conn) return conn.error();
    auto applied = ApplyMigrations(**conn);
    if (!applied) return applied.error();
    if (*applied > 0) spdlog::info("postgres: applied {} migration(s)", *applied);
    // Values older orgd versions stored as non-JSON (each node checks; a repair is idempotent).
    auto repaired = sql::RepairStoredJson(**conn);
    if (!repaired) return repaired.error();
    if (*repaired > 0) spdlog::warn("postgres: repaired {} stored JSON value(s)", *repaired);
  }
  std::random_device seed;
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    db->workers_.push_back(std::make_unique<Worker>(*db, (uint64_t{seed()} << 32) | seed()));
  }
  for (auto& worker : db->workers_) {
    db->threads_.emplace_back([raw = db.get(), w = worker.get()] { raw->WorkerLoop(*w); });
    pthread_setname_np(db->threads_.back().native_handle(), "orgd-pg");
  }
  return db;
}

PostgresDatabase::~PostgresDatabase() { Close(); }

void PostgresDatabase::Submit(Task task) {
  {
    std::lock_guard lock(queue_mu_);
    if (!closing_ && queue_.size() < options_.max_queue) {
      if (options_.metrics.queue_wait_seconds != nullptr) {
        task.queued = std::chrono::steady_clock::now();
      }
      queue_.push_back(std::move(task));
      queue_cv_.notify_one();
      return;
    }
  }
  task.done(store::Unavailable("postgres: the database is closed or its queue is full"));
}

void PostgresDatabase::Read(std::function<Result<void>(ReadTransaction&)> work,
                            std::function<void(Result<void>)> done) {
  Submit(Task{std::move(work), nullptr, std::move(done), {}});
}

void PostgresDatabase::Write(std::function<Result<void>(WriteTransaction&)> work,
                             std::function<void(Result<void>)> done) {
  Submit(Task{nullptr, std::move(work), std::move(done), {}});
}

void PostgresDatabase::WriteContended(std::string key,
                                      std::function<Result<void>(WriteTransaction&)> work,
                                      std::function<void(Result<void>)> done) {
  Submit(Task{nullptr, std::move(work), std::move(done), std::move(key)});
}

void PostgresDatabase::WorkerLoop(Worker& worker) {
  (void)worker.Connect();  // warm: the first requests should not pay for connecting
  for (;;) {
    Task task;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) break;  // closing, and everything queued has run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    const StoreMetrics& m = options_.metrics;
    const auto started = m.read_seconds != nullptr ? std::chrono::steady_clock::now()
                                                   : std::chrono::steady_clock::time_point{};
    if (m.queue_wait_seconds != nullptr) {
      m.queue_wait_seconds->Observe(std::chrono::duration<double>(started - task.queued).count());
    }
    Result<void> result = task.read          ? worker.RunRead(task.read)
                          : task.key.empty() ? worker.RunWrite(task.write)
                                             : worker.RunContended(task.key, task.write);
    if (metrics::Histogram* h = task.read ? m.read_seconds : m.write_seconds) {
      h->Observe(SecondsSince(started));
    }
    task.done(std::move(result));
  }
  worker.Drop();
}

void PostgresDatabase::OnSharedStateChanged(std::function<void()> changed) {
  changed_ = std::move(changed);
  listener_ = std::thread([this] { ListenerLoop(); });
  pthread_setname_np(listener_.native_handle(), "orgd-pg-listen");
}

void PostgresDatabase::ListenerLoop() {
  std::unique_ptr<PostgresConnection> conn;
  auto last_call = Clock::now();
  auto call = [&] {
    last_call = Clock::now();
    try {
      changed_();
    } catch (const std::exception& e) {
      spdlog::error("postgres: change listener threw: {}", e.what());
    }
  };
  while (!stop_listener_.load()) {
    if (conn == nullptr || !conn->Healthy()) {
      conn.reset();
      auto opened = PostgresConnection::Open(options_.url);
      if (opened && (*opened)->Exec("LISTEN orgd_changes")) {
        conn = std::move(*opened);
        call();  // whatever changed while this node was not listening
      } else {
        for (int i = 0; i < 4 && !stop_listener_.load(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(125));
        }
        continue;
      }
    }
    pollfd pfd{PQsocket(conn->raw()), POLLIN, 0};
    (void)poll(&pfd, 1, 250);
    if (PQconsumeInput(conn->raw()) == 0) {
      spdlog::warn("postgres: change listener lost its connection; reconnecting");
      conn.reset();
      continue;
    }
    bool notified = false;
    while (PGnotify* n = PQnotifies(conn->raw())) {
      notified = true;
      PQfreemem(n);
    }
    if (notified || Clock::now() - last_call >= options_.resync_interval) call();
  }
}

void PostgresDatabase::Close() {
  {
    std::lock_guard lock(queue_mu_);
    if (closing_) return;
    closing_ = true;
  }
  queue_cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  stop_listener_.store(true);
  if (listener_.joinable()) listener_.join();
}

}  // namespace orgd::store::postgres
