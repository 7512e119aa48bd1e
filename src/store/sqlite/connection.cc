#include "store/sqlite/connection.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>

#include "store/store_errors.h"

namespace orgd::store::sqlite {

namespace {

// Process-wide SQLite settings, applied once before the first connection opens (sqlite3_config
// refuses them after SQLite has initialized). Memory statistics off: with them on, every
// allocation SQLite makes takes one global mutex, which readers on different threads fought
// over (measured: two contended futex calls per member-list request).
// orgd never reads those statistics.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); rc != SQLITE_OK) {
      spdlog::warn(
          "sqlite: could not turn memory statistics off ({}): SQLite was initialized "
          "before orgd configured it",
          sqlite3_errstr(rc));
    }
  });
}

// The database holds signing keys, webhook secrets and the digests of credentials, so orgd makes
// its file readable by its owner only. SQLite would create it with 0644 (less the umask), and it
// gives the -wal and -shm files it makes later the mode of the database file, so creating this one
// file 0600 before SQLite opens it covers all three. The file is made here rather than by
// narrowing the umask, which is process-wide and would race with the other threads' files.
// A file that exists keeps its mode (an operator may have chosen it), but one that others may
// read is reported. Skipped for ":memory:" and file: URIs; when the file cannot be made (no such
// directory), sqlite3_open_v2 fails next with its own message.
void CreatePrivately(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0077) != 0) {
    spdlog::warn("sqlite: {} may be read by other users (mode {:04o}); chmod 600 it", path,
                 st.st_mode & 07777);
  }
  ::close(fd);
}

}  // namespace

class SqliteConnection::CachedStatement final : public sql::StatementDriver {
 public:
  explicit CachedStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~CachedStatement() { sqlite3_finalize(stmt_); }

  void BindText(int index, std::string_view text) override {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void BindInt(int index, int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void BindBlob(int index, std::string_view bytes) override {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  }
  void BindNull(int index) override { sqlite3_bind_null(stmt_, index); }

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(sqlite3_db_handle(stmt_), rc, sqlite3_sql(stmt_));
  }
  void Reset() override { sqlite3_reset(stmt_); }
  void Release() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string_view TextView(int column) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (p == nullptr) return {};
    return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::string Blob(int column) const override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    if (p == nullptr) return {};
    return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  std::string_view ColumnName(int column) const override {
    const char* name = sqlite3_column_name(stmt_, column);
    return name == nullptr ? std::string_view() : std::string_view(name);
  }
  sql::ColumnKind Kind(int column) const override {
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_NULL:
        return sql::ColumnKind::kNull;
      case SQLITE_INTEGER:
        return sql::ColumnKind::kInteger;
      case SQLITE_BLOB:
        return sql::ColumnKind::kBlob;
      default:  // TEXT (STRICT tables hold no REAL)
        return sql::ColumnKind::kText;
    }
  }

 private:
  sqlite3_stmt* stmt_;
};

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (mode == Mode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                        : SQLITE_OPEN_READONLY);
  ConfigureSqliteOnce();
  if (mode == Mode::kReadWrite) CreatePrivately(path);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return store::Unavailable(fmt::format("cannot open SQLite database {}: {}", path, why));
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  // WAL lets readers run while the writer commits. synchronous=FULL makes every commit durable
  // (fsync of the WAL); the writer amortizes that fsync over a batch of requests (group commit).
  // temp_store=MEMORY (writer only) keeps the statement journal of each write's SAVEPOINT in
  // memory: on disk it spilled to a temporary file past 64 KiB, and those writes were a third of
  // the writer's time when adding members. (A larger page cache for the writer, 32 MiB, measured
  // slower for adding members and no faster for creates; SQLite's 2 MiB default stays.)
  const char* pragmas =
      mode == Mode::kReadWrite
          ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
            "PRAGMA temp_store=MEMORY; PRAGMA busy_timeout=5000;"
          : "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA query_only=ON;";
  if (auto r = conn->Exec(pragmas); !r) return r.error();
  return conn;
}

SqliteConnection::SqliteConnection(sqlite3* db) : db_(db) {}

SqliteConnection::~SqliteConnection() {
  statements_.clear();
  sqlite3_close_v2(db_);
}

Result<void> SqliteConnection::Exec(std::string_view sql) {
  std::string owned(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db_, rc, owned);
    sqlite3_free(message);
    return e;
  }
  return {};
}

Result<Statement> SqliteConnection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return Statement(it->second.get());
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
  auto cached = std::make_unique<CachedStatement>(stmt);
  Statement out(cached.get());
  statements_.emplace(sql, std::move(cached));
  return out;
}

Error SqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string detail =
      fmt::format("sqlite: {} ({}, code {}) in: {}", db != nullptr ? sqlite3_errmsg(db) : "",
                  sqlite3_errstr(rc), rc, context);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
      // SQLite names the columns after this prefix ("organizations.slug"); the stores match
      // that name exactly (sql/constraints.h), whatever else the message says.
      constexpr std::string_view kPrefix = "UNIQUE constraint failed: ";
      std::string_view message = db != nullptr ? sqlite3_errmsg(db) : "";
      std::string_view name =
          message.starts_with(kPrefix) ? message.substr(kPrefix.size()) : message;
      return store::UniqueViolation(name, detail);
    }
    case SQLITE_CONSTRAINT_TRIGGER:
      // ON DELETE/UPDATE RESTRICT reports a foreign key failure with this code.
      if (db == nullptr || std::string_view(sqlite3_errmsg(db)).rfind("FOREIGN KEY", 0) != 0) break;
      [[fallthrough]];
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return store::ForeignKey(detail);
    default:
      break;
  }
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return store::Unavailable(detail);
    default:
      return store::Internal(detail);
  }
}

}  // namespace orgd::store::sqlite
