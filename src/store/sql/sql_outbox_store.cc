#include "store/sql/sql_outbox_store.h"

#include "store/sql/constraints.h"
#include "store/sql/sql_where.h"
#include "store/store_errors.h"

namespace orgd::store::sql {

namespace {

constexpr const char* kColumns =
    "seq, id, type, organization_id, object_id, payload, caller_kind, caller_id, request_id, "
    "remote_ip, user_agent, created_at, stream, position";

OutboxEntry ReadRow(const Statement& row) {
  OutboxEntry e;
  e.seq = row.Int(0);
  e.id = row.Text(1);
  e.type = row.Text(2);
  e.organization_id = row.OptionalText(3);
  e.object_id = row.OptionalText(4);
  e.payload = row.Text(5);
  e.caller_kind = row.Text(6);
  e.caller_id = row.Text(7);
  e.request_id = row.Text(8);
  e.remote_ip = row.Text(9);
  e.user_agent = row.Text(10);
  e.created_at = row.Int(11);
  e.stream = row.Text(12);
  e.position = row.OptionalInt(13);
  return e;
}

}  // namespace

Result<std::vector<OutboxEntry>> SqlOutboxStore::ListAfter(int64_t after_seq, int64_t limit) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, after_seq);
  stmt->Bind(2, limit);
  return ReadAll<OutboxEntry>(*stmt, ReadRow);
}

Result<bool> SqlOutboxStore::HasUndispatched() {
  auto stmt = conn_.Prepare("SELECT 1 FROM outbox WHERE position IS NULL LIMIT 1");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row;
}

Result<Backlog> SqlOutboxStore::UndispatchedBacklog() {
  auto stmt = conn_.Prepare("SELECT count(*), min(created_at) FROM outbox WHERE position IS NULL");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  return Backlog{stmt->Int(0), stmt->OptionalInt(1)};
}

Result<OutboxEntry> SqlOutboxStore::Get(int64_t seq) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns + " FROM outbox WHERE seq = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, seq);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("event");
  return ReadRow(*stmt);
}

Result<std::vector<OutboxEntry>> SqlOutboxStore::ListFeed(int64_t after_position, int64_t limit) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM outbox WHERE position > ?1 ORDER BY position LIMIT ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, after_position);
  stmt->Bind(2, limit);
  return ReadAll<OutboxEntry>(*stmt, ReadRow);
}

Result<std::vector<OutboxEntry>> SqlOutboxStore::ListSince(int64_t since, int64_t after_seq,
                                                           int64_t limit) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM outbox WHERE created_at >= ?1 AND seq > ?2 AND position IS NOT "
                            "NULL ORDER BY seq LIMIT ?3");
  if (!stmt) return stmt.error();
  stmt->Bind(1, since);
  stmt->Bind(2, after_seq);
  stmt->Bind(3, limit);
  return ReadAll<OutboxEntry>(*stmt, ReadRow);
}

Result<void> SqlOutboxStore::LockStream(std::string_view stream) {
  // One writer already runs the writes in commit order.
  if (conn_.HasSingleWriter()) return {};
  auto stmt = conn_.Prepare(
      "INSERT INTO event_streams (stream, last_seq) VALUES (?1, 1) ON CONFLICT (stream) DO "
      "UPDATE SET last_seq = event_streams.last_seq + 1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, stream);
  return stmt->Run();
}

Result<std::vector<OutboxEntry>> SqlOutboxStore::ListUndispatched(int64_t limit) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM outbox WHERE position IS NULL ORDER BY seq LIMIT ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, limit);
  return ReadAll<OutboxEntry>(*stmt, ReadRow);
}

Result<int64_t> SqlOutboxStore::TakePositions(int64_t count) {
  auto stmt = conn_.Prepare(
      "UPDATE webhook_dispatch SET last_position = last_position + ?1 WHERE id = 1 RETURNING "
      "last_position");
  if (!stmt) return stmt.error();
  stmt->Bind(1, count);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::Internal("webhook_dispatch has no row");
  const int64_t last = stmt->Int(0);
  if (auto r = stmt->Run(); !r) return r.error();
  return last - count + 1;
}

Result<void> SqlOutboxStore::SetPosition(int64_t seq, int64_t position) {
  auto stmt = conn_.Prepare("UPDATE outbox SET position = ?2 WHERE seq = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, seq);
  stmt->Bind(2, position);
  return stmt->Run();
}

Result<void> SqlOutboxStore::Append(const OutboxEntry& entry) {
  auto stmt = conn_.Prepare(
      "INSERT INTO outbox (id, type, organization_id, object_id, payload, caller_kind, caller_id, "
      "request_id, remote_ip, user_agent, created_at, stream) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "?8, ?9, ?10, ?11, ?12)");
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
  stmt->Bind(12, entry.stream);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  return {};
}

}  // namespace orgd::store::sql
