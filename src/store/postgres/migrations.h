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

// Brings the schema up to the newest migration, each in its own transaction, recorded in
// `schema_migrations`. Nodes starting together take turns (a session advisory lock), so each
// migration runs once. Returns the number applied; kFailedPrecondition when a newer orgd
// migrated the database; the migration's error when one fails (nothing of it is kept).
Result<int> ApplyMigrations(PostgresConnection& conn);

}  // namespace orgd::store::postgres
