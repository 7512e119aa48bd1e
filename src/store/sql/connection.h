// The SQL connection the stores in store/sql are written against, implemented by each driver
// (store/sqlite, store/postgres). The stores are written once, in the subset both databases
// share; a driver translates what differs (store/postgres/dialect.h):
//   - placeholders `?N` (numbered, may repeat) or `?` (the next number);
//   - LIKE matches case-insensitively for ASCII (SQLite's LIKE; ILIKE on PostgreSQL);
//   - `json_each(?)` expands a JSON array parameter of strings into rows of `value`;
//   - `COLLATE NOCASE` orders case-insensitively;
//   - booleans are written TRUE/FALSE, flags are stored as integers 0/1;
//   - `FOR UPDATE SKIP LOCKED` comes from Connection::SkipLocked() (empty where a single writer
//     makes row locks moot).
//
// Thread safety: none. A Connection and its Statements are used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace orgd::store::sql {

// What a column of the current row holds, in the types both stores share (store/sql/connection.h's
// subset: integers, text, blobs; no floating point).
enum class ColumnKind { kNull, kInteger, kText, kBlob };

// One prepared statement, as a driver implements it.
class StatementDriver {
 public:
  virtual void BindText(int index, std::string_view text) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindBlob(int index, std::string_view bytes) = 0;
  virtual void BindNull(int index) = 0;
  // Runs the statement on first call; then advances to the next row. True for a row.
  virtual Result<bool> Step() = 0;
  // Makes the statement ready to run again; bindings are kept.
  virtual void Reset() = 0;
  // Resets and clears the bindings (the statement goes back to the connection's cache).
  virtual void Release() = 0;
  virtual int64_t Int(int column) const = 0;
  // Valid until the next Step(), Reset() or Release().
  virtual std::string_view TextView(int column) const = 0;
  virtual std::string Blob(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
  // The result's columns: known once Step() has run, also when it found no row.
  virtual int ColumnCount() const = 0;
  virtual std::string_view ColumnName(int column) const = 0;
  // The kind of the current row's value in `column`.
  virtual ColumnKind Kind(int column) const = 0;

 protected:
  ~StatementDriver() = default;
};

// A prepared statement checked out of a Connection's cache. Resets and clears its bindings when
// it goes out of scope, so the next user finds it fresh. Parameters and columns are as SQLite
// numbers them: parameters from 1, columns from 0.
class Statement {
 public:
  explicit Statement(StatementDriver* driver) : d_(driver) {}
  ~Statement() {
    if (d_ != nullptr) d_->Release();
  }
  Statement(Statement&& other) noexcept : d_(std::exchange(other.d_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void Bind(int index, std::string_view text) { d_->BindText(index, text); }
  void Bind(int index, const std::string& text) { d_->BindText(index, text); }
  void Bind(int index, const char* text) { d_->BindText(index, text); }
  void Bind(int index, int64_t value) { d_->BindInt(index, value); }
  void BindBlob(int index, std::string_view bytes) { d_->BindBlob(index, bytes); }
  void BindNull(int index) { d_->BindNull(index); }
  template <class T>
  void Bind(int index, const std::optional<T>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      BindNull(index);
    }
  }

  // Advances to the next row: true for a row, false when done.
  Result<bool> Step() { return d_->Step(); }
  // Runs a statement that returns no rows (or ignores them).
  Result<void> Run() {
    for (;;) {
      auto row = Step();
      if (!row) return row.error();
      if (!*row) return {};
    }
  }
  // Makes the statement ready to run again with new bindings.
  void Reset() { d_->Reset(); }

  int64_t Int(int column) const { return d_->Int(column); }
  std::string_view TextView(int column) const { return d_->TextView(column); }
  std::string Text(int column) const { return std::string(d_->TextView(column)); }
  std::optional<std::string> OptionalText(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Text(column);
  }
  std::optional<int64_t> OptionalInt(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int(column);
  }
  std::string Blob(int column) const { return d_->Blob(column); }
  bool IsNull(int column) const { return d_->IsNull(column); }
  int ColumnCount() const { return d_->ColumnCount(); }
  std::string_view ColumnName(int column) const { return d_->ColumnName(column); }
  ColumnKind Kind(int column) const { return d_->Kind(column); }

 private:
  StatementDriver* d_;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one or more statements without parameters or results (BEGIN, COMMIT, SAVEPOINT…).
  virtual Result<void> Exec(std::string_view sql) = 0;

  // Returns the cached prepared statement for `sql`, preparing it on first use.
  // Returns kInternal when the SQL does not compile (a bug).
  virtual Result<Statement> Prepare(const std::string& sql) = 0;

  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual int64_t Changes() const = 0;

  // " FOR UPDATE SKIP LOCKED" where concurrent transactions can claim rows, "" otherwise.
  virtual std::string_view SkipLocked() const = 0;
  // True when one writer runs every write transaction, one after another (SQLite): then no row
  // lock is needed to order writes.
  bool HasSingleWriter() const { return SkipLocked().empty(); }
};

}  // namespace orgd::store::sql
