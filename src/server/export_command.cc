#include "server/export_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/clock.h"
#include "server/open_store.h"
#include "server/private_file.h"
#include "service/webhook_service.h"
#include "store/sql/table_dump.h"

namespace orgd::server {
namespace {

namespace json = boost::json;
using store::sql::Connection;
using store::sql::TableSpec;

constexpr int64_t kFormat = 1;

Error Refused(ErrorCode code, std::string detail) {
  return Error(code, "", "", "", "", std::move(detail));
}

double SecondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

// The store must be at this orgd's schema: the stream's columns are its tables'.
Result<void> CheckSchema(const StoreConnection& store, std::string_view what) {
  if (store.schema_version == store.newest_migration) return {};
  if (store.schema_version > store.newest_migration) {
    return Refused(ErrorCode::kFailedPrecondition,
                   fmt::format("the {} store's schema is at version {}, newer than this orgd's "
                               "({}): use the orgd that serves it",
                               what, store.schema_version, store.newest_migration));
  }
  return Refused(ErrorCode::kFailedPrecondition,
                 fmt::format("the {} store's schema is at version {}, this orgd's at {}: run "
                             "`orgd migrate --database …` with this orgd first",
                             what, store.schema_version, store.newest_migration));
}

// A file written line by line through stdio's buffer.
class LineWriter {
 public:
  explicit LineWriter(int fd) : file_(fdopen(fd, "w")) {
    if (file_ == nullptr) ::close(fd);
  }
  ~LineWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  bool ok() const { return file_ != nullptr && !failed_; }
  void Write(const json::value& line) {
    if (!ok()) return;
    std::string text = json::serialize(line);
    text += '\n';
    failed_ = std::fwrite(text.data(), 1, text.size(), file_) != text.size();
    bytes_ += static_cast<int64_t>(text.size());
  }
  // Flushes and closes; false when anything could not be written.
  bool Close() {
    if (file_ == nullptr) return false;
    const bool flushed = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    return !failed_ && flushed && closed;
  }
  int64_t bytes() const { return bytes_; }

 private:
  FILE* file_;
  bool failed_ = false;
  int64_t bytes_ = 0;
};

// --- import ---

// Tables a store holds rows in before anything is done with it: what migrations seed, the signing
// key (and its audit entry) and the --webhook-endpoint an orgd's first start adds. Each condition picks out a row that
// was not put there that way.
struct Seeded {
  std::string_view table;
  std::string_view changed;  // SQL condition: a row that is not as seeded
};
constexpr Seeded kSeeded[] = {
    // (A first start adds `secret:instance_id`, the instance_id of events: the export's replaces
    // it.)
    {"instance_settings", "version <> 0 OR (value <> '{}' AND name NOT LIKE 'secret:%')"},
    {"permissions", "created_at <> 0 OR updated_at <> 0"},
    {"roles", "created_at <> 0 OR updated_at <> 0"},
    {"role_permissions", "role_id NOT IN (SELECT id FROM roles WHERE created_at = 0)"},
    {"webhook_dispatch", "last_position <> 0"},
    {"webhook_endpoints", "is_static = 0"},
    {"signing_keys", "1 = 0"},
    // The entry of that first key. (The export's log replaces it: the history is the source's.)
    {"audit_log",
     "NOT (action = 'signing_key.created' AND actor_kind = 'system' AND actor_id = 'first start')"},
};

const Seeded* FindSeeded(std::string_view table) {
  for (const Seeded& s : kSeeded) {
    if (s.table == table) return &s;
  }
  return nullptr;
}

Result<int64_t> Count(Connection& conn, const std::string& sql) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row ? stmt->Int(0) : 0;
}

// Refuses a store that holds anything of its own: an import never merges.
Result<void> CheckEmpty(Connection& conn) {
  for (const TableSpec& table : store::sql::ExportedTables()) {
    const Seeded* seeded = FindSeeded(table.name);
    auto n = Count(conn, seeded == nullptr ? fmt::format("SELECT count(*) FROM {}", table.name)
                                           : fmt::format("SELECT count(*) FROM {} WHERE {}",
                                                         table.name, seeded->changed));
    if (!n) return n.error();
    if (*n > 0) {
      return Refused(ErrorCode::kFailedPrecondition,
                     fmt::format("the target store is not empty ({} holds {} row{}): orgd import "
                                 "fills a new store, it does not merge",
                                 table.name, *n, *n == 1 ? "" : "s"));
    }
  }
  return {};
}

// The stream's header line, checked against this orgd.
Result<void> ReadHeader(const json::value& line, int schema_version) {
  const json::object* header = line.if_object();
  if (header == nullptr || !header->contains("orgd_export")) {
    return Refused(ErrorCode::kInvalidArgument,
                   "line 1 is not the header of an orgd export ({\"orgd_export\": 1, …})");
  }
  const json::value& format = header->at("orgd_export");
  if (!format.is_int64() || format.get_int64() != kFormat) {
    return Refused(ErrorCode::kInvalidArgument,
                   fmt::format("the export's format is {}; this orgd reads format {}",
                               json::serialize(format), kFormat));
  }
  const json::value* schema = header->if_contains("schema_version");
  if (schema == nullptr || !schema->is_int64() || schema->get_int64() != schema_version) {
    return Refused(
        ErrorCode::kFailedPrecondition,
        fmt::format("the export was taken at schema version {}, this orgd's is {}: "
                    "import it with the orgd version that exported it, then upgrade",
                    schema == nullptr ? "(none)" : json::serialize(*schema), schema_version));
  }
  return {};
}

// PostgreSQL's sequences do not follow rows inserted with their ids; set them past the highest.
Result<void> ResetSequences(Connection& conn) {
  for (std::string_view table : {"outbox", "audit_log"}) {
    if (auto r = conn.Exec(fmt::format(
            "SELECT setval(pg_get_serial_sequence('{0}', 'seq'), coalesce(max(seq), 0) + 1, "
            "false) FROM {0}",
            table));
        !r) {
      return r.error();
    }
  }
  return {};
}

class Importer final : public RowImporter {
 public:
  Importer(Connection& conn, int schema_version, TransferReport& report)
      : conn_(conn), schema_version_(schema_version), report_(report) {}

  int schema_version() const override { return schema_version_; }

  Result<void> Add(std::string_view table_name, const json::object& row) override {
    const TableSpec* table = store::sql::FindExportedTable(table_name);
    if (table == nullptr) {
      return Refused(ErrorCode::kInvalidArgument,
                     fmt::format("\"{}\" is not a table orgd exports", table_name));
    }
    // Rows wait to be inserted many at a time; a parent's are in before a child's first arrives.
    if (!pending_.empty() && (pending_table_ != table || pending_.size() >= BatchRows(row) ||
                              !store::sql::SameColumns(pending_.front(), row))) {
      if (auto r = Flush(); !r) return r;
    }
    auto columns = Columns(*table);
    if (!columns) return columns.error();
    const json::object* values = &row;
    json::object filled;
    if (table->name == "webhook_endpoints" && NullOrMissing(*values, "secret")) {
      // Exported without its secret: a new one (the operator hands it to the receiver).
      filled = *values;
      filled["secret"] = service::NewWebhookSecret();
      filled["previous_secret"] = nullptr;
      filled["previous_secret_expires_at"] = nullptr;
      values = &filled;
      ++report_.new_webhook_secrets;
    }
    pending_table_ = table;
    pending_columns_ = *columns;
    pending_.push_back(*values);
    ++report_.rows[std::string(table->name)];
    ++report_.total_rows;
    return {};
  }

  // Inserts the rows still waiting.
  Result<void> Flush() {
    if (pending_.empty()) return {};
    auto r = store::sql::InsertRows(conn_, *pending_table_, *pending_columns_, pending_);
    const size_t n = pending_.size();
    pending_.clear();
    if (!r) {
      Error e = r.error();
      e.detail = fmt::format("{} (one of the {} rows of {} up to here)", e.detail, n,
                             pending_table_->name);
      return e;
    }
    return {};
  }

 private:
  // Rows per INSERT: a few hundred, within both stores' limits on parameters.
  static size_t BatchRows(const json::object& row) {
    return std::clamp<size_t>(8000 / std::max<size_t>(row.size(), 1), 1, 500);
  }

  static bool NullOrMissing(const json::object& row, std::string_view column) {
    const json::value* v = row.if_contains(column);
    return v == nullptr || v->is_null();
  }

  // The table's columns; on the first row of a seeded table, the seeded rows give way to the
  // stream's (its settings, roles, permissions and dispatcher position; its signing keys, when it
  // carries them — otherwise the target's own stay).
  Result<const std::vector<std::string>*> Columns(const TableSpec& table) {
    auto found = columns_.find(table.name);
    if (found != columns_.end()) return &found->second;
    if (FindSeeded(table.name) != nullptr) {
      if (auto r = conn_.Exec(fmt::format("DELETE FROM {}", table.name)); !r) return r.error();
    }
    auto columns = store::sql::TableColumns(conn_, table.name);
    if (!columns) return columns.error();
    return &columns_.emplace(table.name, std::move(*columns)).first->second;
  }

  Connection& conn_;
  const int schema_version_;
  TransferReport& report_;
  const TableSpec* pending_table_ = nullptr;
  const std::vector<std::string>* pending_columns_ = nullptr;
  std::vector<json::object> pending_;
  std::map<std::string_view, std::vector<std::string>> columns_;
};

// Feeds the stream's rows to `importer`.
Result<void> ImportLines(std::istream& in, RowImporter& importer, int64_t& bytes) {
  std::string text;
  int64_t number = 0;
  int64_t rows_seen = 0;
  bool ended = false;
  while (std::getline(in, text)) {
    ++number;
    bytes += static_cast<int64_t>(text.size()) + 1;
    auto at_line = [number](Error e) {
      e.detail = fmt::format("line {}: {}", number, e.detail);
      return e;
    };
    if (ended) return at_line(Refused(ErrorCode::kInvalidArgument, "a line after the last"));
    boost::system::error_code ec;
    json::value line = json::parse(text, ec);
    if (ec) {
      return at_line(Refused(ErrorCode::kInvalidArgument, "not JSON: " + ec.message()));
    }
    if (number == 1) {
      if (auto r = ReadHeader(line, importer.schema_version()); !r) return at_line(r.error());
      continue;
    }
    const json::object* object = line.if_object();
    if (object == nullptr) {
      return at_line(Refused(ErrorCode::kInvalidArgument, "not a JSON object"));
    }
    if (const json::value* end = object->if_contains("end")) {
      const json::value* rows = end->is_object() ? end->get_object().if_contains("rows") : nullptr;
      if (rows == nullptr || !rows->is_int64() || rows->get_int64() != rows_seen) {
        return at_line(
            Refused(ErrorCode::kInvalidArgument,
                    fmt::format("the last line counts {} rows; the stream has {}",
                                rows == nullptr ? "no" : json::serialize(*rows), rows_seen)));
      }
      ended = true;
      continue;
    }
    const json::value* table = object->if_contains("table");
    const json::value* row = object->if_contains("row");
    if (table == nullptr || !table->is_string() || row == nullptr || !row->is_object()) {
      return at_line(
          Refused(ErrorCode::kInvalidArgument,
                  "expected {\"table\": …, \"row\": {…}} or the last line {\"end\": …}"));
    }
    if (auto r = importer.Add(table->get_string(), row->get_object()); !r) {
      return at_line(r.error());
    }
    ++rows_seen;
  }
  if (in.bad()) return Refused(ErrorCode::kUnavailable, "the export could not be read");
  if (number == 0) return Refused(ErrorCode::kInvalidArgument, "the export is empty");
  if (!ended) {
    return Refused(ErrorCode::kInvalidArgument,
                   fmt::format("the export ends at line {} without its last line "
                               "({{\"end\": …}}): it was cut short",
                               number));
  }
  return {};
}

}  // namespace

Result<TransferReport> ExportStore(const ExportOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto store = OpenStoreConnection(options.database_url, /*read_only=*/true);
  if (!store) return store.error();
  if (auto r = CheckSchema(*store, "source"); !r) return r.error();
  auto fd = CreatePrivateFile(options.out_path);
  if (!fd) return fd.error();

  TransferReport report;
  auto run = [&]() -> Result<void> {
    LineWriter out(*fd);
    if (!out.ok()) return Refused(ErrorCode::kUnavailable, "cannot write " + options.out_path);
    if (auto r = store->conn->Exec(store->begin_snapshot); !r) return r.error();
    SystemClock clock;
    out.Write(json::object{{"orgd_export", kFormat},
                           {"orgd_version", ORGD_VERSION},
                           {"schema_version", store->schema_version},
                           {"exported_at", clock.NowMillis()},
                           {"credentials", options.include_secrets}});
    for (const TableSpec& table : store::sql::ExportedTables()) {
      if (table.credentials && !options.include_secrets) continue;
      json::object line{{"table", table.name}, {"row", nullptr}};
      auto rows = store::sql::ReadTable(*store->conn, table, options.include_secrets,
                                        [&](const json::object& row) -> Result<void> {
                                          line["row"] = row;
                                          out.Write(line);
                                          if (!out.ok())
                                            return Refused(ErrorCode::kUnavailable,
                                                           "cannot write " + options.out_path);
                                          return {};
                                        });
      if (!rows) return rows.error();
      report.rows[std::string(table.name)] = *rows;
      report.total_rows += *rows;
    }
    (void)store->conn->Exec("COMMIT");
    out.Write(json::object{{"end", json::object{{"rows", report.total_rows}}}});
    report.bytes = out.bytes();
    if (!out.Close()) return Refused(ErrorCode::kUnavailable, "cannot write " + options.out_path);
    return {};
  };
  if (auto r = run(); !r) {
    std::error_code ec;
    std::filesystem::remove(options.out_path, ec);
    return r.error();
  }
  SyncFileAndDirectory(options.out_path);
  report.seconds = SecondsSince(started);
  return report;
}

Result<TransferReport> ImportRows(const std::string& database_url,
                                  const std::function<Result<void>(RowImporter&)>& rows) {
  const auto started = std::chrono::steady_clock::now();
  if (auto r = Migrate(database_url); !r) return r.error();
  auto store = OpenStoreConnection(database_url, /*read_only=*/false);
  if (!store) return store.error();
  if (auto r = CheckSchema(*store, "target"); !r) return r.error();

  TransferReport report;
  Connection& conn = *store->conn;
  if (auto r = conn.Exec(store->begin_write); !r) return r.error();
  auto run = [&]() -> Result<void> {
    if (auto r = CheckEmpty(conn); !r) return r;
    Importer importer(conn, store->schema_version, report);
    if (auto r = rows(importer); !r) return r;
    if (auto r = importer.Flush(); !r) return r;
    // The dispatcher's single row, should the rows not carry it.
    if (auto r = conn.Exec("INSERT INTO webhook_dispatch (id, last_position) VALUES (1, 0) "
                           "ON CONFLICT (id) DO NOTHING");
        !r) {
      return r;
    }
    // Member counts are kept by the writes that add and remove members: made exact here, whatever
    // the source said.
    if (auto r =
            conn.Exec("UPDATE organizations SET members_count = (SELECT count(*) FROM "
                      "organization_memberships m WHERE m.organization_id = organizations.id)");
        !r) {
      return r;
    }
    if (store->postgres) return ResetSequences(conn);
    return {};
  };
  if (auto r = run(); !r) {
    (void)conn.Exec("ROLLBACK");
    return r.error();
  }
  if (auto r = conn.Exec("COMMIT"); !r) return r.error();
  report.seconds = SecondsSince(started);
  return report;
}

Result<TransferReport> ImportStore(const std::string& database_url, const std::string& in_path) {
  std::ifstream in(in_path, std::ios::binary);
  if (!in) return Refused(ErrorCode::kInvalidArgument, "cannot read " + in_path);
  int64_t bytes = 0;
  auto report = ImportRows(database_url,
                           [&](RowImporter& importer) { return ImportLines(in, importer, bytes); });
  if (report) report->bytes = bytes;
  return report;
}

}  // namespace orgd::server
