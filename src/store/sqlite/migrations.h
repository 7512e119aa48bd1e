// Schema migrations for the SQLite store. The SQL lives in migrations/sqlite/NNNN_name.sql and is
// compiled into the binary (see src/store/CMakeLists.txt), so orgd needs no files at run time.
#pragma once

#include <span>
#include <string_view>

#include "common/result.h"
#include "store/sql/migration.h"
#include "store/sqlite/connection.h"

namespace orgd::store::sqlite {

using sql::Migration;

// Every migration, in ascending version order.
std::span<const Migration> SqliteMigrations();

// Brings the schema of `conn`'s database up to the newest migration, each migration in its own
// transaction, recording it in `schema_migrations`. Returns the number applied.
// Returns kFailedPrecondition when the database was migrated by a newer orgd (its version is
// above every migration known here), and the migration's error when one fails (nothing of that
// migration is kept).
Result<int> ApplyMigrations(SqliteConnection& conn);

}  // namespace orgd::store::sqlite
