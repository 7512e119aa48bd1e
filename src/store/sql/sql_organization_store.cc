#include "store/sql/sql_organization_store.h"

#include <boost/json/serialize.hpp>

#include "store/sql/constraints.h"
#include "store/sql/sql_where.h"
#include "store/sql/stored_json.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

constexpr const char* kColumns =
    "id, name, slug, image_id, max_allowed_memberships, admin_delete_enabled, public_metadata, "
    "private_metadata, created_by, role_set_key, members_count, created_at, updated_at";

Result<domain::Organization> ReadRow(const Statement& row) {
  domain::Organization org;
  org.id = row.Text(0);
  org.name = row.Text(1);
  org.slug = row.Text(2);
  org.image_id = row.OptionalText(3);
  org.max_allowed_memberships = row.Int(4);
  org.admin_delete_enabled = row.Int(5) != 0;
  org.public_metadata =
      ParseStoredJson(row.TextView(6), "organizations.public_metadata", row.TextView(0));
  org.private_metadata =
      ParseStoredJson(row.TextView(7), "organizations.private_metadata", row.TextView(0));
  org.created_by = row.OptionalText(8);
  org.role_set_key = row.OptionalText(9);
  org.members_count = row.Int(10);
  org.created_at = row.Int(11);
  org.updated_at = row.Int(12);
  return org;
}

std::string OrderBy(std::string_view expr, std::string_view dir) {
  std::string out = " ORDER BY ";
  out.append(expr).append(" ").append(dir).append(", id ").append(dir);
  return out;
}

// Binds ?1–?11, the columns Insert and Update both write: id, name, slug, image_id,
// max_allowed_memberships, admin_delete_enabled, public_metadata, private_metadata, role_set_key,
// created_at, updated_at.
// kInternal (nothing bound) when metadata holds a non-finite number (StoredJsonText).
Result<void> BindColumns(Statement& s, const domain::Organization& org) {
  auto public_metadata = StoredJsonText(org.public_metadata, "organizations.public_metadata");
  if (!public_metadata) return public_metadata.error();
  auto private_metadata = StoredJsonText(org.private_metadata, "organizations.private_metadata");
  if (!private_metadata) return private_metadata.error();
  s.Bind(1, org.id);
  s.Bind(2, org.name);
  s.Bind(3, org.slug);
  s.Bind(4, org.image_id);
  s.Bind(5, org.max_allowed_memberships);
  s.Bind(6, int64_t{org.admin_delete_enabled ? 1 : 0});
  s.Bind(7, *public_metadata);
  s.Bind(8, *private_metadata);
  s.Bind(9, org.role_set_key);
  s.Bind(10, org.created_at);
  s.Bind(11, org.updated_at);
  return {};
}

}  // namespace

Result<domain::Organization> SqlOrganizationStore::Get(std::string_view id_or_slug) {
  // An ID never looks like a slug (slugs have no underscore), so one lookup by either is exact.
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM organizations WHERE id = ?1 UNION ALL SELECT " + kColumns +
                            " FROM organizations WHERE slug = ?1 LIMIT 1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id_or_slug);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("organization");
  return ReadRow(*stmt);
}

Result<Page<domain::Organization>> SqlOrganizationStore::List(const OrganizationListQuery& q) {
  // The WHERE clause names only the filters in use, so each shape is one cached statement and
  // the planner sees no `?1 IS NULL OR …` terms. ID lists travel as one JSON array parameter.
  std::string where = " WHERE TRUE";
  if (q.query) {
    where += " AND (id = ?1 OR name LIKE ?2 ESCAPE '\\' OR slug LIKE ?2 ESCAPE '\\')";
  }
  if (!q.include_ids.empty()) where += " AND id IN (SELECT value FROM json_each(?3))";
  if (!q.exclude_ids.empty()) where += " AND id NOT IN (SELECT value FROM json_each(?4))";
  if (!q.include_member_ids.empty()) {
    where +=
        " AND id IN (SELECT organization_id FROM organization_memberships WHERE user_id IN "
        "(SELECT value FROM json_each(?7)))";
  }
  if (!q.exclude_member_ids.empty()) {
    where +=
        " AND id NOT IN (SELECT organization_id FROM organization_memberships WHERE user_id IN "
        "(SELECT value FROM json_each(?8)))";
  }

  const char* dir = q.direction == SortDirection::kAscending ? "ASC" : "DESC";
  std::string order;
  switch (q.sort) {
    case OrganizationSortField::kCreatedAt:
      order = OrderBy("created_at", dir);
      break;
    case OrganizationSortField::kName:
      order = OrderBy("name COLLATE NOCASE", dir);
      break;
    case OrganizationSortField::kMembersCount:
      order = OrderBy("members_count", dir);
      break;
  }

  auto bind = [&](Statement& s) {
    if (q.query) {
      s.Bind(1, *q.query);
      s.Bind(2, ContainsPattern(*q.query));
    }
    if (!q.include_ids.empty()) s.Bind(3, JsonArray(q.include_ids));
    if (!q.exclude_ids.empty()) s.Bind(4, JsonArray(q.exclude_ids));
    if (!q.include_member_ids.empty()) s.Bind(7, JsonArray(q.include_member_ids));
    if (!q.exclude_member_ids.empty()) s.Bind(8, JsonArray(q.exclude_member_ids));
  };

  Page<domain::Organization> page;
  {
    auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns + " FROM organizations" + where +
                              order + " LIMIT ?5 OFFSET ?6");
    if (!stmt) return stmt.error();
    bind(*stmt);
    stmt->Bind(5, q.limit);
    stmt->Bind(6, q.offset);
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      auto org = ReadRow(*stmt);
      if (!org) return org.error();
      page.data.push_back(std::move(*org));
    }
  }
  {
    auto stmt = conn_.Prepare("SELECT count(*) FROM organizations" + where);
    if (!stmt) return stmt.error();
    bind(*stmt);
    auto row = stmt->Step();
    if (!row) return row.error();
    page.total_count = stmt->Int(0);
  }
  return page;
}

Result<void> SqlOrganizationStore::Insert(const domain::Organization& org) {
  auto stmt = conn_.Prepare(
      "INSERT INTO organizations (id, name, slug, image_id, max_allowed_memberships, "
      "admin_delete_enabled, public_metadata, private_metadata, role_set_key, created_at, "
      "updated_at, created_by, members_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11, ?12, 0) ON CONFLICT (slug) DO NOTHING");
  if (!stmt) return stmt.error();
  if (auto r = BindColumns(*stmt, org); !r) return r;
  stmt->Bind(12, org.created_by);
  // A taken slug is answered without a failed statement, so the caller may try another slug in
  // the same transaction (PostgreSQL aborts a transaction at its first failed statement).
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  if (conn_.Changes() == 0) {
    return store::UniqueViolation(constraint::kOrganizationSlug);
  }
  return {};
}

Result<void> SqlOrganizationStore::Update(const domain::Organization& org) {
  auto stmt = conn_.Prepare(
      "UPDATE organizations SET name = ?2, slug = ?3, image_id = ?4, max_allowed_memberships = ?5, "
      "admin_delete_enabled = ?6, public_metadata = ?7, private_metadata = ?8, role_set_key = ?9, "
      "created_at = ?10, updated_at = ?11 WHERE id = ?1");
  if (!stmt) return stmt.error();
  if (auto r = BindColumns(*stmt, org); !r) return r;
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  if (conn_.Changes() == 0) return store::NotFound("organization");
  return {};
}

Result<void> SqlOrganizationStore::Delete(std::string_view id) {
  auto stmt = conn_.Prepare("DELETE FROM organizations WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("organization");
  auto images = conn_.Prepare("DELETE FROM images WHERE owner_id = ?1");
  if (!images) return images.error();
  images->Bind(1, id);
  return images->Run();
}

}  // namespace orgd::store::sql
