// The store as rows of tables: what `orgd export` writes and `orgd import` reads back
// (server/export_command.h). Rows are generic, named columns holding integers, text or blobs, so
// one dump reads the same from either store and moves between them; the catalogue says which
// tables are exported, in an order in which every foreign key points at a row already inserted,
// and which of them hold credentials (exported only when asked for).
//
// A row is a JSON object, column name → null, integer, string, or {"base64": "…"} for a blob.
//
// Thread safety: none beyond the Connection's (one thread at a time).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

struct TableSpec {
  std::string_view name;
  std::string_view order_by;  // the primary key's columns: the dump's row order
  // Holds credentials as a whole (signing keys, sessions, clients, sign-in tokens): exported only
  // with them.
  bool credentials = false;
  // Columns written as null unless credentials are exported (a webhook endpoint's secrets); the
  // importer gives such a row new ones.
  std::span<const std::string_view> secret_columns = {};
  // Rows read at a time (a table with a one-column key is read in pages of its key, so that no
  // driver holds a whole table in memory): fewer where one row can be large (a logo, 10 MB).
  int page_rows = 2000;
};

// Every exported table, parents before children.
std::span<const TableSpec> ExportedTables();
// The tables of the schema that are not exported, each the serving instance's own state: its job
// queue and the migration history (the importer's own migrations stand in).
std::span<const std::string_view> UnexportedTables();
// The exported table called `name`, or null.
const TableSpec* FindExportedTable(std::string_view name);

// Calls `row` with every row of `table`, in `order_by` order; secret columns are null unless
// `include_secrets`. Returns how many rows there were. Run it inside one transaction: the pages
// of one table are then one snapshot.
using RowSink = std::function<Result<void>(const boost::json::object& row)>;
Result<int64_t> ReadTable(Connection& conn, const TableSpec& table, bool include_secrets,
                          const RowSink& row);

// The columns `table` has in this store, in its order.
Result<std::vector<std::string>> TableColumns(Connection& conn, std::string_view table);

// Inserts `row` into `table`, whose columns are `columns` (TableColumns). A column the table does
// not have, or a value that is not null, an integer, a string or a {"base64"} blob, is refused
// with kInvalidArgument and a sentence naming it; the store's own refusals (a duplicate key, a
// foreign key to nothing, a NOT NULL column left out) come back as its errors.
Result<void> InsertRow(Connection& conn, const TableSpec& table,
                       const std::vector<std::string>& columns, const boost::json::object& row);

// InsertRow for several rows with the same columns in the same order (SameColumns), in one
// statement: one round trip to PostgreSQL instead of one per row.
Result<void> InsertRows(Connection& conn, const TableSpec& table,
                        const std::vector<std::string>& columns,
                        std::span<const boost::json::object> rows);

// True when `a` and `b` name the same columns in the same order.
bool SameColumns(const boost::json::object& a, const boost::json::object& b);

}  // namespace orgd::store::sql
