#include "store/postgres/migrations.h"

#include <fmt/format.h>

#include "domain/errors.h"

namespace orgd::store::postgres {
namespace {

// The advisory lock key that serializes migrations across nodes ("orgd" in ASCII).
constexpr const char* kLock = "SELECT pg_advisory_lock(1869768548)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(1869768548)";

Result<int> ApplyLocked(PostgresConnection& conn) {
  if (auto r = conn.Exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT "
          "NULL, applied_at BIGINT NOT NULL)");
      !r) {
    return r.error();
  }
  int64_t current = 0;
  {
    auto stmt = conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    current = stmt->Int(0);
  }
  auto all = PostgresMigrations();
  int newest = all.empty() ? 0 : all.back().version;
  if (current > newest) {
    Error e = errors::Internal(fmt::format(
        "the database schema is at version {}, newer than this orgd knows ({}); upgrade orgd",
        current, newest));
    e.code = ErrorCode::kFailedPrecondition;
    return e;
  }
  int applied = 0;
  for (const sql::Migration& m : all) {
    if (m.version <= current) continue;
    if (auto r = conn.Exec("BEGIN"); !r) return r.error();
    auto step = [&]() -> Result<void> {
      if (auto r = conn.Exec(m.sql); !r) return r;
      auto stmt = conn.Prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, "
          "(extract(epoch from clock_timestamp()) * 1000)::bigint)");
      if (!stmt) return stmt.error();
      stmt->Bind(1, int64_t{m.version});
      stmt->Bind(2, m.name);
      return stmt->Run();
    };
    if (auto r = step(); !r) {
      (void)conn.Exec("ROLLBACK");
      Error e = r.error();
      e.detail = fmt::format("migration {} ({}) failed: {}", m.version, m.name, e.detail);
      return e;
    }
    if (auto r = conn.Exec("COMMIT"); !r) return r.error();
    ++applied;
  }
  return applied;
}

}  // namespace

Result<int> ApplyMigrations(PostgresConnection& conn) {
  if (auto r = conn.Exec(kLock); !r) return r.error();
  auto applied = ApplyLocked(conn);
  (void)conn.Exec(kUnlock);
  return applied;
}

}  // namespace orgd::store::postgres
