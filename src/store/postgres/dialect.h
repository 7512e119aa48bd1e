// Translation of the stores' SQL (written once, in the subset store/sql/connection.h describes)
// into PostgreSQL's dialect. Runs once per distinct statement per connection, when it is
// prepared.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace orgd::store::postgres {

struct TranslatedSql {
  std::string text;  // PostgreSQL SQL with $1…$n placeholders
  // For each SQLite-style parameter index i (1-based; entry 0 unused), the PostgreSQL parameter
  // it became, or 0 when the statement never uses it (its bound value is then dropped, so that
  // every $k PostgreSQL sees has a type it can infer).
  std::vector<int> parameter_of;
  int parameter_count = 0;  // n
};

// Rewrites, outside string literals and quoted identifiers:
//   `?N` and `?` → `$k`, numbered densely in order of first use;
//   LIKE → ILIKE (SQLite's LIKE ignores ASCII case);
//   ASC → ASC NULLS FIRST, DESC → DESC NULLS LAST (SQLite orders NULL lowest; the PostgreSQL
//   indexes are declared NULLS FIRST to match, so both directions still scan an index);
//   json_each(?) → json_array_elements_text($k::json) (a JSON array parameter as rows of
//   `value`).
// `COLLATE NOCASE` needs no rewrite: the PostgreSQL schema defines a collation named nocase.
TranslatedSql TranslateToPostgres(std::string_view sql);

}  // namespace orgd::store::postgres
