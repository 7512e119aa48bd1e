#include "store/sqlite/migrations.h"

namespace orgd::store::sqlite {

Result<int> ApplyMigrations(SqliteConnection& conn) {
  static constexpr sql::MigrationDialect kSqlite{
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at INTEGER NOT NULL) STRICT",
      "BEGIN IMMEDIATE",
      "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
  };
  return sql::ApplyMigrations(conn, SqliteMigrations(), kSqlite);
}

}  // namespace orgd::store::sqlite
