#include "store/sql/migration.h"

#include <fmt/format.h>

#include "store/store_errors.h"

namespace orgd::store::sql {

Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations,
                            const MigrationDialect& dialect) {
  if (auto r = conn.Exec(dialect.create_history_table); !r) return r.error();
  int64_t current = 0;
  {
    auto stmt = conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    current = stmt->Int(0);
  }
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    Error e = store::Internal(fmt::format(
        "the database schema is at version {}, newer than this orgd knows ({}); upgrade orgd",
        current, newest));
    e.code = ErrorCode::kFailedPrecondition;
    return e;
  }
  int applied = 0;
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    if (auto r = conn.Exec(dialect.begin); !r) return r.error();
    auto step = [&]() -> Result<void> {
      if (auto r = conn.Exec(m.sql); !r) return r;
      auto stmt = conn.Prepare(fmt::format(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, {})",
          dialect.now_millis));
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

}  // namespace orgd::store::sql
