#include "store/sqlite/sqlite_database.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <exception>

#include "common/completion_batch.h"
#include "store/sql/bound_stores.h"
#include "store/sql/stored_json.h"
#include "store/sqlite/migrations.h"
#include "store/store_errors.h"

namespace orgd::store::sqlite {

// A read-only connection with the stores bound to it.
class SqliteDatabase::Reader {
 public:
  explicit Reader(std::unique_ptr<SqliteConnection> conn) : conn_(std::move(conn)), tx_(*conn_) {}
  ReadTransaction& transaction() { return tx_; }
  SqliteConnection& connection() { return *conn_; }

 private:
  std::unique_ptr<SqliteConnection> conn_;
  sql::BoundReadTransaction tx_;
};

// The read-write connection with the stores bound to it. Used by the writer thread only.
class SqliteDatabase::Writer {
 public:
  explicit Writer(std::unique_ptr<SqliteConnection> conn) : conn_(std::move(conn)), tx_(*conn_) {}
  WriteTransaction& transaction() { return tx_; }
  SqliteConnection& connection() { return *conn_; }

 private:
  std::unique_ptr<SqliteConnection> conn_;
  sql::BoundWriteTransaction tx_;
};

namespace {

Result<void> RunCached(SqliteConnection& conn, const std::string& sql) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->Run();
}

}  // namespace

SqliteDatabase::SqliteDatabase(SqliteOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const SqliteOptions& options) {
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(options));
  auto conn = SqliteConnection::Open(options.path, SqliteConnection::Mode::kReadWrite);
  if (!conn) return conn.error();
  auto applied = ApplyMigrations(**conn);
  if (!applied) return applied.error();
  if (*applied > 0) spdlog::info("sqlite: applied {} migration(s) to {}", *applied, options.path);
  // Before any reader or writer runs: values older orgd versions stored as non-JSON.
  auto repaired = sql::RepairStoredJson(**conn);
  if (!repaired) return repaired.error();
  if (*repaired > 0) spdlog::warn("sqlite: repaired {} stored JSON value(s)", *repaired);
  db->writer_ = std::make_unique<Writer>(std::move(*conn));
  for (int i = 0; i < options.initial_readers; ++i) {
    auto reader = SqliteConnection::Open(options.path, SqliteConnection::Mode::kReadOnly);
    if (!reader) return reader.error();
    db->idle_readers_.push_back(std::make_unique<Reader>(std::move(*reader)));
  }
  db->writer_thread_ = std::thread([raw = db.get()] { raw->WriterLoop(); });
  pthread_setname_np(db->writer_thread_.native_handle(), "orgd-writer");
  return db;
}

SqliteDatabase::~SqliteDatabase() { Close(); }

Result<std::unique_ptr<SqliteDatabase::Reader>> SqliteDatabase::CheckOutReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  auto conn = SqliteConnection::Open(options_.path, SqliteConnection::Mode::kReadOnly);
  if (!conn) return conn.error();
  return std::make_unique<Reader>(std::move(*conn));
}

void SqliteDatabase::ReturnReader(std::unique_ptr<Reader> reader) {
  std::lock_guard lock(readers_mu_);
  if (!closed_.load()) idle_readers_.push_back(std::move(reader));
}

void SqliteDatabase::Read(std::function<Result<void>(ReadTransaction&)> work,
                          std::function<void(Result<void>)> done) {
  if (closed_.load()) {
    done(store::Unavailable("sqlite: database is closed"));
    return;
  }
  auto reader = CheckOutReader();
  if (!reader) {
    done(reader.error());
    return;
  }
  SqliteConnection& conn = (*reader)->connection();
  const auto started = options_.metrics.read_seconds != nullptr
                           ? std::chrono::steady_clock::now()
                           : std::chrono::steady_clock::time_point{};
  Result<void> result = RunCached(conn, "BEGIN");
  if (result) {
    try {
      result = work((*reader)->transaction());
    } catch (const std::exception& e) {
      result = store::Internal(std::string("sqlite read threw: ") + e.what());
    }
    if (!conn.InAutocommit()) (void)RunCached(conn, "COMMIT");
  }
  if (options_.metrics.read_seconds != nullptr) {
    options_.metrics.read_seconds->Observe(SecondsSince(started));
  }
  ReturnReader(std::move(*reader));
  done(std::move(result));
}

void SqliteDatabase::Write(std::function<Result<void>(WriteTransaction&)> work,
                           std::function<void(Result<void>)> done) {
  {
    std::lock_guard lock(queue_mu_);
    if (!closing_ && queue_.size() < options_.max_queue) {
      queue_.push_back(PendingWrite{std::move(work), std::move(done),
                                    options_.metrics.queue_wait_seconds != nullptr
                                        ? std::chrono::steady_clock::now()
                                        : std::chrono::steady_clock::time_point{}});
      queue_cv_.notify_one();
      return;
    }
  }
  done(store::Unavailable(closed_.load() ? "sqlite: database is closed"
                                         : "sqlite: write queue is full"));
}

void SqliteDatabase::WriterLoop() {
  std::vector<PendingWrite> batch;
  std::vector<Result<void>> results;
  for (;;) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything queued has been written
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const StoreMetrics& m = options_.metrics;
    const auto started = m.write_seconds != nullptr ? std::chrono::steady_clock::now()
                                                    : std::chrono::steady_clock::time_point{};
    if (m.queue_wait_seconds != nullptr) {
      for (const PendingWrite& w : batch) {
        m.queue_wait_seconds->Observe(std::chrono::duration<double>(started - w.queued).count());
      }
    }
    RunBatch(batch, results);
    if (m.write_seconds != nullptr) m.write_seconds->Observe(SecondsSince(started));
    if (m.batch_size != nullptr) m.batch_size->Observe(static_cast<double>(batch.size()));
    {
      // The answers of one I/O thread go to it together (common/completion_batch.h).
      CompletionBatch answers;
      for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
    }
    batch.clear();
    results.clear();
  }
}

void SqliteDatabase::RunBatch(std::vector<PendingWrite>& batch,
                              std::vector<Result<void>>& results) {
  SqliteConnection& conn = writer_->connection();
  results.assign(batch.size(), Result<void>());
  if (auto begin = RunCached(conn, "BEGIN IMMEDIATE"); !begin) {
    for (auto& r : results) r = begin.error();
    return;
  }
  size_t succeeded = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    Result<void> r = RunCached(conn, "SAVEPOINT w");
    if (r) {
      try {
        r = batch[i].work(writer_->transaction());
      } catch (const std::exception& e) {
        r = store::Internal(std::string("sqlite write threw: ") + e.what());
      }
      if (conn.InAutocommit()) {
        // SQLite rolled the whole transaction back (disk full, I/O error): every write of this
        // batch is lost, including those that had succeeded.
        Error lost = r ? store::Unavailable("sqlite: transaction aborted") : r.error();
        for (size_t j = 0; j < batch.size(); ++j) results[j] = lost;
        return;
      }
      if (r) {
        r = RunCached(conn, "RELEASE w");
      } else {
        (void)RunCached(conn, "ROLLBACK TO w");
        (void)RunCached(conn, "RELEASE w");
      }
    }
    if (r) ++succeeded;
    results[i] = std::move(r);
  }
  if (auto commit = RunCached(conn, "COMMIT"); !commit) {
    if (!conn.InAutocommit()) (void)conn.Exec("ROLLBACK");
    for (auto& r : results) {
      if (r) r = commit.error();
    }
    spdlog::error("sqlite: commit of {} write(s) failed: {}", succeeded, commit.error().detail);
    return;
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  writes_.fetch_add(succeeded, std::memory_order_relaxed);
}

void SqliteDatabase::Close() {
  {
    std::lock_guard lock(queue_mu_);
    if (closing_) return;
    closing_ = true;
  }
  queue_cv_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
  closed_.store(true);
  std::lock_guard lock(readers_mu_);
  idle_readers_.clear();
  writer_.reset();
}

}  // namespace orgd::store::sqlite
