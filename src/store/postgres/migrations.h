// Schema migrations for the PostgreSQL store: migrations/postgres/NNNN_name.sql, the same history
// as migrations/sqlite written for PostgreSQL, compiled into the binary.
#pragma once

#include <span>

#include "common/result.h"
#include "store/postgres/connection.h"
#include "store/sql/migration.h"

namespace orgd::store::postgres {

// Every migration, in ascending version order.
std::span<const sql::Migration> PostgresMigrations();

// sql::ApplyMigrations with PostgresMigrations(). Nodes starting together take turns (a session
// advisory lock), so each migration runs once.
Result<int> ApplyMigrations(PostgresConnection& conn);

}  // namespace orgd::store::postgres
