// PostgresConnection: one libpq connection (the sql::Connection of the PostgreSQL driver) with a
// cache of server-side prepared statements. The stores' SQL is translated once per statement
// (store/postgres/dialect.h); results are read in text format.
//
// Thread safety: none. A connection is used by one thread at a time (the pool worker that owns
// it).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"
#include "store/sql/connection.h"

namespace orgd::store::postgres {

using sql::Statement;

class PostgresConnection final : public sql::Connection {
 public:
  // Connects to `url` (postgres://user:pass@host:port/db?…). Returns kUnavailable, with libpq's
  // reason, when the server cannot be reached or refuses.
  static Result<std::unique_ptr<PostgresConnection>> Open(const std::string& url);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Result<void> Exec(std::string_view sql) override;
  Result<Statement> Prepare(const std::string& sql) override;
  int64_t Changes() const override { return changes_; }
  std::string_view SkipLocked() const override { return " FOR UPDATE SKIP LOCKED"; }

  // Opens a transaction with `begin` (BEGIN ISOLATION LEVEL …) together with the next statement,
  // saving a round trip. DropPendingBegin() says whether no statement ran since (then no
  // transaction is open and it must not be committed) and forgets the BEGIN.
  void BeginLazily(std::string begin);
  bool DropPendingBegin();

  // False once the server went away; the connection must then be replaced.
  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  // The SQLSTATE of the first statement that failed since ClearFailure(), or "" when none did.
  // The pool reads it to tell a serialization failure (retry) from the work's own refusal.
  const std::string& failed_sqlstate() const { return failed_sqlstate_; }
  void ClearFailure() { failed_sqlstate_.clear(); }
  PGconn* raw() const { return conn_; }

 private:
  class CachedStatement;  // a member: it reaches conn_, changes_ and Fail()
  explicit PostgresConnection(PGconn* conn);
  // PQexecPrepared, preceded in the same round trip by a pending BEGIN.
  PGresult* ExecPrepared(const std::string& name, int n, const char* const* values,
                         const int* lengths, const int* formats);
  // Maps a failed result to an Error and remembers its SQLSTATE.
  Error Fail(const PGresult* result, std::string_view context);

  PGconn* conn_;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> statements_;
  int64_t changes_ = 0;
  std::string failed_sqlstate_;
  std::string pending_begin_;  // BeginLazily's statement, until the next one carries it
};

// SQLSTATEs the pool retries: serialization_failure and deadlock_detected.
bool IsRetryableSqlState(std::string_view sqlstate);

// Turns a failed libpq result into an orgd Error: unique_violation → kAlreadyExists (detail: the
// server's message; the connection replaces it with the constraint's name), foreign_key_violation →
// kFailedPrecondition (detail "foreign_key"), serialization failures, connection loss, shutdown, a
// read-only standby and resource exhaustion → kUnavailable, everything else → kInternal.
Error PostgresError(std::string_view sqlstate, std::string_view message, std::string_view context);

}  // namespace orgd::store::postgres
