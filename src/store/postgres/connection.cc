#include "store/postgres/connection.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>
#include <vector>

#include "store/postgres/dialect.h"
#include "store/store_errors.h"

namespace orgd::store::postgres {
namespace {

std::string_view SqlState(const PGresult* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  // No SQLSTATE: libpq lost the connection before the server answered.
  return state != nullptr ? state : "08006";
}

bool Succeeded(const PGresult* result) {
  if (result == nullptr) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// Rows an INSERT/UPDATE/DELETE changed; other commands leave the count as it was (as SQLite's
// changes() does).
bool CountsChanges(const PGresult* result) {
  std::string_view tag = PQcmdStatus(const_cast<PGresult*>(result));
  return tag.starts_with("INSERT") || tag.starts_with("UPDATE") || tag.starts_with("DELETE");
}

}  // namespace

class PostgresConnection::CachedStatement final : public sql::StatementDriver {
 public:
  CachedStatement(PostgresConnection& conn, std::string name, TranslatedSql sql)
      : conn_(conn),
        name_(std::move(name)),
        sql_(std::move(sql)),
        values_(sql_.parameter_count),
        is_null_(sql_.parameter_count, true),
        binary_(sql_.parameter_count, 0) {}
  ~CachedStatement() { Reset(); }

  const TranslatedSql& sql() const { return sql_; }
  const std::string& name() const { return name_; }

  void BindText(int index, std::string_view text) override { Set(index, text, false); }
  void BindInt(int index, int64_t value) override { Set(index, std::to_string(value), false); }
  void BindBlob(int index, std::string_view bytes) override { Set(index, bytes, true); }
  void BindNull(int index) override {
    if (int k = Parameter(index); k > 0) is_null_[k - 1] = true;
  }

  Result<bool> Step() override {
    if (result_ == nullptr) {
      const int n = sql_.parameter_count;
      std::vector<const char*> values(n);
      std::vector<int> lengths(n);
      for (int i = 0; i < n; ++i) {
        values[i] = is_null_[i] ? nullptr : values_[i].data();
        lengths[i] = static_cast<int>(values_[i].size());
      }
      result_ = conn_.ExecPrepared(name_, n, values.data(), lengths.data(), binary_.data());
      if (!Succeeded(result_)) {
        Error e = conn_.Fail(result_, sql_.text);
        Reset();
        return e;
      }
      if (CountsChanges(result_)) conn_.changes_ = std::atoll(PQcmdTuples(result_));
      row_ = -1;
    }
    ++row_;
    return row_ < PQntuples(result_);
  }

  void Reset() override {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
  }
  void Release() override {
    Reset();
    std::fill(is_null_.begin(), is_null_.end(), true);
    std::fill(binary_.begin(), binary_.end(), 0);
  }

  int64_t Int(int column) const override {
    std::string_view text = TextView(column);
    if (text == "t") return 1;
    if (text == "f") return 0;
    int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  std::string_view TextView(int column) const override {
    if (IsNull(column)) return {};
    return std::string_view(PQgetvalue(result_, row_, column),
                            static_cast<size_t>(PQgetlength(result_, row_, column)));
  }
  std::string Blob(int column) const override {
    if (IsNull(column)) return {};
    size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column)), &length);
    if (bytes == nullptr) return {};
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
  }
  bool IsNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  int ColumnCount() const override { return result_ == nullptr ? 0 : PQnfields(result_); }
  std::string_view ColumnName(int column) const override {
    const char* name = result_ == nullptr ? nullptr : PQfname(result_, column);
    return name == nullptr ? std::string_view() : std::string_view(name);
  }
  sql::ColumnKind Kind(int column) const override {
    if (IsNull(column)) return sql::ColumnKind::kNull;
    // Type OIDs from PostgreSQL's pg_type.dat, which libpq does not export.
    constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23;
    switch (PQftype(result_, column)) {
      case kBool:
      case kInt8:
      case kInt2:
      case kInt4:
        return sql::ColumnKind::kInteger;
      case kBytea:
        return sql::ColumnKind::kBlob;
      default:
        return sql::ColumnKind::kText;
    }
  }

 private:
  // The PostgreSQL parameter (1-based) for a stores' parameter index, or 0 when unused.
  int Parameter(int index) const {
    if (index <= 0 || index >= static_cast<int>(sql_.parameter_of.size())) return 0;
    return sql_.parameter_of[index];
  }
  void Set(int index, std::string_view value, bool binary) {
    int k = Parameter(index);
    if (k == 0) return;
    values_[k - 1].assign(value);
    is_null_[k - 1] = false;
    binary_[k - 1] = binary ? 1 : 0;
  }

  PostgresConnection& conn_;
  const std::string name_;
  const TranslatedSql sql_;
  std::vector<std::string> values_;
  std::vector<char> is_null_;
  std::vector<int> binary_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Open(const std::string& url) {
  // Defaults first: what the URL itself sets wins (expand_dbname).
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "orgd", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr) return store::Unavailable("postgres: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return store::Unavailable("postgres: cannot connect: " + why);
  }
  std::unique_ptr<PostgresConnection> out(new PostgresConnection(conn));
  // No statement waits forever on a row lock another transaction holds.
  if (auto r = out->Exec("SET lock_timeout TO '10s'"); !r) return r.error();
  return out;
}

PostgresConnection::PostgresConnection(PGconn* conn) : conn_(conn) {}

PostgresConnection::~PostgresConnection() {
  statements_.clear();
  PQfinish(conn_);
}

Error PostgresConnection::Fail(const PGresult* result, std::string_view context) {
  std::string_view state = SqlState(result);
  if (failed_sqlstate_.empty()) failed_sqlstate_ = std::string(state);
  std::string message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  Error e = PostgresError(state, message, context);
  // A unique violation names its constraint (organizations_slug_key, users_username_key…): the
  // stores match that name exactly (sql/constraints.h), whatever language the server speaks.
  const char* constraint =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  if (e.store_reason == StoreReason::kUniqueViolation && constraint != nullptr) {
    e.constraint = constraint;
  }
  return e;
}

void PostgresConnection::BeginLazily(std::string begin) { pending_begin_ = std::move(begin); }

bool PostgresConnection::DropPendingBegin() {
  const bool pending = !pending_begin_.empty();
  pending_begin_.clear();
  return pending;
}

PGresult* PostgresConnection::ExecPrepared(const std::string& name, int n,
                                           const char* const* values, const int* lengths,
                                           const int* formats) {
  if (pending_begin_.empty()) {
    return PQexecPrepared(conn_, name.c_str(), n, values, lengths, formats, 0);
  }
  // BEGIN and the transaction's first statement in one round trip (libpq pipeline mode).
  const std::string begin = std::exchange(pending_begin_, std::string());
  if (PQenterPipelineMode(conn_) != 1) return nullptr;
  const bool sent =
      PQsendQueryParams(conn_, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
      PQsendQueryPrepared(conn_, name.c_str(), n, values, lengths, formats, 0) == 1 &&
      PQpipelineSync(conn_) == 1;
  PGresult* begin_result = nullptr;
  PGresult* statement_result = nullptr;
  if (sent) {
    // Each query's result then NULL, and finally the sync.
    for (PGresult** slot : {&begin_result, &statement_result}) {
      *slot = PQgetResult(conn_);
      while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    }
    if (PGresult* sync = PQgetResult(conn_)) PQclear(sync);
  }
  (void)PQexitPipelineMode(conn_);
  if (!Succeeded(begin_result)) {
    PQclear(statement_result);
    return begin_result;  // the BEGIN's own error (or nullptr: the connection is gone)
  }
  PQclear(begin_result);
  return statement_result;
}

Result<void> PostgresConnection::Exec(std::string_view sql) {
  std::string owned(sql);
  if (!pending_begin_.empty()) {
    // One simple query carries both: "BEGIN …; <sql>" (the transaction outlives the query).
    owned = std::exchange(pending_begin_, std::string()) + "; " + owned;
  }
  PGresult* result = PQexec(conn_, owned.c_str());
  if (!Succeeded(result)) {
    Error e = Fail(result, owned);
    PQclear(result);
    return e;
  }
  // COMMIT of a transaction that had failed is answered with ROLLBACK: nothing was committed.
  const bool rolled_back =
      owned.ends_with("COMMIT") && std::string_view(PQcmdStatus(result)) == "ROLLBACK";
  PQclear(result);
  if (rolled_back) {
    return store::Internal(
        "postgres: COMMIT rolled back a transaction in which a statement failed");
  }
  return {};
}

Result<Statement> PostgresConnection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return Statement(it->second.get());
  std::string name = "orgd_" + std::to_string(statements_.size() + 1);
  TranslatedSql translated = TranslateToPostgres(sql);
  PGresult* result = PQprepare(conn_, name.c_str(), translated.text.c_str(), 0, nullptr);
  if (!Succeeded(result)) {
    Error e = Fail(result, translated.text);
    PQclear(result);
    return e;
  }
  PQclear(result);
  auto cached = std::make_unique<CachedStatement>(*this, std::move(name), std::move(translated));
  Statement out(cached.get());
  statements_.emplace(sql, std::move(cached));
  return out;
}

bool IsRetryableSqlState(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

Error PostgresError(std::string_view sqlstate, std::string_view message, std::string_view context) {
  std::string detail = fmt::format("postgres: {} (SQLSTATE {}) in: {}", message, sqlstate, context);
  // A unique violation's constraint name is filled in by PostgresConnection::Fail.
  if (sqlstate == "23505") return store::UniqueViolation({}, detail);
  if (sqlstate == "23503") return store::ForeignKey(detail);
  if (IsRetryableSqlState(sqlstate) || sqlstate.starts_with("08") || sqlstate.starts_with("53") ||
      sqlstate.starts_with("57P") || sqlstate == "25006" || sqlstate == "55P03") {
    // Serialization failures (retried by the pool), lost connections, shutdown, a standby that
    // refuses writes after a failover, out of resources, lock timeout.
    return store::Unavailable(detail);
  }
  return store::Internal(detail);
}

}  // namespace orgd::store::postgres
