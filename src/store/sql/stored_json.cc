#include "store/sql/stored_json.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <vector>

#include "common/json_finite.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

enum class Repair { kNone, kNonFinite, kNotJson };

// `text` parsed, with non-finite numbers nulled; `*repair` says what had to be done.
boost::json::value ParseRepairing(std::string_view text, Repair* repair) {
  *repair = Repair::kNone;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) {
    std::optional<std::string> repaired = NullNonFiniteTokens(text);
    if (!repaired) {
      *repair = Repair::kNotJson;
      return nullptr;
    }
    ec.clear();
    v = boost::json::parse(*repaired, ec);
    if (ec) {
      *repair = Repair::kNotJson;
      return nullptr;
    }
    *repair = Repair::kNonFinite;
  }
  if (NullNonFiniteNumbers(v) > 0) *repair = Repair::kNonFinite;
  return v;
}

struct JsonColumn {
  const char* table;
  const char* key;  // the row's identifying column
  const char* column;
};

constexpr JsonColumn kJsonColumns[] = {
    {"organizations", "id", "public_metadata"},
    {"organizations", "id", "private_metadata"},
    {"users", "id", "public_metadata"},
    {"users", "id", "private_metadata"},
    {"users", "id", "unsafe_metadata"},
    {"organization_memberships", "id", "public_metadata"},
    {"organization_memberships", "id", "private_metadata"},
    {"instance_settings", "name", "value"},
};

}  // namespace

boost::json::value ParseStoredJson(std::string_view text, std::string_view column,
                                   std::string_view row_id) {
  Repair repair;
  boost::json::value v = ParseRepairing(text, &repair);
  if (repair == Repair::kNonFinite) {
    spdlog::warn("store: {} of {} holds a non-finite number; read as null", column, row_id);
  } else if (repair == Repair::kNotJson) {
    spdlog::error("store: {} of {} is not JSON; read as null", column, row_id);
  }
  return v;
}

Result<std::string> StoredJsonText(const boost::json::value& value, std::string_view column) {
  std::optional<std::string> text = SerializeFinite(value);
  if (!text) {
    return store::Internal(std::string("refusing to store a non-finite number in ") +
                           std::string(column));
  }
  return std::move(*text);
}

Result<int> RepairStoredJson(Connection& conn) {
  int repaired = 0;
  for (const JsonColumn& c : kJsonColumns) {
    std::vector<std::pair<std::string, std::string>> suspects;  // key, text
    {
      auto stmt = conn.Prepare(
          fmt::format("SELECT {0}, {1} FROM {2} WHERE {1} LIKE '%Infinity%' OR {1} LIKE '%NaN%'",
                      c.key, c.column, c.table));
      if (!stmt) return stmt.error();
      for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        suspects.emplace_back(stmt->Text(0), stmt->Text(1));
      }
    }
    for (const auto& [key, text] : suspects) {
      Repair repair;
      boost::json::value v = ParseRepairing(text, &repair);
      if (repair == Repair::kNone) continue;  // the words were inside strings
      if (repair == Repair::kNotJson) {
        // Not ours to guess at: the text stays, and reads take it as null (ParseStoredJson).
        spdlog::error("store: {}.{} of {} is not JSON and cannot be repaired; left as is", c.table,
                      c.column, key);
        continue;
      }
      auto stmt = conn.Prepare(fmt::format("UPDATE {0} SET {1} = ?1 WHERE {2} = ?2 AND {1} = ?3",
                                           c.table, c.column, c.key));
      if (!stmt) return stmt.error();
      stmt->Bind(1, boost::json::serialize(v));  // finite: NullNonFiniteNumbers ran
      stmt->Bind(2, key);
      stmt->Bind(3, text);
      if (auto r = stmt->Run(); !r) return r.error();
      if (conn.Changes() == 0) continue;
      ++repaired;
      spdlog::warn("store: repaired {}.{} of {}: non-finite numbers are now null", c.table,
                   c.column, key);
    }
  }
  return repaired;
}

}  // namespace orgd::store::sql
