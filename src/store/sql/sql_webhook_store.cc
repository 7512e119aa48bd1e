#include "store/sql/sql_webhook_store.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <tuple>

#include "store/sql/sql_where.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

using domain::WebhookEndpoint;
using domain::WebhookMessage;

constexpr const char* kEndpointColumns =
    "id, url, description, event_types, disabled, disabled_reason, secret, previous_secret, "
    "previous_secret_expires_at, is_static, failing_since, created_at, updated_at";

std::vector<std::string> ParseTypes(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

WebhookEndpoint ReadEndpoint(const Statement& row) {
  WebhookEndpoint e;
  e.id = row.Text(0);
  e.url = row.Text(1);
  e.description = row.Text(2);
  e.event_types = ParseTypes(row.TextView(3));
  e.disabled = row.Int(4) != 0;
  e.disabled_reason = row.OptionalText(5);
  e.secret = row.Text(6);
  e.previous_secret = row.OptionalText(7);
  e.previous_secret_expires_at = row.OptionalInt(8);
  e.is_static = row.Int(9) != 0;
  e.failing_since = row.OptionalInt(10);
  e.created_at = row.Int(11);
  e.updated_at = row.Int(12);
  return e;
}

constexpr const char* kMessageColumns =
    "m.id, m.endpoint_id, m.event_seq, m.stream, m.status, m.attempts, m.next_attempt_at, "
    "m.lease_owner, m.lease_until, m.last_response_code, m.last_error, m.delivered_at, "
    "m.created_at, m.updated_at";

WebhookMessage ReadMessage(const Statement& row) {
  WebhookMessage m;
  m.id = row.Text(0);
  m.endpoint_id = row.Text(1);
  m.event_seq = row.Int(2);
  m.stream = row.Text(3);
  m.status = row.Text(4);
  m.attempts = row.Int(5);
  m.next_attempt_at = row.Int(6);
  m.lease_owner = row.OptionalText(7);
  m.lease_until = row.OptionalInt(8);
  m.last_response_code = row.OptionalInt(9);
  m.last_error = row.OptionalText(10);
  m.delivered_at = row.OptionalInt(11);
  m.created_at = row.Int(12);
  m.updated_at = row.Int(13);
  return m;
}

void BindEndpoint(Statement& stmt, const WebhookEndpoint& e) {
  stmt.Bind(1, e.id);
  stmt.Bind(2, e.url);
  stmt.Bind(3, e.description);
  stmt.Bind(4, JsonArray(e.event_types));
  stmt.Bind(5, int64_t{e.disabled ? 1 : 0});
  stmt.Bind(6, e.disabled_reason);
  stmt.Bind(7, e.secret);
  stmt.Bind(8, e.previous_secret);
  stmt.Bind(9, e.previous_secret_expires_at);
  stmt.Bind(10, int64_t{e.is_static ? 1 : 0});
  stmt.Bind(11, e.failing_since);
  stmt.Bind(12, e.created_at);
  stmt.Bind(13, e.updated_at);
}

}  // namespace

Result<WebhookEndpoint> SqlWebhookStore::GetEndpoint(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kEndpointColumns +
                            " FROM webhook_endpoints WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("webhook endpoint");
  return ReadEndpoint(*stmt);
}

Result<std::vector<WebhookEndpoint>> SqlWebhookStore::ListEndpoints() {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kEndpointColumns +
                            " FROM webhook_endpoints ORDER BY created_at, id");
  if (!stmt) return stmt.error();
  return ReadAll<WebhookEndpoint>(*stmt, ReadEndpoint);
}

Result<WebhookMessage> SqlWebhookStore::GetMessage(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kMessageColumns +
                            " FROM webhook_messages m WHERE m.id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("webhook message");
  return ReadMessage(*stmt);
}

Result<bool> SqlWebhookStore::HasDue(int64_t now) {
  auto stmt = conn_.Prepare(
      "SELECT 1 FROM webhook_messages WHERE status = 'pending' AND is_head = 1 AND "
      "next_attempt_at <= ?1 LIMIT 1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, now);
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row;
}

Result<Page<WebhookMessage>> SqlWebhookStore::ListMessages(const WebhookMessageQuery& q) {
  SqlWhere where;
  where.Add("m.endpoint_id = ?", {q.endpoint_id});
  if (q.status) where.Add("m.status = ?", {*q.status});
  const std::string from = " FROM webhook_messages m" + where.Sql();
  auto rows =
      SelectPage<WebhookMessage>(conn_,
                                 std::string("SELECT ") + kMessageColumns + from +
                                     " ORDER BY m.event_seq DESC LIMIT ? OFFSET ?",
                                 where, q.limit, q.offset, ReadMessage);
  if (!rows) return rows.error();
  Page<WebhookMessage> page;
  page.data = std::move(*rows);
  auto total = CountRows(conn_, from, where);
  if (!total) return total.error();
  page.total_count = *total;
  return page;
}

Result<void> SqlWebhookStore::InsertEndpoint(const WebhookEndpoint& e) {
  auto stmt = conn_.Prepare(std::string("INSERT INTO webhook_endpoints (") + kEndpointColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  if (!stmt) return stmt.error();
  BindEndpoint(*stmt, e);
  return stmt->Run();
}

Result<void> SqlWebhookStore::UpdateEndpoint(const WebhookEndpoint& e) {
  auto stmt = conn_.Prepare(
      "UPDATE webhook_endpoints SET url = ?2, description = ?3, event_types = ?4, disabled = ?5, "
      "disabled_reason = ?6, secret = ?7, previous_secret = ?8, previous_secret_expires_at = ?9, "
      "is_static = ?10, failing_since = ?11, updated_at = ?12 WHERE id = ?1");
  if (!stmt) return stmt.error();
  BindEndpoint(*stmt, e);        // binds created_at as ?12 and updated_at as ?13…
  stmt->Bind(12, e.updated_at);  // …here ?12 is updated_at (a parameter past the last is ignored)
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("webhook endpoint");
  return {};
}

Result<void> SqlWebhookStore::DeleteEndpoint(std::string_view id) {
  auto stmt = conn_.Prepare("DELETE FROM webhook_endpoints WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("webhook endpoint");
  return {};
}

Result<bool> SqlWebhookStore::InsertMessage(const WebhookMessage& m) {
  // The head of its stream when no other message of the stream is pending (messages are queued
  // in event order).
  auto stmt = conn_.Prepare(
      "INSERT INTO webhook_messages (id, endpoint_id, event_seq, stream, status, attempts, "
      "next_attempt_at, created_at, updated_at, is_head) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
      "?9, CASE WHEN EXISTS (SELECT 1 FROM webhook_messages WHERE endpoint_id = ?2 AND stream = "
      "?4 AND status = 'pending') THEN 0 ELSE 1 END ON CONFLICT (endpoint_id, event_seq) DO "
      "NOTHING");
  if (!stmt) return stmt.error();
  stmt->Bind(1, m.id);
  stmt->Bind(2, m.endpoint_id);
  stmt->Bind(3, m.event_seq);
  stmt->Bind(4, m.stream);
  stmt->Bind(5, m.status);
  stmt->Bind(6, m.attempts);
  stmt->Bind(7, m.next_attempt_at);
  stmt->Bind(8, m.created_at);
  stmt->Bind(9, m.updated_at);
  if (auto r = stmt->Run(); !r) return r.error();
  return conn_.Changes() > 0;
}

Result<void> SqlWebhookStore::ElectHead(std::string_view endpoint_id, std::string_view stream,
                                        bool may_have_head) {
  if (may_have_head) {
    auto clear = conn_.Prepare(
        "UPDATE webhook_messages SET is_head = 0 WHERE endpoint_id = ?1 AND stream = ?2 AND "
        "status = 'pending' AND is_head = 1");
    if (!clear) return clear.error();
    clear->Bind(1, endpoint_id);
    clear->Bind(2, stream);
    if (auto r = clear->Run(); !r) return r;
  }
  auto elect = conn_.Prepare(
      "UPDATE webhook_messages SET is_head = 1 WHERE id = (SELECT id FROM webhook_messages WHERE "
      "endpoint_id = ?1 AND stream = ?2 AND status = 'pending' ORDER BY event_seq LIMIT 1)");
  if (!elect) return elect.error();
  elect->Bind(1, endpoint_id);
  elect->Bind(2, stream);
  return elect->Run();
}

Result<std::vector<WebhookMessage>> SqlWebhookStore::Claim(std::string_view owner, int64_t now,
                                                           int64_t lease_until, int64_t limit) {
  // Only heads (the oldest pending message of each endpoint and stream) are candidates, through
  // their own index: a claim reads a handful of rows however long the backlog behind them is.
  auto stmt = conn_.Prepare(
      std::string("UPDATE webhook_messages SET lease_owner = ?1, lease_until = ?3 WHERE id IN "
                  "(SELECT m.id FROM webhook_messages m JOIN webhook_endpoints e ON e.id = "
                  "m.endpoint_id WHERE m.status = 'pending' AND m.is_head = 1 AND "
                  "m.next_attempt_at <= ?2 AND (m.lease_until IS NULL OR m.lease_until < ?2) AND "
                  "e.disabled = 0 ORDER BY m.next_attempt_at LIMIT ?4") +
      std::string(conn_.SkipLocked()) + ") RETURNING id, endpoint_id, event_seq, stream, " +
      "status, attempts, next_attempt_at, lease_owner, lease_until, last_response_code, " +
      "last_error, delivered_at, created_at, updated_at");
  if (!stmt) return stmt.error();
  stmt->Bind(1, owner);
  stmt->Bind(2, now);
  stmt->Bind(3, lease_until);
  stmt->Bind(4, limit);
  auto out = ReadAll<WebhookMessage>(*stmt, ReadMessage);
  if (!out) return out.error();
  // RETURNING gives the rows in the order they were updated, not the subquery's.
  std::sort(out->begin(), out->end(), [](const WebhookMessage& a, const WebhookMessage& b) {
    return std::tie(a.next_attempt_at, a.event_seq) < std::tie(b.next_attempt_at, b.event_seq);
  });
  return out;
}

Result<void> SqlWebhookStore::FinishAttempt(const WebhookMessage& m, std::string_view owner) {
  const bool done = m.status != domain::kMessagePending;
  auto stmt = conn_.Prepare(
      "UPDATE webhook_messages SET status = ?3, attempts = ?4, next_attempt_at = ?5, "
      "last_response_code = ?6, last_error = ?7, delivered_at = ?8, updated_at = ?9, "
      "is_head = CASE WHEN ?10 = 1 THEN is_head ELSE 0 END, lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, m.id);
  stmt->Bind(2, owner);
  stmt->Bind(3, m.status);
  stmt->Bind(4, m.attempts);
  stmt->Bind(5, m.next_attempt_at);
  stmt->Bind(6, m.last_response_code);
  stmt->Bind(7, m.last_error);
  stmt->Bind(8, m.delivered_at);
  stmt->Bind(9, m.updated_at);
  stmt->Bind(10, int64_t{done ? 0 : 1});
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::LeaseLost();
  // Delivered or given up: the next message of its stream may go.
  // (It was the head, and just stopped being one: the others are not.)
  if (done) return ElectHead(m.endpoint_id, m.stream, false);
  return {};
}

Result<void> SqlWebhookStore::QueueAgain(const WebhookMessage& m) {
  auto stmt = conn_.Prepare(
      "INSERT INTO webhook_messages (id, endpoint_id, event_seq, stream, status, attempts, "
      "next_attempt_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?6, ?6) "
      "ON CONFLICT (endpoint_id, event_seq) DO UPDATE SET status = 'pending', attempts = 0, "
      "next_attempt_at = ?5, updated_at = ?6, lease_owner = NULL, lease_until = NULL");
  if (!stmt) return stmt.error();
  stmt->Bind(1, m.id);
  stmt->Bind(2, m.endpoint_id);
  stmt->Bind(3, m.event_seq);
  stmt->Bind(4, m.stream);
  stmt->Bind(5, m.next_attempt_at);
  stmt->Bind(6, m.updated_at);
  if (auto r = stmt->Run(); !r) return r;
  // It may be older than the stream's head: the oldest pending one goes first.
  return ElectHead(m.endpoint_id, m.stream, true);
}

Result<void> SqlWebhookStore::ReleaseLeases() {
  return conn_.Exec(
      "UPDATE webhook_messages SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS "
      "NOT NULL");
}

Result<void> SqlWebhookStore::Requeue(std::string_view id, int64_t now) {
  auto m = GetMessage(id);
  if (!m) return m.error();
  auto stmt = conn_.Prepare(
      "UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = ?2, "
      "updated_at = ?2, lease_owner = NULL, lease_until = NULL WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  stmt->Bind(2, now);
  if (auto r = stmt->Run(); !r) return r;
  return ElectHead(m->endpoint_id, m->stream, true);
}

}  // namespace orgd::store::sql
