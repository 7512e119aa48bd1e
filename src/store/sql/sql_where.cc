#include "store/sql/sql_where.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

namespace orgd::store::sql {

void SqlWhere::Add(std::string clause, std::vector<Value> values) {
  clauses_.push_back(std::move(clause));
  for (auto& v : values) values_.push_back(std::move(v));
}

std::string SqlWhere::Sql() const {
  std::string out;
  for (size_t i = 0; i < clauses_.size(); ++i) {
    out += i == 0 ? " WHERE " : " AND ";
    out += clauses_[i];
  }
  return out;
}

int SqlWhere::Bind(Statement& statement) const {
  int index = 1;
  for (const Value& v : values_) {
    std::visit([&](const auto& x) { statement.Bind(index, x); }, v);
    ++index;
  }
  return index;
}

std::string ContainsPattern(std::string_view needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

std::string JsonArray(const std::vector<std::string>& values) {
  return boost::json::serialize(boost::json::value_from(values));
}

void AddUserFilter(const UserFilter& f, std::string_view u, SqlWhere& where) {
  if (f.match_nothing) where.Add("FALSE");
  auto in_list = [&](std::string_view column, const std::vector<std::string>& values, bool negate) {
    if (values.empty()) return;
    where.Add(
        fmt::format("{}.{} {}IN (SELECT value FROM json_each(?))", u, column, negate ? "NOT " : ""),
        {JsonArray(values)});
  };
  in_list("id", f.include_user_ids, false);
  in_list("id", f.exclude_user_ids, true);
  in_list("username", f.usernames, false);
  in_list("external_id", f.include_external_ids, false);
  if (!f.exclude_external_ids.empty()) {
    where.Add(fmt::format("({0}.external_id IS NULL OR {0}.external_id NOT IN "
                          "(SELECT value FROM json_each(?)))",
                          u),
              {JsonArray(f.exclude_external_ids)});
  }
  if (!f.email_addresses.empty()) {
    where.Add(fmt::format("EXISTS (SELECT 1 FROM email_addresses e WHERE e.user_id = {}.id AND "
                          "e.email_address IN (SELECT value FROM json_each(?)))",
                          u),
              {JsonArray(f.email_addresses)});
  }
  if (!f.phone_numbers.empty()) {
    where.Add(fmt::format("EXISTS (SELECT 1 FROM phone_numbers p WHERE p.user_id = {}.id AND "
                          "p.phone_number IN (SELECT value FROM json_each(?)))",
                          u),
              {JsonArray(f.phone_numbers)});
  }
  const std::string email_like = fmt::format(
      "EXISTS (SELECT 1 FROM email_addresses e WHERE e.user_id = {}.id AND "
      "e.email_address LIKE ? ESCAPE '\\')",
      u);
  const std::string phone_like = fmt::format(
      "EXISTS (SELECT 1 FROM phone_numbers p WHERE p.user_id = {}.id AND "
      "p.phone_number LIKE ? ESCAPE '\\')",
      u);
  const std::string name_like = fmt::format(
      "({0}.first_name LIKE ? ESCAPE '\\' OR {0}.last_name LIKE ? ESCAPE '\\' OR "
      "(coalesce({0}.first_name, '') || ' ' || coalesce({0}.last_name, '')) LIKE ? ESCAPE '\\')",
      u);
  if (f.query) {
    std::string p = ContainsPattern(*f.query);
    where.Add(fmt::format("({0}.id = ? OR {0}.username LIKE ? ESCAPE '\\' OR {1} OR {2} OR {3})", u,
                          email_like, phone_like, name_like),
              {*f.query, p, p, p, p, p, p});
  }
  if (f.email_address_query) where.Add(email_like, {ContainsPattern(*f.email_address_query)});
  if (f.phone_number_query) where.Add(phone_like, {ContainsPattern(*f.phone_number_query)});
  if (f.username_query) {
    where.Add(fmt::format("{}.username LIKE ? ESCAPE '\\'", u),
              {ContainsPattern(*f.username_query)});
  }
  if (f.name_query) {
    std::string p = ContainsPattern(*f.name_query);
    where.Add(name_like, {p, p, p});
  }
}

std::string UserSortExpression(UserSortField field, std::string_view u) {
  switch (field) {
    case UserSortField::kCreatedAt:
      return fmt::format("{}.created_at", u);
    case UserSortField::kUpdatedAt:
      return fmt::format("{}.updated_at", u);
    case UserSortField::kEmailAddress:
      return fmt::format(
          "(SELECT email_address FROM email_addresses WHERE id = {}.primary_email_address_id)", u);
    case UserSortField::kPhoneNumber:
      return fmt::format(
          "(SELECT phone_number FROM phone_numbers WHERE id = {}.primary_phone_number_id)", u);
    case UserSortField::kFirstName:
      return fmt::format("{}.first_name COLLATE NOCASE", u);
    case UserSortField::kLastName:
      return fmt::format("{}.last_name COLLATE NOCASE", u);
    case UserSortField::kUsername:
      return fmt::format("{}.username", u);
    case UserSortField::kNone:
      return "NULL";
  }
  return "NULL";
}

Result<int64_t> CountRows(Connection& conn, const std::string& from, const SqlWhere& where) {
  auto count = conn.Prepare("SELECT count(*)" + from);
  if (!count) return count.error();
  where.Bind(*count);
  auto row = count->Step();
  if (!row) return row.error();
  return *row ? count->Int(0) : 0;
}

}  // namespace orgd::store::sql
