#include "store/postgres/dialect.h"

#include <cctype>

namespace orgd::store::postgres {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

TranslatedSql TranslateToPostgres(std::string_view sql) {
  TranslatedSql out;
  out.text.reserve(sql.size() + 16);
  out.parameter_of.push_back(0);
  int highest_sqlite_index = 0;
  bool json_argument = false;  // the next placeholder is json_each's argument

  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      // A literal or quoted identifier, copied verbatim (a doubled quote stays inside).
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      out.text.append(sql.substr(i, end + 1 - i));
      i = end + 1;
      continue;
    }
    if (c == '?') {
      size_t end = i + 1;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])) != 0) ++end;
      int sqlite_index = end > i + 1 ? std::stoi(std::string(sql.substr(i + 1, end - i - 1)))
                                     : highest_sqlite_index + 1;
      if (sqlite_index > highest_sqlite_index) highest_sqlite_index = sqlite_index;
      if (static_cast<int>(out.parameter_of.size()) <= sqlite_index) {
        out.parameter_of.resize(sqlite_index + 1, 0);
      }
      int& pg = out.parameter_of[sqlite_index];
      if (pg == 0) pg = ++out.parameter_count;
      out.text += "$" + std::to_string(pg);
      if (json_argument) {
        out.text += "::json";
        json_argument = false;
      }
      i = end;
      continue;
    }
    if (IsWordChar(c)) {
      size_t end = i;
      while (end < sql.size() && IsWordChar(sql[end])) ++end;
      std::string_view word = sql.substr(i, end - i);
      const bool starts_word = i == 0 || !IsWordChar(sql[i - 1]);
      if (starts_word && EqualsIgnoreCase(word, "LIKE")) {
        out.text += "ILIKE";
      } else if (starts_word && EqualsIgnoreCase(word, "ASC")) {
        out.text += "ASC NULLS FIRST";
      } else if (starts_word && EqualsIgnoreCase(word, "DESC")) {
        out.text += "DESC NULLS LAST";
      } else if (starts_word && EqualsIgnoreCase(word, "json_each")) {
        out.text += "json_array_elements_text";
        json_argument = true;
      } else {
        out.text.append(word);
      }
      i = end;
      continue;
    }
    out.text.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace orgd::store::postgres
