// Opens the store a --database URL names: SQLite (creating the file's directory, owner-only) or
// PostgreSQL. The only place above store/ that knows which stores exist.
#pragma once

#include <memory>
#include <string>

#include "common/metrics.h"
#include "common/result.h"
#include "server/config.h"
#include "store/database.h"
#include "store/sql/connection.h"

namespace orgd::server {

struct StoreOptions {
  int postgres_pool = 8;          // PostgreSQL connections
  size_t sqlite_max_batch = 512;  // SQLite writes per group commit
  // Where the store's transactions are timed (store/store_metrics.h); none when null.
  metrics::Registry* metrics = nullptr;
};

// Opens the store and applies pending migrations. Errors: the URL's (kInvalidArgument), or the
// store's (kUnavailable when it cannot be reached, a migration's error).
Result<std::unique_ptr<store::Database>> OpenStore(const std::string& url,
                                                   const StoreOptions& options = {});

// Applies pending migrations and closes the store. Returns how many were applied.
Result<int> Migrate(const std::string& url);

// One bare SQL connection to the store, for the tools that read or write it table by table
// (orgd export and import, server/export_command.h), with the statements that open a transaction
// there: a consistent read-only snapshot, or a write that excludes other writers.
struct StoreConnection {
  std::unique_ptr<store::sql::Connection> conn;
  std::string begin_snapshot;  // every later read sees the store as of one commit
  std::string begin_write;
  bool postgres = false;
  int schema_version = 0;    // the store's, from its migration history
  int newest_migration = 0;  // this orgd's
};

// Opens the store of `url` without migrating it: `read_only` opens a SQLite file read-only (it must
// exist) so that a serving store is never written; otherwise the file's directory is created
// owner-only. Errors: the URL's, the store's (kUnavailable).
Result<StoreConnection> OpenStoreConnection(const std::string& url, bool read_only);

}  // namespace orgd::server
