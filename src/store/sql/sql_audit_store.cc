#include "store/sql/sql_audit_store.h"

#include "store/sql/constraints.h"
#include "store/sql/sql_where.h"

namespace orgd::store::sql {

namespace {

constexpr const char* kColumns =
    "seq, id, action, resource_type, resource_id, organization_id, actor_kind, actor_id, "
    "request_id, remote_ip, user_agent, before, after, created_at";

AuditEntry ReadRow(const Statement& row) {
  AuditEntry e;
  e.seq = row.Int(0);
  e.id = row.Text(1);
  e.action = row.Text(2);
  e.resource_type = row.Text(3);
  e.resource_id = row.Text(4);
  e.organization_id = row.OptionalText(5);
  e.actor_kind = row.Text(6);
  e.actor_id = row.Text(7);
  e.request_id = row.Text(8);
  e.remote_ip = row.Text(9);
  e.user_agent = row.Text(10);
  e.before = row.OptionalText(11);
  e.after = row.OptionalText(12);
  e.created_at = row.Int(13);
  return e;
}

}  // namespace

Result<std::vector<AuditEntry>> SqlAuditStore::List(const AuditQuery& query) {
  SqlWhere where;
  if (query.organization_id) where.Add("organization_id = ?", {*query.organization_id});
  if (query.actor_id) where.Add("actor_id = ?", {*query.actor_id});
  if (query.action) where.Add("action = ?", {*query.action});
  if (query.resource_id) where.Add("resource_id = ?", {*query.resource_id});
  if (query.resource_type) where.Add("resource_type = ?", {*query.resource_type});
  if (query.created_before) where.Add("created_at < ?", {*query.created_before});
  if (query.created_after) where.Add("created_at > ?", {*query.created_after});
  if (query.before_seq) where.Add("seq < ?", {*query.before_seq});
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns + " FROM audit_log" + where.Sql() +
                            " ORDER BY seq DESC LIMIT ?");
  if (!stmt) return stmt.error();
  const int next = where.Bind(*stmt);
  stmt->Bind(next, query.limit);
  return ReadAll<AuditEntry>(*stmt, ReadRow);
}

Result<void> SqlAuditStore::Append(const AuditEntry& entry) {
  auto stmt = conn_.Prepare(
      "INSERT INTO audit_log (id, action, resource_type, resource_id, organization_id, "
      "actor_kind, actor_id, request_id, remote_ip, user_agent, before, after, created_at) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, entry.id);
  stmt->Bind(2, entry.action);
  stmt->Bind(3, entry.resource_type);
  stmt->Bind(4, entry.resource_id);
  stmt->Bind(5, entry.organization_id);
  stmt->Bind(6, entry.actor_kind);
  stmt->Bind(7, entry.actor_id);
  stmt->Bind(8, entry.request_id);
  stmt->Bind(9, entry.remote_ip);
  stmt->Bind(10, entry.user_agent);
  stmt->Bind(11, entry.before);
  stmt->Bind(12, entry.after);
  stmt->Bind(13, entry.created_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  return {};
}

Result<int64_t> SqlAuditStore::PurgeBefore(int64_t cutoff, int64_t limit) {
  auto stmt = conn_.Prepare(
      "DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE created_at < ?1 "
      "ORDER BY seq LIMIT ?2)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, cutoff);
  stmt->Bind(2, limit);
  if (auto r = stmt->Run(); !r) return r.error();
  return conn_.Changes();
}

}  // namespace orgd::store::sql
