// Opens the store a --database URL names: SQLite (creating the file's directory, owner-only) or
// PostgreSQL. The only place above store/ that knows which stores exist.
#pragma once

#include <memory>
#include <string>

#include "common/metrics.h"
#include "common/result.h"
#include "server/config.h"
#include "store/database.h"

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

}  // namespace orgd::server
