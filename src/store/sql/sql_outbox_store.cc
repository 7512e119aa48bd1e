#include "store/sql/sql_outbox_store.h"

#include "store/sql/constraints.h"

namespace orgd::store::sql {

Result<std::vector<OutboxEntry>> SqlOutboxStore::ListAfter(int64_t after_seq, int64_t limit) {
  auto stmt = conn_.Prepare(
      "SELECT seq, id, type, organization_id, object_id, payload, caller_kind, caller_id, "
      "request_id, remote_ip, user_agent, created_at FROM outbox WHERE seq > ?1 ORDER BY seq "
      "LIMIT ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, after_seq);
  stmt->Bind(2, limit);
  std::vector<OutboxEntry> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    OutboxEntry e;
    e.seq = stmt->Int(0);
    e.id = stmt->Text(1);
    e.type = stmt->Text(2);
    e.organization_id = stmt->OptionalText(3);
    e.object_id = stmt->OptionalText(4);
    e.payload = stmt->Text(5);
    e.caller_kind = stmt->Text(6);
    e.caller_id = stmt->Text(7);
    e.request_id = stmt->Text(8);
    e.remote_ip = stmt->Text(9);
    e.user_agent = stmt->Text(10);
    e.created_at = stmt->Int(11);
    out.push_back(std::move(e));
  }
  return out;
}

Result<void> SqlOutboxStore::Append(const OutboxEntry& entry) {
  auto stmt = conn_.Prepare(
      "INSERT INTO outbox (id, type, organization_id, object_id, payload, caller_kind, caller_id, "
      "request_id, remote_ip, user_agent, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, entry.id);
  stmt->Bind(2, entry.type);
  stmt->Bind(3, entry.organization_id);
  stmt->Bind(4, entry.object_id);
  stmt->Bind(5, entry.payload);
  stmt->Bind(6, entry.caller_kind);
  stmt->Bind(7, entry.caller_id);
  stmt->Bind(8, entry.request_id);
  stmt->Bind(9, entry.remote_ip);
  stmt->Bind(10, entry.user_agent);
  stmt->Bind(11, entry.created_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  return {};
}

}  // namespace orgd::store::sql
