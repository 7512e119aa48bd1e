#include "server/open_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace orgd::server {
namespace {

// Creates the directory that will hold the database file, and any missing above it, readable by
// their owner only (directories that exist are left as they are).
Result<void> EnsureParentDirectory(const std::string& path) {
  std::vector<std::filesystem::path> missing;
  std::error_code ec;
  for (std::filesystem::path p = std::filesystem::path(path).parent_path();
       !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto dir = missing.rbegin(); dir != missing.rend(); ++dir) {
    if (::mkdir(dir->c_str(), 0700) != 0 && errno != EEXIST) {
      return Error(ErrorCode::kUnavailable, "", "", "", "",
                   "cannot create " + dir->string() + ": " + std::strerror(errno));
    }
  }
  return {};
}

// Whether the migration history exists (a store never migrated has none).
Result<bool> HasMigrationHistory(store::sql::Connection& conn, bool postgres) {
  auto stmt = conn.Prepare(
      postgres
          ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name = 'schema_migrations'"
          : "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = "
            "'schema_migrations'");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row && stmt->Int(0) > 0;
}

}  // namespace

Result<std::unique_ptr<store::Database>> OpenStore(const std::string& url,
                                                   const StoreOptions& options) {
  auto parsed = ParseDatabaseUrl(url);
  if (!parsed) return parsed.error();
  if (parsed->kind == DatabaseUrl::Kind::kPostgres) {
    store::postgres::PostgresOptions pg;
    pg.url = parsed->path;
    pg.pool_size = options.postgres_pool;
    if (options.metrics != nullptr)
      pg.metrics = store::StoreMetrics::In(*options.metrics, "postgres");
    auto db = store::postgres::PostgresDatabase::Open(pg);
    if (!db) return db.error();
    return std::unique_ptr<store::Database>(std::move(*db));
  }
  if (auto r = EnsureParentDirectory(parsed->path); !r) return r.error();
  store::sqlite::SqliteOptions sqlite;
  sqlite.path = parsed->path;
  sqlite.max_batch = options.sqlite_max_batch;
  if (options.metrics != nullptr)
    sqlite.metrics = store::StoreMetrics::In(*options.metrics, "sqlite");
  auto db = store::sqlite::SqliteDatabase::Open(sqlite);
  if (!db) return db.error();
  return std::unique_ptr<store::Database>(std::move(*db));
}

Result<int> Migrate(const std::string& url) {
  auto parsed = ParseDatabaseUrl(url);
  if (!parsed) return parsed.error();
  if (parsed->kind == DatabaseUrl::Kind::kPostgres) {
    auto conn = store::postgres::PostgresConnection::Open(parsed->path);
    if (!conn) return conn.error();
    return store::postgres::ApplyMigrations(**conn);
  }
  if (auto r = EnsureParentDirectory(parsed->path); !r) return r.error();
  auto conn = store::sqlite::SqliteConnection::Open(
      parsed->path, store::sqlite::SqliteConnection::Mode::kReadWrite);
  if (!conn) return conn.error();
  return store::sqlite::ApplyMigrations(**conn);
}

Result<StoreConnection> OpenStoreConnection(const std::string& url, bool read_only) {
  auto parsed = ParseDatabaseUrl(url);
  if (!parsed) return parsed.error();
  StoreConnection out;
  if (parsed->kind == DatabaseUrl::Kind::kPostgres) {
    auto conn = store::postgres::PostgresConnection::Open(parsed->path);
    if (!conn) return conn.error();
    out.conn = std::move(*conn);
    out.begin_snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    out.begin_write = "BEGIN ISOLATION LEVEL SERIALIZABLE";
    out.postgres = true;
    out.newest_migration = store::postgres::PostgresMigrations().back().version;
  } else {
    std::error_code ec;
    if (read_only && !std::filesystem::is_regular_file(parsed->path, ec)) {
      return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                   "no SQLite database at " + parsed->path);
    }
    if (!read_only) {
      if (auto r = EnsureParentDirectory(parsed->path); !r) return r.error();
    }
    auto conn = store::sqlite::SqliteConnection::Open(
        parsed->path, read_only ? store::sqlite::SqliteConnection::Mode::kReadOnly
                                : store::sqlite::SqliteConnection::Mode::kReadWrite);
    if (!conn) return conn.error();
    out.conn = std::move(*conn);
    // Under WAL a deferred transaction's first read fixes its snapshot; IMMEDIATE takes the write
    // lock at once, so a serving orgd cannot slip a write in between the check and the import.
    out.begin_snapshot = "BEGIN";
    out.begin_write = "BEGIN IMMEDIATE";
    out.newest_migration = store::sqlite::SqliteMigrations().back().version;
  }
  // A store never migrated has no history table: version 0.
  auto history = HasMigrationHistory(*out.conn, out.postgres);
  if (!history) return history.error();
  if (*history) {
    auto stmt = out.conn->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    out.schema_version = static_cast<int>(stmt->Int(0));
  }
  return out;
}

}  // namespace orgd::server
