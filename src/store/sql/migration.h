// Migration: one step of the schema history. Each store keeps its own SQL for every step in
// migrations/<store>/NNNN_name.sql (one history, written for each database) and compiles it into
// the binary with cmake/embed_migrations.cmake, so orgd needs no files at run time. One runner
// applies them on either store.
#pragma once

#include <span>
#include <string_view>

#include "common/result.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// What the runner says differently on each database.
struct MigrationDialect {
  std::string_view create_history_table;  // CREATE TABLE IF NOT EXISTS schema_migrations …
  std::string_view begin;                 // opens a write transaction
  std::string_view now_millis;            // SQL expression: the time, ms since the epoch
};

// Brings the schema up to the newest of `migrations` (ascending versions), each in its own
// transaction, recorded in `schema_migrations`. Returns the number applied; kFailedPrecondition
// when the database was migrated by a newer orgd (its version is above every migration known
// here); the migration's error when one fails (nothing of that migration is kept).
Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations,
                            const MigrationDialect& dialect);

}  // namespace orgd::store::sql
