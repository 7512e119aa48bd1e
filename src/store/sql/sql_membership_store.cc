#include "store/sql/sql_membership_store.h"

#include <boost/json/serialize.hpp>

#include "store/sql/constraints.h"
#include "store/sql/seats.h"
#include "store/sql/sql_where.h"
#include "store/sql/stored_json.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

constexpr const char* kColumns =
    "m.id, m.organization_id, m.user_id, m.role, m.public_metadata, m.private_metadata, "
    "m.created_at, m.updated_at";

Result<domain::Membership> ReadRow(const Statement& row) {
  domain::Membership m;
  m.id = row.Text(0);
  m.organization_id = row.Text(1);
  m.user_id = row.Text(2);
  m.role = row.Text(3);
  m.public_metadata =
      ParseStoredJson(row.TextView(4), "organization_memberships.public_metadata", m.id);
  m.private_metadata =
      ParseStoredJson(row.TextView(5), "organization_memberships.private_metadata", m.id);
  m.created_at = row.Int(6);
  m.updated_at = row.Int(7);
  return m;
}

std::string SortExpression(MembershipSortField field) {
  switch (field) {
    case MembershipSortField::kCreatedAt:
      return "m.created_at";
    case MembershipSortField::kEmailAddress:
      return UserSortExpression(UserSortField::kEmailAddress, "u");
    case MembershipSortField::kPhoneNumber:
      return UserSortExpression(UserSortField::kPhoneNumber, "u");
    case MembershipSortField::kFirstName:
      return UserSortExpression(UserSortField::kFirstName, "u");
    case MembershipSortField::kLastName:
      return UserSortExpression(UserSortField::kLastName, "u");
    case MembershipSortField::kUsername:
      return UserSortExpression(UserSortField::kUsername, "u");
  }
  return "m.created_at";
}

Result<void> AdjustCount(Connection& conn, std::string_view organization_id, int64_t delta) {
  auto stmt =
      conn.Prepare("UPDATE organizations SET members_count = members_count + ?2 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, organization_id);
  stmt->Bind(2, delta);
  return stmt->Run();
}

}  // namespace

Result<domain::Membership> SqlMembershipStore::Get(std::string_view organization_id,
                                                   std::string_view user_id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM organization_memberships m WHERE m.organization_id = ?1 AND "
                            "m.user_id = ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, organization_id);
  stmt->Bind(2, user_id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("organization membership");
  return ReadRow(*stmt);
}

Result<Page<domain::Membership>> SqlMembershipStore::List(const MembershipListQuery& q) {
  SqlWhere where;
  if (q.organization_id) where.Add("m.organization_id = ?", {*q.organization_id});
  if (q.user_id) where.Add("m.user_id = ?", {*q.user_id});
  AddUserFilter(q.members, "u", where);
  if (!q.roles.empty()) {
    where.Add("m.role IN (SELECT value FROM json_each(?))", {JsonArray(q.roles)});
  }
  if (q.created_at_before) where.Add("m.created_at < ?", {*q.created_at_before});
  if (q.created_at_after) where.Add("m.created_at > ?", {*q.created_at_after});
  // The users table is joined only when a filter or the order needs it, so the common listing
  // (one organization, newest first) reads the page from the index alone.
  const bool join_users = !q.members.Empty() || q.sort != MembershipSortField::kCreatedAt;
  const std::string from = std::string(" FROM organization_memberships m") +
                           (join_users ? " JOIN users u ON u.id = m.user_id" : "") + where.Sql();
  const char* dir = q.direction == SortDirection::kAscending ? "ASC" : "DESC";

  Page<domain::Membership> page;
  auto rows = SelectPage<domain::Membership>(conn_,
                                             std::string("SELECT ") + kColumns + from +
                                                 " ORDER BY " + SortExpression(q.sort) + " " + dir +
                                                 ", m.id " + dir + " LIMIT ? OFFSET ?",
                                             where, q.limit, q.offset, ReadRow);
  if (!rows) return rows.error();
  page.data = std::move(*rows);
  // All members of one organization: the count the store keeps, not a count of rows.
  const bool whole_organization = q.organization_id && !q.user_id && q.members.Empty() &&
                                  q.roles.empty() && !q.created_at_before && !q.created_at_after;
  auto stmt = whole_organization
                  ? conn_.Prepare("SELECT members_count FROM organizations WHERE id = ?")
                  : conn_.Prepare("SELECT count(*)" + from);
  if (!stmt) return stmt.error();
  if (whole_organization) {
    stmt->Bind(1, *q.organization_id);
  } else {
    where.Bind(*stmt);
  }
  auto row = stmt->Step();
  if (!row) return row.error();
  page.total_count = *row ? stmt->Int(0) : 0;
  return page;
}

Result<int64_t> SqlMembershipStore::CountWithRoles(std::string_view organization_id,
                                                   const std::vector<std::string>& roles) {
  auto stmt = conn_.Prepare(
      "SELECT count(*) FROM organization_memberships WHERE organization_id = ?1 AND role IN "
      "(SELECT value FROM json_each(?2))");
  if (!stmt) return stmt.error();
  stmt->Bind(1, organization_id);
  stmt->Bind(2, JsonArray(roles));
  auto row = stmt->Step();
  if (!row) return row.error();
  return stmt->Int(0);
}

Result<void> SqlMembershipStore::Insert(const domain::Membership& m, SeatCount seats) {
  // The row first, so "already a member" wins over "full"; then the count, only while under the
  // limit (the check and the count are one statement). A refused count leaves the row to the
  // transaction's rollback, as every failed write does.
  auto stmt = conn_.Prepare(
      "INSERT INTO organization_memberships (id, organization_id, user_id, role, public_metadata, "
      "private_metadata, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!stmt) return stmt.error();
  auto public_metadata =
      StoredJsonText(m.public_metadata, "organization_memberships.public_metadata");
  if (!public_metadata) return public_metadata.error();
  auto private_metadata =
      StoredJsonText(m.private_metadata, "organization_memberships.private_metadata");
  if (!private_metadata) return private_metadata.error();
  stmt->Bind(1, m.id);
  stmt->Bind(2, m.organization_id);
  stmt->Bind(3, m.user_id);
  stmt->Bind(4, m.role);
  stmt->Bind(5, *public_metadata);
  stmt->Bind(6, *private_metadata);
  stmt->Bind(7, m.created_at);
  stmt->Bind(8, m.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  // Members plus the pending invitations that have not expired fill the limit (BEHAVIOR.md §1.8).
  // An invitation being accepted is no longer pending by now (service/invitation_service.cc).
  auto count =
      seats == SeatCount::kMembersOnly
          ? conn_.Prepare(
                "UPDATE organizations SET members_count = members_count + 1 WHERE id = ?1 AND "
                "(max_allowed_memberships = 0 OR members_count < max_allowed_memberships)")
          : conn_.Prepare(std::string("UPDATE organizations SET members_count = members_count + 1 "
                                      "WHERE id = ?1 AND ") +
                          kHasFreeSeat);
  if (!count) return count.error();
  count->Bind(1, m.organization_id);
  if (seats != SeatCount::kMembersOnly) count->Bind(2, m.created_at);
  if (auto r = count->Run(); !r) return r;
  if (conn_.Changes() == 0) {
    return store::LimitReached(constraint::kMemberLimit);
  }
  return {};
}

Result<void> SqlMembershipStore::Update(const domain::Membership& m) {
  auto stmt = conn_.Prepare(
      "UPDATE organization_memberships SET role = ?3, public_metadata = ?4, private_metadata = ?5, "
      "updated_at = ?6 WHERE organization_id = ?1 AND user_id = ?2");
  if (!stmt) return stmt.error();
  auto public_metadata =
      StoredJsonText(m.public_metadata, "organization_memberships.public_metadata");
  if (!public_metadata) return public_metadata.error();
  auto private_metadata =
      StoredJsonText(m.private_metadata, "organization_memberships.private_metadata");
  if (!private_metadata) return private_metadata.error();
  stmt->Bind(1, m.organization_id);
  stmt->Bind(2, m.user_id);
  stmt->Bind(3, m.role);
  stmt->Bind(4, *public_metadata);
  stmt->Bind(5, *private_metadata);
  stmt->Bind(6, m.updated_at);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("organization membership");
  return {};
}

Result<void> SqlMembershipStore::Delete(std::string_view organization_id,
                                        std::string_view user_id) {
  auto stmt = conn_.Prepare(
      "DELETE FROM organization_memberships WHERE organization_id = ?1 AND user_id = ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, organization_id);
  stmt->Bind(2, user_id);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("organization membership");
  return AdjustCount(conn_, organization_id, -1);
}

}  // namespace orgd::store::sql
