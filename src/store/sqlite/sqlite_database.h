// SqliteDatabase: the Database on one SQLite file, in WAL mode.
//
// Writes: one writer thread owns the only read-write connection. Write() queues the work; the
// writer takes everything queued (up to max_batch), runs each piece in a SAVEPOINT of one
// `BEGIN IMMEDIATE` transaction, and COMMITs once, so a whole batch shares one fsync (group
// commit, as leveldb's DBImpl::Write builds a batch group). A piece that fails is rolled back to
// its savepoint alone; a failed COMMIT fails the whole batch. `done` callbacks run on the writer
// thread after the commit, in queue order.
//
// Reads: run inline on the calling thread, on a read-only connection checked out of a pool, inside
// BEGIN…COMMIT for one snapshot. WAL readers never wait for the writer. Inline reads cost no
// thread hop; they are short indexed lookups served from the page cache.
//
// Thread safety: Read(), Write() and Close() may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/sqlite/connection.h"
#include "store/store_metrics.h"

namespace orgd::store::sqlite {

struct SqliteOptions {
  // Path of the database file; created with its schema when missing.
  std::string path;
  // Most writes committed in one transaction. Default: 512.
  size_t max_batch = 512;
  // Most writes waiting for the writer; beyond it Write() fails fast with kUnavailable.
  // Default: 65536.
  size_t max_queue = 65536;
  // Read connections opened up front; more are opened when concurrent reads need them.
  // Default: 4.
  int initial_readers = 4;
  // Where transactions are timed and batches counted. Default: nowhere.
  StoreMetrics metrics;
};

class SqliteDatabase final : public Database {
 public:
  // Opens the file, applies pending migrations, and starts the writer thread.
  // Returns kUnavailable when the file cannot be opened, or the migration error.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const SqliteOptions& options);
  ~SqliteDatabase() override;

  void Read(std::function<Result<void>(ReadTransaction&)> work,
            std::function<void(Result<void>)> done) override;
  void Write(std::function<Result<void>(WriteTransaction&)> work,
             std::function<void(Result<void>)> done) override;
  void Close() override;

  // Counters for tests and benchmarks: transactions committed by the writer, and writes in them.
  uint64_t CommitsForTest() const { return commits_.load(); }
  uint64_t WritesForTest() const { return writes_.load(); }

 private:
  class Reader;
  class Writer;
  struct PendingWrite {
    std::function<Result<void>(WriteTransaction&)> work;
    std::function<void(Result<void>)> done;
    std::chrono::steady_clock::time_point queued;  // when metrics are kept
  };

  explicit SqliteDatabase(SqliteOptions options);
  Result<std::unique_ptr<Reader>> CheckOutReader();
  void ReturnReader(std::unique_ptr<Reader> reader);
  void WriterLoop();
  void RunBatch(std::vector<PendingWrite>& batch, std::vector<Result<void>>& results);

  const SqliteOptions options_;
  std::unique_ptr<Writer> writer_;  // used only by writer_thread_ once it runs

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Reader>> idle_readers_;  // GUARDED_BY(readers_mu_)

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite> queue_;  // GUARDED_BY(queue_mu_)
  bool closing_ = false;            // GUARDED_BY(queue_mu_)
  std::thread writer_thread_;

  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> writes_{0};
};

}  // namespace orgd::store::sqlite
