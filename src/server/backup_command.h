// `orgd backup OUT_FILE`: a consistent copy of a SQLite store, taken while orgd serves.
//
// SQLite's online backup API copies the database inside one read transaction: under WAL that
// transaction sees the store as of one commit and never blocks the writer, so every write
// acknowledged before the backup began is in the copy and none that committed later is. The copy
// is a complete database (the WAL folded in); `orgd serve --database sqlite:OUT_FILE` opens it.
// PostgreSQL has its own tools (pg_dump; docs/DEPLOYING.md): a postgres:// store is refused.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace orgd::server {

struct BackupReport {
  std::string source;  // the database file copied
  int64_t pages = 0;   // database pages in the copy
  int64_t bytes = 0;   // size of the copy
  double seconds = 0;
};

// Copies the SQLite store of `database_url` to `out_path`, a new file created with mode 0600 (it
// holds signing keys and webhook secrets). Refuses an existing `out_path` (kAlreadyExists), a
// postgres:// URL and a store that is not there (kInvalidArgument); a failed copy removes the
// partial file.
Result<BackupReport> BackupSqlite(const std::string& database_url, const std::string& out_path);

}  // namespace orgd::server
