// SqliteConnection: one SQLite connection (the sql::Connection of the SQLite driver) with a cache
// of prepared statements. SQLite speaks the stores' SQL as written (store/sql/connection.h).
//
// Thread safety: none. A connection is used by one thread at a time (the writer thread, or a
// reader that has checked it out of the pool); it is opened with SQLITE_OPEN_NOMUTEX.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"
#include "store/sql/connection.h"

namespace orgd::store::sqlite {

using sql::Statement;

class SqliteConnection final : public sql::Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens `path` (creating it in kReadWrite mode, with mode 0600: SQLite gives its -wal and -shm
  // files the same), sets WAL, foreign keys, busy timeout and durable synchronous mode. Returns
  // kUnavailable when the file cannot be opened.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, Mode mode);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<void> Exec(std::string_view sql) override;
  Result<Statement> Prepare(const std::string& sql) override;
  int64_t Changes() const override { return sqlite3_changes64(db_); }
  std::string_view SkipLocked() const override { return ""; }  // one writer: nothing to skip

  // True when no transaction is open: after COMMIT, or after SQLite rolled a failed one back.
  bool InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }
  sqlite3* raw() const { return db_; }

 private:
  class CachedStatement;
  explicit SqliteConnection(sqlite3* db);

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> statements_;
};

// Turns an SQLite result code into an orgd Error: SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY →
// kAlreadyExists (detail: the constraint message), SQLITE_CONSTRAINT_FOREIGNKEY →
// kFailedPrecondition (detail "foreign_key"), SQLITE_BUSY/LOCKED/FULL/IOERR/CANTOPEN →
// kUnavailable, everything else → kInternal.
Error SqliteError(sqlite3* db, int rc, std::string_view context);

}  // namespace orgd::store::sqlite
