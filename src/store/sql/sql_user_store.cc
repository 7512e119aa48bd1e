#include "store/sql/sql_user_store.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <unordered_map>

#include "store/sql/constraints.h"
#include "store/sql/sql_where.h"
#include "store/sql/stored_json.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

constexpr const char* kColumns =
    "u.id, u.external_id, u.username, u.first_name, u.last_name, u.image_id, "
    "u.primary_email_address_id, u.primary_phone_number_id, u.public_metadata, "
    "u.private_metadata, u.unsafe_metadata, u.create_organization_enabled, "
    "u.create_organizations_limit, u.delete_self_enabled, u.created_at, u.updated_at";

Result<domain::User> ReadRow(const Statement& row) {
  domain::User user;
  user.id = row.Text(0);
  user.external_id = row.OptionalText(1);
  user.username = row.OptionalText(2);
  user.first_name = row.OptionalText(3);
  user.last_name = row.OptionalText(4);
  user.image_id = row.OptionalText(5);
  user.primary_email_address_id = row.OptionalText(6);
  user.primary_phone_number_id = row.OptionalText(7);
  user.public_metadata = ParseStoredJson(row.TextView(8), "users.public_metadata", user.id);
  user.private_metadata = ParseStoredJson(row.TextView(9), "users.private_metadata", user.id);
  user.unsafe_metadata = ParseStoredJson(row.TextView(10), "users.unsafe_metadata", user.id);
  user.create_organization_enabled = row.Int(11) != 0;
  user.create_organizations_limit = row.OptionalInt(12);
  user.delete_self_enabled = row.Int(13) != 0;
  user.created_at = row.Int(14);
  user.updated_at = row.Int(15);
  return user;
}

// kInternal (nothing bound) when metadata holds a non-finite number (StoredJsonText).
Result<void> BindUserColumns(Statement& s, const domain::User& u) {
  auto public_metadata = StoredJsonText(u.public_metadata, "users.public_metadata");
  if (!public_metadata) return public_metadata.error();
  auto private_metadata = StoredJsonText(u.private_metadata, "users.private_metadata");
  if (!private_metadata) return private_metadata.error();
  auto unsafe_metadata = StoredJsonText(u.unsafe_metadata, "users.unsafe_metadata");
  if (!unsafe_metadata) return unsafe_metadata.error();
  s.Bind(1, u.id);
  s.Bind(2, u.external_id);
  s.Bind(3, u.username);
  s.Bind(4, u.first_name);
  s.Bind(5, u.last_name);
  s.Bind(6, u.image_id);
  s.Bind(7, u.primary_email_address_id);
  s.Bind(8, u.primary_phone_number_id);
  s.Bind(9, *public_metadata);
  s.Bind(10, *private_metadata);
  s.Bind(11, *unsafe_metadata);
  s.Bind(12, int64_t{u.create_organization_enabled ? 1 : 0});
  s.Bind(13, u.create_organizations_limit);
  s.Bind(14, int64_t{u.delete_self_enabled ? 1 : 0});
  s.Bind(15, u.created_at);
  s.Bind(16, u.updated_at);
  return {};
}

SqlWhere Where(const UserListQuery& q) {
  SqlWhere where;
  AddUserFilter(q.filter, "u", where);
  if (!q.include_organization_ids.empty()) {
    where.Add(
        "u.id IN (SELECT user_id FROM organization_memberships WHERE organization_id IN "
        "(SELECT value FROM json_each(?)))",
        {JsonArray(q.include_organization_ids)});
  }
  if (!q.exclude_organization_ids.empty()) {
    where.Add(
        "u.id NOT IN (SELECT user_id FROM organization_memberships WHERE organization_id IN "
        "(SELECT value FROM json_each(?)))",
        {JsonArray(q.exclude_organization_ids)});
  }
  if (q.created_at_before) where.Add("u.created_at < ?", {*q.created_at_before});
  if (q.created_at_after) where.Add("u.created_at > ?", {*q.created_at_after});
  return where;
}

}  // namespace

Result<void> SqlUserStore::LoadIdentifiers(domain::User& user) {
  for (auto [table, column, list] :
       {std::tuple{"email_addresses", "email_address", &user.email_addresses},
        std::tuple{"phone_numbers", "phone_number", &user.phone_numbers}}) {
    auto stmt =
        conn_.Prepare(std::string("SELECT id, ") + column + ", created_at, updated_at FROM " +
                      table + " WHERE user_id = ?1 ORDER BY position");
    if (!stmt) return stmt.error();
    stmt->Bind(1, user.id);
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      list->push_back({stmt->Text(0), stmt->Text(1), stmt->Int(2), stmt->Int(3)});
    }
  }
  return {};
}

Result<domain::User> SqlUserStore::Get(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns + " FROM users u WHERE u.id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("user");
  auto user = ReadRow(*stmt);
  if (!user) return user.error();
  if (auto r = LoadIdentifiers(*user); !r) return r.error();
  return user;
}

Result<std::vector<domain::User>> SqlUserStore::GetMany(const std::vector<std::string>& ids) {
  std::vector<domain::User> users;
  if (ids.empty()) return users;
  // The ids drive the join (`FROM json_each(?) JOIN …`): one index lookup per id and nothing
  // else. `WHERE id IN (SELECT value FROM json_each(?))` built a temporary index of the ids for
  // every statement, and with ORDER BY a sorter too: a fifth of a member page's time on SQLite.
  // Each id once, or the join would load a user (and its addresses) once per repetition.
  std::vector<std::string> unique_ids = ids;
  std::sort(unique_ids.begin(), unique_ids.end());
  unique_ids.erase(std::unique(unique_ids.begin(), unique_ids.end()), unique_ids.end());
  const std::string list = JsonArray(unique_ids);
  {
    auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                              " FROM json_each(?1) j JOIN users u ON u.id = j.value");
    if (!stmt) return stmt.error();
    stmt->Bind(1, list);
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      auto user = ReadRow(*stmt);
      if (!user) return user.error();
      users.push_back(std::move(*user));
    }
  }
  std::unordered_map<std::string_view, domain::User*> by_id;
  for (auto& user : users) by_id.emplace(user.id, &user);
  struct Owned {
    domain::User* owner;
    int64_t position;
    domain::Identifier item;
  };
  std::vector<Owned> rows;
  for (auto [table, column, field] :
       {std::tuple{"email_addresses", "email_address", &domain::User::email_addresses},
        std::tuple{"phone_numbers", "phone_number", &domain::User::phone_numbers}}) {
    auto stmt = conn_.Prepare(std::string("SELECT x.user_id, x.position, x.id, x.") + column +
                              ", x.created_at, x.updated_at FROM json_each(?1) j JOIN " + table +
                              " x ON x.user_id = j.value");
    if (!stmt) return stmt.error();
    stmt->Bind(1, list);
    rows.clear();
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      auto owner = by_id.find(stmt->TextView(0));
      if (owner == by_id.end()) continue;
      rows.push_back({owner->second,
                      stmt->Int(1),
                      {stmt->Text(2), stmt->Text(3), stmt->Int(4), stmt->Int(5)}});
    }
    // Each user's addresses in position order, sorted here rather than by the database.
    std::sort(rows.begin(), rows.end(), [](const Owned& a, const Owned& b) {
      return a.owner != b.owner ? a.owner < b.owner : a.position < b.position;
    });
    for (auto& r : rows) (r.owner->*field).push_back(std::move(r.item));
  }
  return users;
}

Result<std::vector<domain::User>> SqlUserStore::List(const UserListQuery& q) {
  SqlWhere where = Where(q);
  const char* dir = q.direction == SortDirection::kAscending ? "ASC" : "DESC";
  auto users = SelectPage<domain::User>(
      conn_,
      std::string("SELECT ") + kColumns + " FROM users u" + where.Sql() + " ORDER BY " +
          UserSortExpression(q.sort, "u") + " " + dir + ", u.id " + dir + " LIMIT ? OFFSET ?",
      where, q.limit, q.offset, ReadRow);
  if (!users) return users.error();
  // After the page is read: the identifier queries reuse this connection's statements.
  for (auto& user : *users) {
    if (auto r = LoadIdentifiers(user); !r) return r.error();
  }
  return users;
}

Result<int64_t> SqlUserStore::Count(const UserListQuery& q) {
  SqlWhere where = Where(q);
  auto stmt = conn_.Prepare("SELECT count(*) FROM users u" + where.Sql());
  if (!stmt) return stmt.error();
  where.Bind(*stmt);
  auto row = stmt->Step();
  if (!row) return row.error();
  return stmt->Int(0);
}

Result<void> SqlUserStore::Insert(const domain::User& user) {
  auto stmt = conn_.Prepare(
      "INSERT INTO users (id, external_id, username, first_name, last_name, image_id, "
      "primary_email_address_id, primary_phone_number_id, public_metadata, private_metadata, "
      "unsafe_metadata, create_organization_enabled, create_organizations_limit, "
      "delete_self_enabled, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  if (!stmt) return stmt.error();
  if (auto r = BindUserColumns(*stmt, user); !r) return r;
  if (auto r = stmt->Run(); !r) {
    return Canonical(r.error());
  }
  for (auto [table, column, list] :
       {std::tuple{"email_addresses", "email_address", &user.email_addresses},
        std::tuple{"phone_numbers", "phone_number", &user.phone_numbers}}) {
    auto insert =
        conn_.Prepare(std::string("INSERT INTO ") + table + " (id, user_id, " + column +
                      ", position, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert) return insert.error();
    int64_t position = 0;
    for (const auto& identifier : *list) {
      insert->Reset();
      insert->Bind(1, identifier.id);
      insert->Bind(2, user.id);
      insert->Bind(3, identifier.value);
      insert->Bind(4, position++);
      insert->Bind(5, identifier.created_at);
      insert->Bind(6, identifier.updated_at);
      if (auto r = insert->Run(); !r) {
        return Canonical(r.error());
      }
    }
  }
  return {};
}

Result<void> SqlUserStore::Update(const domain::User& user) {
  auto stmt = conn_.Prepare(
      "UPDATE users SET external_id = ?2, username = ?3, first_name = ?4, last_name = ?5, "
      "image_id = ?6, primary_email_address_id = ?7, primary_phone_number_id = ?8, "
      "public_metadata = ?9, private_metadata = ?10, unsafe_metadata = ?11, "
      "create_organization_enabled = ?12, create_organizations_limit = ?13, "
      "delete_self_enabled = ?14, created_at = ?15, updated_at = ?16 WHERE id = ?1");
  if (!stmt) return stmt.error();
  if (auto r = BindUserColumns(*stmt, user); !r) return r;
  if (auto r = stmt->Run(); !r) {
    return Canonical(r.error());
  }
  if (conn_.Changes() == 0) return store::NotFound("user");
  return {};
}

Result<void> SqlUserStore::Delete(std::string_view id) {
  // Uncount the memberships first; the foreign keys then remove them with the user.
  auto uncount = conn_.Prepare(
      "UPDATE organizations SET members_count = members_count - 1 WHERE id IN "
      "(SELECT organization_id FROM organization_memberships WHERE user_id = ?1)");
  if (!uncount) return uncount.error();
  uncount->Bind(1, id);
  if (auto r = uncount->Run(); !r) return r;
  auto stmt = conn_.Prepare("DELETE FROM users WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("user");
  auto images = conn_.Prepare("DELETE FROM images WHERE owner_id = ?1");
  if (!images) return images.error();
  images->Bind(1, id);
  return images->Run();
}

}  // namespace orgd::store::sql
