// Every store a test can run on, by name ("sqlite": a new file in the test's temp dir;
// "postgres": a new database on the test PostgreSQL, tests/testing/postgres.h). Tests written
// against store::Database run on each with INSTANTIATE_TEST_SUITE_P(…, kStoreKinds, …).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "store/database.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"
#include "testing/postgres.h"

namespace orgd::testing {

inline const auto kStoreKinds = ::testing::Values(std::string("sqlite"), std::string("postgres"));

// Opens an empty, migrated store of `kind`; `dir` holds the SQLite file. Throws on failure.
inline std::unique_ptr<store::Database> OpenTestStore(const std::string& kind,
                                                      const std::string& dir) {
  if (kind == "postgres") {
    store::postgres::PostgresOptions options;
    options.url = CreateTestDatabase();
    options.pool_size = 2;
    auto db = store::postgres::PostgresDatabase::Open(options);
    if (!db) throw std::runtime_error(db.error().detail);
    return std::move(*db);
  }
  store::sqlite::SqliteOptions options;
  options.path = dir + "/orgd.db";
  auto db = store::sqlite::SqliteDatabase::Open(options);
  if (!db) throw std::runtime_error(db.error().detail);
  return std::move(*db);
}

}  // namespace orgd::testing
