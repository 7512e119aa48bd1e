#include "store/sql/sql_client_store.h"

#include "store/store_errors.h"

namespace orgd::store::sql {

Result<domain::Client> SqlClientStore::Get(std::string_view id) {
  auto stmt = conn_.Prepare(
      "SELECT id, secret_hash, last_active_session_id, created_at, updated_at FROM clients "
      "WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("client");
  domain::Client c;
  c.id = stmt->Text(0);
  c.secret_hash = stmt->Text(1);
  c.last_active_session_id = stmt->OptionalText(2);
  c.created_at = stmt->Int(3);
  c.updated_at = stmt->Int(4);
  return c;
}

Result<void> SqlClientStore::Insert(const domain::Client& c) {
  auto stmt = conn_.Prepare(
      "INSERT INTO clients (id, secret_hash, last_active_session_id, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, c.id);
  stmt->Bind(2, c.secret_hash);
  stmt->Bind(3, c.last_active_session_id);
  stmt->Bind(4, c.created_at);
  stmt->Bind(5, c.updated_at);
  return stmt->Run();
}

Result<void> SqlClientStore::Update(const domain::Client& c) {
  auto stmt = conn_.Prepare(
      "UPDATE clients SET last_active_session_id = ?2, updated_at = ?3 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, c.id);
  stmt->Bind(2, c.last_active_session_id);
  stmt->Bind(3, c.updated_at);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("client");
  return {};
}

}  // namespace orgd::store::sql
