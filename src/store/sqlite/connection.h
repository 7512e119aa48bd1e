// Connection: one SQLite connection with a cache of prepared statements.
//
// Thread safety: none. A Connection is used by one thread at a time (the writer thread, or a
// reader that has checked it out of the pool); it is opened with SQLITE_OPEN_NOMUTEX.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/result.h"

namespace orgd::store::sqlite {

// A prepared statement checked out of a Connection's cache. Resets and clears its bindings when
// it goes out of scope, so the next user finds it fresh.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  void Bind(int index, std::string_view text);
  void Bind(int index, int64_t value);
  void BindBlob(int index, std::string_view bytes);
  void BindNull(int index);
  template <class T>
  void Bind(int index, const std::optional<T>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      BindNull(index);
    }
  }

  // Advances to the next row. Returns true for a row, false when done; an SQLite error becomes
  // the Error the translation in sqlite_error.h gives.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Result<void> Run();
  // Makes the statement ready to run again with new bindings (bindings must not change while a
  // run is under way, so call this between runs of one checked-out statement).
  void Reset() { sqlite3_reset(stmt_); }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;
  std::string_view TextView(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens `path` (creating it in kReadWrite mode), sets WAL, foreign keys, busy timeout and
  // durable synchronous mode. Returns kUnavailable when the file cannot be opened.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
  Result<void> Exec(std::string_view sql);

  // Returns the cached prepared statement for `sql`, preparing it on first use.
  // Returns kInternal when the SQL does not compile (a bug).
  Result<Statement> Prepare(const std::string& sql);

  // True when no transaction is open: after COMMIT, or after SQLite rolled a failed one back.
  bool InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }
  int64_t Changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// Turns an SQLite result code into an orgd Error: SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY →
// kAlreadyExists (detail: the constraint message), SQLITE_CONSTRAINT_FOREIGNKEY →
// kFailedPrecondition (detail "foreign_key"), SQLITE_BUSY/LOCKED/FULL/IOERR/CANTOPEN →
// kUnavailable, everything else → kInternal.
Error SqliteError(sqlite3* db, int rc, std::string_view context);

}  // namespace orgd::store::sqlite
