#include "store/sql/sql_role_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/serialize.hpp>
#include <unordered_map>

#include "store/sql/constraints.h"
#include "store/sql/sql_where.h"
#include "store/sql/stored_json.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

constexpr const char* kPermissionColumns =
    "p.id, p.key, p.name, p.description, p.type, p.created_at, p.updated_at";
constexpr const char* kRoleColumns =
    "r.id, r.key, r.name, r.description, r.created_at, r.updated_at";

domain::Permission ReadPermission(const Statement& row, int first = 0) {
  domain::Permission p;
  p.id = row.Text(first);
  p.key = row.Text(first + 1);
  p.name = row.Text(first + 2);
  p.description = row.Text(first + 3);
  p.type = row.Text(first + 4);
  p.created_at = row.Int(first + 5);
  p.updated_at = row.Int(first + 6);
  return p;
}

domain::Role ReadRole(const Statement& row) {
  domain::Role r;
  r.id = row.Text(0);
  r.key = row.Text(1);
  r.name = row.Text(2);
  r.description = row.OptionalText(3);
  r.created_at = row.Int(4);
  r.updated_at = row.Int(5);
  return r;
}

// The list shape shared by roles and permissions: WHERE for the query, ORDER BY, LIMIT/OFFSET.
struct CatalogSql {
  SqlWhere where;
  std::string order;
};

CatalogSql Catalog(const CatalogListQuery& q, std::string_view alias) {
  CatalogSql out;
  if (q.query) {
    std::string pattern = ContainsPattern(*q.query);
    out.where.Add(fmt::format("({0}.id = ? OR {0}.name LIKE ? ESCAPE '\\' OR {0}.key LIKE ? "
                              "ESCAPE '\\')",
                              alias),
                  {*q.query, pattern, pattern});
  }
  const char* dir = q.direction == SortDirection::kAscending ? "ASC" : "DESC";
  std::string field = q.sort == CatalogSortField::kName
                          ? fmt::format("{}.name COLLATE NOCASE", alias)
                      : q.sort == CatalogSortField::kKey ? fmt::format("{}.key", alias)
                                                         : fmt::format("{}.created_at", alias);
  out.order = fmt::format(" ORDER BY {} {}, {}.id {}", field, dir, alias, dir);
  return out;
}

Result<void> Grant(Connection& conn, std::string_view role_id, std::string_view permission_id) {
  auto exists = conn.Prepare("SELECT 1 FROM permissions WHERE id = ?1");
  if (!exists) return exists.error();
  exists->Bind(1, permission_id);
  auto row = exists->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("permission");
  auto stmt = conn.Prepare("INSERT INTO role_permissions (role_id, permission_id) VALUES (?1, ?2)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, role_id);
  stmt->Bind(2, permission_id);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  return {};
}

Result<void> RequireChange(Connection& conn, std::string_view what) {
  if (conn.Changes() == 0) return store::NotFound(what);
  return {};
}

}  // namespace

Result<void> BumpRolesVersion(Connection& conn) {
  auto stmt =
      conn.Prepare("UPDATE instance_settings SET version = version + 1 WHERE name = 'roles'");
  if (!stmt) return stmt.error();
  return stmt->Run();
}

// ---- permissions ----

Result<domain::Permission> SqlPermissionStore::Get(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kPermissionColumns +
                            " FROM permissions p WHERE p.id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("permission");
  return ReadPermission(*stmt);
}

Result<Page<domain::Permission>> SqlPermissionStore::List(const CatalogListQuery& q) {
  CatalogSql sql = Catalog(q, "p");
  auto rows = SelectPage<domain::Permission>(
      conn_,
      std::string("SELECT ") + kPermissionColumns + " FROM permissions p" + sql.where.Sql() +
          sql.order + " LIMIT ? OFFSET ?",
      sql.where, q.limit, q.offset, [](const Statement& row) { return ReadPermission(row); });
  if (!rows) return rows.error();
  auto total = CountRows(conn_, " FROM permissions p" + sql.where.Sql(), sql.where);
  if (!total) return total.error();
  return Page<domain::Permission>{std::move(*rows), *total};
}

Result<void> SqlPermissionStore::Insert(const domain::Permission& p) {
  auto stmt = conn_.Prepare(
      "INSERT INTO permissions (id, key, name, description, type, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, p.id);
  stmt->Bind(2, p.key);
  stmt->Bind(3, p.name);
  stmt->Bind(4, p.description);
  stmt->Bind(5, p.type);
  stmt->Bind(6, p.created_at);
  stmt->Bind(7, p.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  return BumpRolesVersion(conn_);
}

Result<void> SqlPermissionStore::Update(const domain::Permission& p) {
  auto stmt = conn_.Prepare(
      "UPDATE permissions SET key = ?2, name = ?3, description = ?4, updated_at = ?5 WHERE id = "
      "?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, p.id);
  stmt->Bind(2, p.key);
  stmt->Bind(3, p.name);
  stmt->Bind(4, p.description);
  stmt->Bind(5, p.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  if (auto r = RequireChange(conn_, "permission"); !r) return r;
  return BumpRolesVersion(conn_);
}

Result<void> SqlPermissionStore::Delete(std::string_view id) {
  auto stmt = conn_.Prepare("DELETE FROM permissions WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  if (auto r = stmt->Run(); !r) return r;
  if (auto r = RequireChange(conn_, "permission"); !r) return r;
  return BumpRolesVersion(conn_);
}

// ---- roles ----

Result<void> SqlRoleStore::LoadPermissions(std::vector<domain::Role>& roles) {
  if (roles.empty()) return {};
  // One query for the whole page: the grants of every role in it, in key order.
  std::vector<std::string> ids;
  std::unordered_map<std::string, domain::Role*> by_id;
  for (auto& role : roles) {
    ids.push_back(role.id);
    by_id.emplace(role.id, &role);
  }
  // The ids drive the join (as in SqlUserStore::GetMany): `rp.role_id IN (SELECT … json_each)`
  // and ORDER BY built a temporary index and a sorter per call. Keys are compared bytewise, as
  // SQLite's BINARY and PostgreSQL's "C" collation order them.
  auto stmt = conn_.Prepare(std::string("SELECT rp.role_id, ") + kPermissionColumns +
                            " FROM json_each(?1) j JOIN role_permissions rp ON rp.role_id = "
                            "j.value JOIN permissions p ON p.id = rp.permission_id");
  if (!stmt) return stmt.error();
  stmt->Bind(1, JsonArray(ids));
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    by_id.at(stmt->Text(0))->permissions.push_back(ReadPermission(*stmt, 1));
  }
  for (auto& role : roles) {
    std::sort(
        role.permissions.begin(), role.permissions.end(),
        [](const domain::Permission& a, const domain::Permission& b) { return a.key < b.key; });
  }
  return {};
}

Result<domain::Role> SqlRoleStore::GetWhere(std::string_view column, std::string_view value) {
  std::vector<domain::Role> roles;
  {
    auto stmt = conn_.Prepare(std::string("SELECT ") + kRoleColumns + " FROM roles r WHERE r." +
                              std::string(column) + " = ?1");
    if (!stmt) return stmt.error();
    stmt->Bind(1, value);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return store::NotFound("role");
    roles.push_back(ReadRole(*stmt));
  }
  if (auto r = LoadPermissions(roles); !r) return r.error();
  return std::move(roles[0]);
}

Result<domain::Role> SqlRoleStore::Get(std::string_view id) { return GetWhere("id", id); }

Result<domain::Role> SqlRoleStore::GetByKey(std::string_view key) { return GetWhere("key", key); }

Result<Page<domain::Role>> SqlRoleStore::List(const CatalogListQuery& q) {
  CatalogSql sql = Catalog(q, "r");
  auto rows = SelectPage<domain::Role>(conn_,
                                       std::string("SELECT ") + kRoleColumns + " FROM roles r" +
                                           sql.where.Sql() + sql.order + " LIMIT ? OFFSET ?",
                                       sql.where, q.limit, q.offset, ReadRole);
  if (!rows) return rows.error();
  if (auto r = LoadPermissions(*rows); !r) return r.error();
  auto total = CountRows(conn_, " FROM roles r" + sql.where.Sql(), sql.where);
  if (!total) return total.error();
  return Page<domain::Role>{std::move(*rows), *total};
}

Result<std::vector<domain::Role>> SqlRoleStore::All() {
  std::vector<domain::Role> roles;
  {
    auto stmt =
        conn_.Prepare(std::string("SELECT ") + kRoleColumns + " FROM roles r ORDER BY r.id");
    if (!stmt) return stmt.error();
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      roles.push_back(ReadRole(*stmt));
    }
  }
  if (auto r = LoadPermissions(roles); !r) return r.error();
  return roles;
}

Result<int64_t> SqlRoleStore::Count() {
  return CountRows(conn_, " FROM roles", SqlWhere{});
}

Result<int64_t> SqlRoleStore::CountHolders(std::string_view key) {
  SqlWhere where;
  where.Add("role = ?", {std::string(key)});
  return CountRows(conn_, " FROM organization_memberships" + where.Sql(), where);
}

Result<void> SqlRoleStore::Insert(const domain::Role& role) {
  auto stmt = conn_.Prepare(
      "INSERT INTO roles (id, key, name, description, created_at, updated_at) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, role.id);
  stmt->Bind(2, role.key);
  stmt->Bind(3, role.name);
  stmt->Bind(4, role.description);
  stmt->Bind(5, role.created_at);
  stmt->Bind(6, role.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  for (const auto& p : role.permissions) {
    auto r = Grant(conn_, role.id, p.id);
    if (!r && r.error().store_reason != StoreReason::kUniqueViolation) return r;  // listed twice
  }
  return BumpRolesVersion(conn_);
}

Result<void> SqlRoleStore::Update(const domain::Role& role) {
  auto stmt = conn_.Prepare(
      "UPDATE roles SET key = ?2, name = ?3, description = ?4, updated_at = ?5 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, role.id);
  stmt->Bind(2, role.key);
  stmt->Bind(3, role.name);
  stmt->Bind(4, role.description);
  stmt->Bind(5, role.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  if (auto r = RequireChange(conn_, "role"); !r) return r;
  return BumpRolesVersion(conn_);
}

Result<void> SqlRoleStore::SetPermissions(std::string_view role_id,
                                          const std::vector<std::string>& permission_ids) {
  auto clear = conn_.Prepare("DELETE FROM role_permissions WHERE role_id = ?1");
  if (!clear) return clear.error();
  clear->Bind(1, role_id);
  if (auto r = clear->Run(); !r) return r;
  for (const auto& id : permission_ids) {
    auto r = Grant(conn_, role_id, id);
    if (!r && r.error().store_reason != StoreReason::kUniqueViolation) return r;
  }
  return BumpRolesVersion(conn_);
}

Result<void> SqlRoleStore::AddPermission(std::string_view role_id, std::string_view permission_id) {
  if (auto r = Grant(conn_, role_id, permission_id); !r) return r;
  return BumpRolesVersion(conn_);
}

Result<void> SqlRoleStore::RemovePermission(std::string_view role_id,
                                            std::string_view permission_id) {
  auto stmt =
      conn_.Prepare("DELETE FROM role_permissions WHERE role_id = ?1 AND permission_id = ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, role_id);
  stmt->Bind(2, permission_id);
  if (auto r = stmt->Run(); !r) return r;
  if (auto r = RequireChange(conn_, "role permission"); !r) return r;
  return BumpRolesVersion(conn_);
}

Result<void> SqlRoleStore::Delete(std::string_view id) {
  auto stmt = conn_.Prepare("DELETE FROM roles WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  if (auto r = stmt->Run(); !r) {
    // The memberships' foreign key (ON DELETE RESTRICT) refuses to orphan members.
    if (r.error().store_reason == StoreReason::kForeignKey) {
      return store::InUse(constraint::kRoleHeldByMembers);
    }
    return r;
  }
  if (auto r = RequireChange(conn_, "role"); !r) return r;
  return BumpRolesVersion(conn_);
}

// ---- settings ----

Result<domain::OrganizationSettings> SqlSettingsStore::Organization() {
  auto stmt =
      conn_.Prepare("SELECT value FROM instance_settings WHERE name = 'organization_settings'");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return domain::OrganizationSettings{};
  return domain::OrganizationSettingsFromJson(
      ParseStoredJson(stmt->TextView(0), "instance_settings.value", "organization_settings"));
}

Result<int64_t> SqlSettingsStore::RolesVersion() {
  auto stmt = conn_.Prepare("SELECT version FROM instance_settings WHERE name = 'roles'");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row ? stmt->Int(0) : 0;
}

Result<void> SqlSettingsStore::PutOrganization(const domain::OrganizationSettings& s) {
  auto stmt =
      conn_.Prepare("UPDATE instance_settings SET value = ?1 WHERE name = 'organization_settings'");
  if (!stmt) return stmt.error();
  auto text = StoredJsonText(domain::ToJson(s), "instance_settings.value");
  if (!text) return text.error();
  stmt->Bind(1, *text);
  return stmt->Run();
}

Result<std::string> SqlSettingsStore::Secret(std::string_view name, std::string_view if_absent) {
  // Kept as JSON ({"secret": …}) like every other value of the table.
  const std::string key = "secret:" + std::string(name);
  auto put = conn_.Prepare(
      "INSERT INTO instance_settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING");
  if (!put) return put.error();
  put->Bind(1, key);
  put->Bind(2, boost::json::serialize(boost::json::object{{"secret", if_absent}}));
  if (auto r = put->Run(); !r) return r.error();
  auto get = conn_.Prepare("SELECT value FROM instance_settings WHERE name = ?1");
  if (!get) return get.error();
  get->Bind(1, key);
  auto row = get->Step();
  if (!row) return row.error();
  if (!*row) return store::Internal("instance secret vanished: " + key);
  boost::json::value stored = ParseStoredJson(get->TextView(0), "instance_settings.value", key);
  if (!stored.is_object() || !stored.get_object().contains("secret") ||
      !stored.get_object().at("secret").is_string()) {
    return store::Internal("instance secret is not readable: " + key);
  }
  return std::string(stored.get_object().at("secret").get_string());
}

}  // namespace orgd::store::sql
