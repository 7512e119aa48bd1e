// SqlWhere: a WHERE clause built together with its parameters, so the text and the bind order
// cannot drift apart. Each '?' in a clause takes the next value given with it. Also the filters
// on user attributes that user lists and membership lists share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "store/sql/connection.h"
#include "store/user_store.h"

namespace orgd::store::sql {

class SqlWhere {
 public:
  using Value = std::variant<std::string, int64_t>;

  // Adds `clause` (ANDed with the others); its '?' placeholders take `values` in order.
  void Add(std::string clause, std::vector<Value> values = {});
  // " WHERE c1 AND c2 …", or "" without clauses.
  std::string Sql() const;
  // Binds every value, starting at parameter 1. Returns the next free parameter index.
  int Bind(Statement& statement) const;

 private:
  std::vector<std::string> clauses_;
  std::vector<Value> values_;
};

// Steps `stmt` (bound) to its end and reads each row with `read` (returning T or Result<T>).
template <class T, class Read>
Result<std::vector<T>> ReadAll(Statement& stmt, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) break;
    if constexpr (std::is_same_v<decltype(read(stmt)), T>) {
      out.push_back(read(stmt));
    } else {
      auto value = read(stmt);
      if (!value) return value.error();
      out.push_back(std::move(*value));
    }
  }
  return out;
}

// Runs `sql`, a SELECT ending in "LIMIT ? OFFSET ?", with `where`'s values then `limit` and
// `offset`, and reads each row with `read` (ReadAll).
template <class T, class Read>
Result<std::vector<T>> SelectPage(Connection& conn, const std::string& sql, const SqlWhere& where,
                                  int64_t limit, int64_t offset, Read read) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  int next = where.Bind(*stmt);
  stmt->Bind(next, limit);
  stmt->Bind(next + 1, offset);
  return ReadAll<T>(*stmt, read);
}

// `SELECT count(*)` + `from` (" FROM t WHERE …", built with `where`): the total_count of a page.
Result<int64_t> CountRows(Connection& conn, const std::string& from, const SqlWhere& where);

// `needle` as a LIKE pattern matching any text that contains it literally (with ESCAPE '\').
std::string ContainsPattern(std::string_view needle);

// A JSON array of strings, for `IN (SELECT value FROM json_each(?))`.
std::string JsonArray(const std::vector<std::string>& values);

// Adds the clauses of `filter` for the users table under alias `u`.
void AddUserFilter(const UserFilter& filter, std::string_view u, SqlWhere& where);

// The SQL expression that sorts users (alias `u`) by `field`.
std::string UserSortExpression(UserSortField field, std::string_view u);

}  // namespace orgd::store::sql
