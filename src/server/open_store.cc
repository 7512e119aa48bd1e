#include "server/open_store.h"

#include <filesystem>

#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace orgd::server {
namespace {

// Creates the directory that will hold the database file, readable by its owner only.
Result<void> EnsureParentDirectory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  if (std::filesystem::create_directories(parent, ec)) {
    std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
  }
  if (ec) {
    return Error(ErrorCode::kUnavailable, "", "", "", "",
                 "cannot create " + parent.string() + ": " + ec.message());
  }
  return {};
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

}  // namespace orgd::server
