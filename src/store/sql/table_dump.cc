#include "store/sql/table_dump.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/base64.h"

namespace orgd::store::sql {
namespace {

constexpr std::array<std::string_view, 2> kWebhookSecrets = {"secret", "previous_secret"};

// Parents before children: every REFERENCES of migrations/ points up this list. A table added by a
// migration must be named here or in kUnexported (TableDumpTest checks the schema against both).
constexpr TableSpec kTables[] = {
    {"instance_settings", "name"},
    {"permissions", "id"},
    {"roles", "id"},
    {"role_permissions", "role_id, permission_id"},
    {"users", "id"},
    {"email_addresses", "id"},
    {"phone_numbers", "id"},
    {"images", "id", false, {}, 16},
    {"organizations", "id"},
    {"organization_memberships", "id"},
    {"organization_invitations", "id"},
    {"organization_domains", "id"},
    {"domain_invitations", "invitation_id"},
    {"organization_suggestions", "id"},
    {"membership_requests", "id"},
    {"webhook_endpoints", "id", false, kWebhookSecrets},
    {"event_streams", "stream"},
    {"outbox", "seq"},
    {"webhook_dispatch", "id"},
    {"webhook_messages", "id"},
    {"audit_log", "seq"},
    {"signing_keys", "kid", true},
    {"clients", "id", true},
    {"sessions", "id", true},
    {"sign_in_tokens", "id", true},
};

constexpr std::array<std::string_view, 2> kUnexported = {"jobs", "schema_migrations"};

Error Invalid(std::string detail) {
  return Error(ErrorCode::kInvalidArgument, "", "", "", "", std::move(detail));
}

bool IsPlainName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::span<const TableSpec> ExportedTables() { return kTables; }

std::span<const std::string_view> UnexportedTables() { return kUnexported; }

const TableSpec* FindExportedTable(std::string_view name) {
  for (const TableSpec& t : ExportedTables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Result<int64_t> ReadTable(Connection& conn, const TableSpec& table, bool include_secrets,
                          const RowSink& row) {
  const bool paged = table.order_by.find(',') == std::string_view::npos;
  const std::string first =
      paged ? fmt::format("SELECT * FROM {} ORDER BY {} LIMIT {}", table.name, table.order_by,
                          table.page_rows)
            : fmt::format("SELECT * FROM {} ORDER BY {}", table.name, table.order_by);
  const std::string next = fmt::format("SELECT * FROM {0} WHERE {1} > ?1 ORDER BY {1} LIMIT {2}",
                                       table.name, table.order_by, table.page_rows);
  int64_t rows = 0;
  std::vector<bool> withheld;
  boost::json::value last;  // the key of the page's last row
  for (bool more_pages = true; more_pages;) {
    auto stmt = conn.Prepare(last.is_null() ? first : next);
    if (!stmt) return stmt.error();
    if (last.is_int64()) {
      stmt->Bind(1, last.get_int64());
    } else if (last.is_string()) {
      stmt->Bind(1, std::string_view(last.get_string()));
    }
    int in_page = 0;
    for (;;) {
      auto more = stmt->Step();
      if (!more) return more.error();
      if (!*more) break;
      const int n = stmt->ColumnCount();
      if (withheld.empty()) {
        withheld.resize(n);
        for (int c = 0; c < n; ++c) {
          withheld[c] = !include_secrets &&
                        std::find(table.secret_columns.begin(), table.secret_columns.end(),
                                  stmt->ColumnName(c)) != table.secret_columns.end();
        }
      }
      boost::json::object out;
      out.reserve(n);
      for (int c = 0; c < n; ++c) {
        boost::json::value& v = out[stmt->ColumnName(c)];
        if (withheld[c]) continue;  // stays null
        switch (stmt->Kind(c)) {
          case ColumnKind::kNull:
            break;
          case ColumnKind::kInteger:
            v = stmt->Int(c);
            break;
          case ColumnKind::kText:
            v = stmt->TextView(c);
            break;
          case ColumnKind::kBlob:
            v = boost::json::object{{"base64", Base64Encode(stmt->Blob(c))}};
            break;
        }
      }
      if (paged) last = out.at(table.order_by);
      if (auto r = row(out); !r) return r.error();
      ++rows;
      ++in_page;
    }
    more_pages = paged && in_page == table.page_rows && (last.is_int64() || last.is_string());
  }
  return rows;
}

Result<std::vector<std::string>> TableColumns(Connection& conn, std::string_view table) {
  if (!IsPlainName(table)) return Invalid(fmt::format("\"{}\" is not a table name", table));
  auto stmt = conn.Prepare(fmt::format("SELECT * FROM {} WHERE 1 = 0", table));
  if (!stmt) return stmt.error();
  if (auto r = stmt->Step(); !r) return r.error();
  std::vector<std::string> columns;
  for (int c = 0; c < stmt->ColumnCount(); ++c) columns.emplace_back(stmt->ColumnName(c));
  return columns;
}

bool SameColumns(const boost::json::object& a, const boost::json::object& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
    if (i->key() != j->key()) return false;
  }
  return true;
}

Result<void> InsertRow(Connection& conn, const TableSpec& table,
                       const std::vector<std::string>& columns, const boost::json::object& row) {
  return InsertRows(conn, table, columns, std::span<const boost::json::object>(&row, 1));
}

Result<void> InsertRows(Connection& conn, const TableSpec& table,
                        const std::vector<std::string>& columns,
                        std::span<const boost::json::object> rows) {
  if (rows.empty()) return {};
  const boost::json::object& first = rows.front();
  if (first.empty()) return Invalid(fmt::format("a row of {} has no columns", table.name));
  std::string names;
  for (const auto& [key, value] : first) {
    if (std::find(columns.begin(), columns.end(), std::string_view(key)) == columns.end()) {
      return Invalid(fmt::format("{} has no column \"{}\"", table.name, std::string_view(key)));
    }
    if (!names.empty()) names += ", ";
    names += std::string_view(key);
  }
  std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ", table.name, names);
  int index = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!SameColumns(rows[r], first)) {
      return Invalid(fmt::format("rows of {} inserted together name other columns", table.name));
    }
    sql += r == 0 ? "(" : ", (";
    for (size_t c = 0; c < first.size(); ++c) {
      if (c > 0) sql += ", ";
      sql += fmt::format("?{}", ++index);
    }
    sql += ')';
  }
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  index = 0;
  for (const boost::json::object& row : rows) {
    for (const auto& [key, value] : row) {
      ++index;
      if (value.is_null()) {
        stmt->BindNull(index);
      } else if (value.is_int64()) {
        stmt->Bind(index, value.get_int64());
      } else if (value.is_uint64() && value.get_uint64() <= INT64_MAX) {
        stmt->Bind(index, static_cast<int64_t>(value.get_uint64()));
      } else if (value.is_string()) {
        stmt->Bind(index, std::string_view(value.get_string()));
      } else if (const auto* blob = value.if_object(); blob != nullptr && blob->size() == 1 &&
                                                       blob->contains("base64") &&
                                                       blob->at("base64").is_string()) {
        auto bytes = Base64Decode(blob->at("base64").get_string());
        if (!bytes) {
          return Invalid(
              fmt::format("{}.{} is not valid base64", table.name, std::string_view(key)));
        }
        stmt->BindBlob(index, *bytes);
      } else {
        return Invalid(fmt::format("{}.{} must be null, an integer, a string or {{\"base64\": …}}",
                                   table.name, std::string_view(key)));
      }
    }
  }
  return stmt->Run();
}

}  // namespace orgd::store::sql
