#include "store/sql/sql_sign_in_token_store.h"

#include "store/store_errors.h"

namespace orgd::store::sql {

Result<domain::SignInToken> SqlSignInTokenStore::GetWhere(const char* column,
                                                          std::string_view value) {
  auto stmt = conn_.Prepare(
      std::string("SELECT id, user_id, token_hash, status, organization_id, expires_at, "
                  "session_id, created_at, updated_at FROM sign_in_tokens WHERE ") +
      column + " = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, value);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("sign in token");
  domain::SignInToken t;
  t.id = stmt->Text(0);
  t.user_id = stmt->Text(1);
  t.token_hash = stmt->Text(2);
  t.status = stmt->Text(3);
  t.organization_id = stmt->OptionalText(4);
  t.expires_at = stmt->Int(5);
  t.session_id = stmt->OptionalText(6);
  t.created_at = stmt->Int(7);
  t.updated_at = stmt->Int(8);
  return t;
}

Result<domain::SignInToken> SqlSignInTokenStore::Get(std::string_view id) {
  return GetWhere("id", id);
}

Result<domain::SignInToken> SqlSignInTokenStore::GetByHash(std::string_view token_hash) {
  return GetWhere("token_hash", token_hash);
}

Result<void> SqlSignInTokenStore::Insert(const domain::SignInToken& t) {
  auto stmt = conn_.Prepare(
      "INSERT INTO sign_in_tokens (id, user_id, token_hash, status, organization_id, expires_at, "
      "session_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, t.id);
  stmt->Bind(2, t.user_id);
  stmt->Bind(3, t.token_hash);
  stmt->Bind(4, t.status);
  stmt->Bind(5, t.organization_id);
  stmt->Bind(6, t.expires_at);
  stmt->Bind(7, t.session_id);
  stmt->Bind(8, t.created_at);
  stmt->Bind(9, t.updated_at);
  return stmt->Run();
}

Result<void> SqlSignInTokenStore::UpdatePending(const domain::SignInToken& t) {
  auto stmt = conn_.Prepare(
      "UPDATE sign_in_tokens SET status = ?2, session_id = ?3, updated_at = ?4 "
      "WHERE id = ?1 AND status = 'pending'");
  if (!stmt) return stmt.error();
  stmt->Bind(1, t.id);
  stmt->Bind(2, t.status);
  stmt->Bind(3, t.session_id);
  stmt->Bind(4, t.updated_at);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("sign in token");
  return {};
}

Result<void> SqlSignInTokenStore::RevokeForUser(std::string_view user_id, int64_t now) {
  auto stmt = conn_.Prepare(
      "UPDATE sign_in_tokens SET status = 'revoked', updated_at = ?2 "
      "WHERE user_id = ?1 AND status = 'pending'");
  if (!stmt) return stmt.error();
  stmt->Bind(1, user_id);
  stmt->Bind(2, now);
  return stmt->Run();
}

}  // namespace orgd::store::sql
