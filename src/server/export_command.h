// `orgd export --out FILE` and `orgd import FILE`: everything in a store, as one JSONL stream, and
// back into an empty store with every ID and timestamp kept. The way to move between SQLite and
// PostgreSQL, between machines, or out of orgd altogether.
//
// The stream (docs/DEPLOYING.md, "Moving data"), one JSON object per line:
//   {"orgd_export": 1, "orgd_version": "…", "schema_version": N, "exported_at": ms,
//    "credentials": bool}
//   {"table": "organizations", "row": {"id": "org_…", "name": "…", …}}   one per row
//   {"end": {"rows": N}}                                                   the last line
// Tables come parents first (store/sql/table_dump.h); a blob (a logo) is {"base64": "…"}. The
// export is read in one transaction — a snapshot of one commit, taken while orgd serves (SQLite:
// a read-only connection under WAL; PostgreSQL: REPEATABLE READ) — so it is consistent. It holds
// private metadata and email addresses: the file is created 0600. Credentials (signing keys,
// sessions, clients, sign-in tokens, webhook signing secrets) are left out unless asked for; an
// import without them gives webhook endpoints new secrets and leaves every user signed out.
//
// The import runs in one write transaction: it refuses a store that holds anything but what its
// migrations and a first start put there, a stream of another schema version, and a stream
// without its last line (truncated); on any refusal nothing is written.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::server {

struct TransferReport {
  std::map<std::string, int64_t> rows;  // by table
  int64_t total_rows = 0;
  int64_t bytes = 0;                // of the stream
  int64_t new_webhook_secrets = 0;  // import: endpoints given a new secret
  double seconds = 0;
};

struct ExportOptions {
  std::string database_url;
  std::string out_path;  // created new, 0600
  bool include_secrets = false;
};

// Writes the store of `database_url` to `out_path`. Refuses an existing file (kAlreadyExists) and
// a store whose schema is not this orgd's (kFailedPrecondition: migrate it, or upgrade orgd). A
// failed export removes the partial file.
Result<TransferReport> ExportStore(const ExportOptions& options);

// Reads the stream at `in_path` into the store of `database_url`, migrating it first.
Result<TransferReport> ImportStore(const std::string& database_url, const std::string& in_path);

// Where an import's rows go, one at a time, parents before children.
class RowImporter {
 public:
  virtual ~RowImporter() = default;
  // Inserts `row` into `table` (an exported table, store/sql/table_dump.h).
  virtual Result<void> Add(std::string_view table, const boost::json::object& row) = 0;
  // The target store's schema version: the rows' columns are its.
  virtual int schema_version() const = 0;
};

// The import's frame, for any source of rows (a stream, a Backend API: server/bapi_import.h):
// migrates the store of `database_url`, opens one write transaction, refuses a store that is not
// empty, lets `rows` add every row, then commits. An error from `rows` rolls everything back.
Result<TransferReport> ImportRows(const std::string& database_url,
                                  const std::function<Result<void>(RowImporter&)>& rows);

}  // namespace orgd::server
