#include "store/sql/sql_session_store.h"

#include "store/sql/sql_where.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

constexpr const char* kColumns =
    "id, client_id, user_id, status, last_active_organization_id, last_active_at, expire_at, "
    "abandon_at, created_at, updated_at";

domain::Session ReadRow(const Statement& row) {
  domain::Session s;
  s.id = row.Text(0);
  s.client_id = row.Text(1);
  s.user_id = row.Text(2);
  s.status = row.Text(3);
  s.last_active_organization_id = row.OptionalText(4);
  s.last_active_at = row.Int(5);
  s.expire_at = row.Int(6);
  s.abandon_at = row.Int(7);
  s.created_at = row.Int(8);
  s.updated_at = row.Int(9);
  return s;
}

// The condition for one status as Session::Status(now) shows it.
void AddStatus(const std::string& status, int64_t now, SqlWhere& where) {
  if (status == domain::kSessionActive) {
    where.Add("(status = 'active' AND expire_at > ? AND abandon_at > ?)", {now, now});
  } else if (status == domain::kSessionExpired) {
    where.Add("(status = 'active' AND expire_at <= ?)", {now});
  } else if (status == domain::kSessionAbandoned) {
    where.Add("(status = 'active' AND expire_at > ? AND abandon_at <= ?)", {now, now});
  } else {
    where.Add("status = ?", {status});
  }
}

}  // namespace

Result<domain::Session> SqlSessionStore::Get(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns + " FROM sessions WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("session");
  return ReadRow(*stmt);
}

Result<Page<domain::Session>> SqlSessionStore::List(const SessionListQuery& q) {
  SqlWhere where;
  if (q.user_id) where.Add("user_id = ?", {*q.user_id});
  if (q.client_id) where.Add("client_id = ?", {*q.client_id});
  if (q.status) AddStatus(*q.status, q.now, where);
  const std::string from = " FROM sessions" + where.Sql();
  auto rows = SelectPage<domain::Session>(conn_,
                                          std::string("SELECT ") + kColumns + from +
                                              " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                                          where, q.limit, q.offset, ReadRow);
  if (!rows) return rows.error();
  Page<domain::Session> page;
  page.data = std::move(*rows);
  auto total = CountRows(conn_, from, where);
  if (!total) return total.error();
  page.total_count = *total;
  return page;
}

Result<void> SqlSessionStore::Insert(const domain::Session& s) {
  auto stmt = conn_.Prepare(
      "INSERT INTO sessions (id, client_id, user_id, status, last_active_organization_id, "
      "last_active_at, expire_at, abandon_at, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, s.id);
  stmt->Bind(2, s.client_id);
  stmt->Bind(3, s.user_id);
  stmt->Bind(4, s.status);
  stmt->Bind(5, s.last_active_organization_id);
  stmt->Bind(6, s.last_active_at);
  stmt->Bind(7, s.expire_at);
  stmt->Bind(8, s.abandon_at);
  stmt->Bind(9, s.created_at);
  stmt->Bind(10, s.updated_at);
  return stmt->Run();
}

Result<void> SqlSessionStore::Update(const domain::Session& s) {
  auto stmt = conn_.Prepare(
      "UPDATE sessions SET status = ?2, last_active_organization_id = ?3, last_active_at = ?4, "
      "abandon_at = ?5, updated_at = ?6 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, s.id);
  stmt->Bind(2, s.status);
  stmt->Bind(3, s.last_active_organization_id);
  stmt->Bind(4, s.last_active_at);
  stmt->Bind(5, s.abandon_at);
  stmt->Bind(6, s.updated_at);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("session");
  return {};
}

Result<void> SqlSessionStore::ClearActiveOrganization(std::string_view organization_id,
                                                      std::string_view user_id, int64_t now) {
  auto stmt = conn_.Prepare(
      "UPDATE sessions SET last_active_organization_id = NULL, updated_at = ?3 "
      "WHERE last_active_organization_id = ?1 AND user_id = ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, organization_id);
  stmt->Bind(2, user_id);
  stmt->Bind(3, now);
  return stmt->Run();
}

Result<std::vector<domain::Session>> SqlSessionStore::EndForUser(std::string_view user_id,
                                                                 int64_t now) {
  // The rows the UPDATE below changes, read first in the same transaction (the writer's on
  // SQLite, SERIALIZABLE on PostgreSQL): RETURNING would give them in no defined order.
  auto select = conn_.Prepare(std::string("SELECT ") + kColumns +
                              " FROM sessions WHERE user_id = ?1 AND status = 'active' "
                              "ORDER BY created_at, id");
  if (!select) return select.error();
  select->Bind(1, user_id);
  std::vector<domain::Session> ended;
  for (;;) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    domain::Session s = ReadRow(*select);
    s.status = std::string(domain::kSessionEnded);
    s.last_active_organization_id.reset();
    s.updated_at = now;
    ended.push_back(std::move(s));
  }
  if (ended.empty()) return ended;
  auto stmt = conn_.Prepare(
      "UPDATE sessions SET status = 'ended', last_active_organization_id = NULL, updated_at = ?2 "
      "WHERE user_id = ?1 AND status = 'active'");
  if (!stmt) return stmt.error();
  stmt->Bind(1, user_id);
  stmt->Bind(2, now);
  if (auto r = stmt->Run(); !r) return r.error();
  return ended;
}

}  // namespace orgd::store::sql
