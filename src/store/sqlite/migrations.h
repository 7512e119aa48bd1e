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

// sql::ApplyMigrations with SqliteMigrations().
Result<int> ApplyMigrations(SqliteConnection& conn);

}  // namespace orgd::store::sqlite
