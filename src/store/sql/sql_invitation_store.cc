#include "store/sql/sql_invitation_store.h"

#include "store/sql/constraints.h"
#include "store/sql/seats.h"
#include "store/sql/sql_where.h"
#include "store/sql/stored_json.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

constexpr const char* kColumns =
    "i.id, i.organization_id, i.email_address, i.role, i.status, i.inviter_user_id, "
    "i.public_metadata, i.private_metadata, i.redirect_url, i.url, i.notify, i.expires_at, "
    "i.accepted_user_id, i.created_at, i.updated_at";

domain::Invitation ReadRow(const Statement& row) {
  domain::Invitation inv;
  inv.id = row.Text(0);
  inv.organization_id = row.Text(1);
  inv.email_address = row.Text(2);
  inv.role = row.Text(3);
  inv.status = row.Text(4);
  inv.inviter_user_id = row.OptionalText(5);
  inv.public_metadata =
      ParseStoredJson(row.TextView(6), "organization_invitations.public_metadata", inv.id);
  inv.private_metadata =
      ParseStoredJson(row.TextView(7), "organization_invitations.private_metadata", inv.id);
  inv.redirect_url = row.OptionalText(8);
  inv.url = row.OptionalText(9);
  inv.notify = row.Int(10) != 0;
  inv.expires_at = row.Int(11);
  inv.accepted_user_id = row.OptionalText(12);
  inv.created_at = row.Int(13);
  inv.updated_at = row.Int(14);
  return inv;
}

// The SQL condition for one status as the API shows it at ?now (expired is derived).
void AddStatuses(const std::vector<std::string>& statuses, int64_t now, SqlWhere& where) {
  if (statuses.empty()) return;
  std::string clause = "(";
  std::vector<SqlWhere::Value> values;
  for (const std::string& status : statuses) {
    if (clause.size() > 1) clause += " OR ";
    if (status == domain::kInvitationPending) {
      clause += "(i.status = 'pending' AND i.expires_at > ?)";
      values.emplace_back(now);
    } else if (status == domain::kInvitationExpired) {
      clause += "i.status = 'expired' OR (i.status = 'pending' AND i.expires_at <= ?)";
      values.emplace_back(now);
    } else {
      clause += "i.status = ?";
      values.emplace_back(status);
    }
  }
  where.Add(clause + ")", std::move(values));
}

}  // namespace

Result<domain::Invitation> SqlInvitationStore::Get(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM organization_invitations i WHERE i.id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("organization invitation");
  return ReadRow(*stmt);
}

Result<Page<domain::Invitation>> SqlInvitationStore::List(const InvitationListQuery& q) {
  SqlWhere where;
  if (q.organization_id) where.Add("i.organization_id = ?", {*q.organization_id});
  if (!q.email_addresses.empty()) {
    where.Add("i.email_address IN (SELECT value FROM json_each(?))",
              {JsonArray(q.email_addresses)});
  }
  if (q.query) where.Add("i.email_address LIKE ? ESCAPE '\\'", {ContainsPattern(*q.query)});
  AddStatuses(q.statuses, q.now, where);
  if (q.exclude_enrollment) {
    where.Add("i.id NOT IN (SELECT invitation_id FROM domain_invitations)");
  }
  const std::string from = " FROM organization_invitations i" + where.Sql();
  const char* dir = q.direction == SortDirection::kAscending ? "ASC" : "DESC";
  const char* sort =
      q.sort == InvitationSortField::kEmailAddress ? "i.email_address" : "i.created_at";
  Page<domain::Invitation> page;
  auto rows =
      SelectPage<domain::Invitation>(conn_,
                                     std::string("SELECT ") + kColumns + from + " ORDER BY " +
                                         sort + " " + dir + ", i.id " + dir + " LIMIT ? OFFSET ?",
                                     where, q.limit, q.offset, ReadRow);
  if (!rows) return rows.error();
  page.data = std::move(*rows);
  auto total = CountRows(conn_, from, where);
  if (!total) return total.error();
  page.total_count = *total;
  return page;
}

Result<std::unordered_map<std::string, int64_t>> SqlInvitationStore::CountPending(
    const std::vector<std::string>& organization_ids, int64_t now) {
  auto stmt = conn_.Prepare(
      "SELECT organization_id, count(*) FROM organization_invitations WHERE organization_id IN "
      "(SELECT value FROM json_each(?1)) AND status = 'pending' AND expires_at > ?2 GROUP BY "
      "organization_id");
  if (!stmt) return stmt.error();
  stmt->Bind(1, JsonArray(organization_ids));
  stmt->Bind(2, now);
  std::unordered_map<std::string, int64_t> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    out.emplace(stmt->Text(0), stmt->Int(1));
  }
  return out;
}

Result<int64_t> SqlInvitationStore::CountPendingWithRole(std::string_view role_key, int64_t now) {
  auto stmt = conn_.Prepare(
      "SELECT count(*) FROM organization_invitations WHERE role = ?1 AND status = 'pending' AND "
      "expires_at > ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, role_key);
  stmt->Bind(2, now);
  auto row = stmt->Step();
  if (!row) return row.error();
  return stmt->Int(0);
}

Result<void> SqlInvitationStore::RenameRole(std::string_view old_key, std::string_view new_key) {
  auto stmt = conn_.Prepare("UPDATE organization_invitations SET role = ?2 WHERE role = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, old_key);
  stmt->Bind(2, new_key);
  return stmt->Run();
}

Result<bool> SqlInvitationStore::HasFreeSeat(std::string_view organization_id, int64_t now) {
  auto room =
      conn_.Prepare(std::string("SELECT 1 FROM organizations WHERE id = ?1 AND ") + kHasFreeSeat);
  if (!room) return room.error();
  room->Bind(1, organization_id);
  room->Bind(2, now);
  auto has_room = room->Step();
  if (!has_room) return has_room.error();
  return *has_room;
}

Result<void> SqlInvitationStore::Insert(const domain::Invitation& inv) {
  // The limit first (members plus pending invitations against max_allowed_memberships), read in
  // this transaction: SQLite's single writer and PostgreSQL's SERIALIZABLE make read-then-insert
  // safe under racing writers.
  auto room =
      conn_.Prepare(std::string("SELECT 1 FROM organizations WHERE id = ?1 AND ") + kHasFreeSeat);
  if (!room) return room.error();
  room->Bind(1, inv.organization_id);
  room->Bind(2, inv.created_at);
  auto has_room = room->Step();
  if (!has_room) return has_room.error();
  const bool full = !*has_room;
  room->Reset();

  auto stmt = conn_.Prepare(
      "INSERT INTO organization_invitations (id, organization_id, email_address, role, status, "
      "inviter_user_id, public_metadata, private_metadata, redirect_url, url, notify, expires_at, "
      "accepted_user_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11, ?12, ?13, ?14, ?15)");
  if (!stmt) return stmt.error();
  auto public_metadata =
      StoredJsonText(inv.public_metadata, "organization_invitations.public_metadata");
  if (!public_metadata) return public_metadata.error();
  auto private_metadata =
      StoredJsonText(inv.private_metadata, "organization_invitations.private_metadata");
  if (!private_metadata) return private_metadata.error();
  stmt->Bind(1, inv.id);
  stmt->Bind(2, inv.organization_id);
  stmt->Bind(3, inv.email_address);
  stmt->Bind(4, inv.role);
  stmt->Bind(5, inv.status);
  stmt->Bind(6, inv.inviter_user_id);
  stmt->Bind(7, *public_metadata);
  stmt->Bind(8, *private_metadata);
  stmt->Bind(9, inv.redirect_url);
  stmt->Bind(10, inv.url);
  stmt->Bind(11, int64_t{inv.notify ? 1 : 0});
  stmt->Bind(12, inv.expires_at);
  stmt->Bind(13, inv.accepted_user_id);
  stmt->Bind(14, inv.created_at);
  stmt->Bind(15, inv.updated_at);
  // A duplicate pending invitation wins over a full organization (as "already a member" does).
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  if (full) return store::LimitReached(constraint::kMemberLimit);
  return {};
}

Result<void> SqlInvitationStore::Update(const domain::Invitation& inv) {
  auto stmt = conn_.Prepare(
      "UPDATE organization_invitations SET status = ?2, accepted_user_id = ?3, updated_at = ?4 "
      "WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, inv.id);
  stmt->Bind(2, inv.status);
  stmt->Bind(3, inv.accepted_user_id);
  stmt->Bind(4, inv.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  if (conn_.Changes() == 0) return store::NotFound("organization invitation");
  return {};
}

Result<void> SqlInvitationStore::ExpireStale(std::string_view organization_id,
                                             std::string_view email_address, int64_t now) {
  auto stmt = conn_.Prepare(
      "UPDATE organization_invitations SET status = 'expired', updated_at = ?3 WHERE "
      "organization_id = ?1 AND email_address = ?2 AND status = 'pending' AND expires_at <= ?3");
  if (!stmt) return stmt.error();
  stmt->Bind(1, organization_id);
  stmt->Bind(2, email_address);
  stmt->Bind(3, now);
  return stmt->Run();
}

}  // namespace orgd::store::sql
