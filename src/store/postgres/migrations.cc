#include "store/postgres/migrations.h"

namespace orgd::store::postgres {
namespace {

// The advisory lock key that serializes migrations across nodes ("orgd" in ASCII).
constexpr const char* kLock = "SELECT pg_advisory_lock(1869768548)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(1869768548)";

constexpr sql::MigrationDialect kPostgres{
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)",
    "BEGIN",
    "(extract(epoch from clock_timestamp()) * 1000)::bigint",
};

}  // namespace

Result<int> ApplyMigrations(PostgresConnection& conn) {
  if (auto r = conn.Exec(kLock); !r) return r.error();
  auto applied = sql::ApplyMigrations(conn, PostgresMigrations(), kPostgres);
  (void)conn.Exec(kUnlock);
  return applied;
}

}  // namespace orgd::store::postgres
