#include "store/sql/sql_signing_key_store.h"

#include "store/sql/constraints.h"
#include "store/sql/sql_where.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

// Columns 0–4 of every query: kid, public_key, created_at, retired_at, max_token_exp.
domain::SigningKey ReadPublic(const Statement& row) {
  domain::SigningKey key;
  key.kid = row.Text(0);
  key.public_key_pem = row.Text(1);
  key.created_at = row.Int(2);
  key.retired_at = row.OptionalInt(3);
  key.max_token_exp = row.Int(4);
  return key;
}

constexpr const char* kPublicColumns = "kid, public_key, created_at, retired_at, max_token_exp";

}  // namespace

Result<std::optional<domain::SigningKey>> SqlSigningKeyStore::Current() {
  // Read on every mint: no key material, just which key and how far its tokens reach.
  auto stmt = conn_.Prepare(
      "SELECT kid, '', created_at, retired_at, max_token_exp FROM signing_keys "
      "WHERE retired_at IS NULL");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<domain::SigningKey>();
  return std::optional<domain::SigningKey>(ReadPublic(*stmt));
}

Result<domain::SigningKey> SqlSigningKeyStore::Get(std::string_view kid) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kPublicColumns +
                            ", private_key FROM signing_keys WHERE kid = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, kid);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("signing key");
  domain::SigningKey key = ReadPublic(*stmt);
  key.private_key_pem = stmt->Text(5);
  return key;
}

Result<std::vector<domain::SigningKey>> SqlSigningKeyStore::Published(int64_t now,
                                                                      int64_t grace) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kPublicColumns +
                            " FROM signing_keys WHERE retired_at IS NULL OR max_token_exp + ?2 > "
                            "?1 ORDER BY (retired_at IS NULL) DESC, created_at DESC, kid DESC");
  if (!stmt) return stmt.error();
  stmt->Bind(1, now);
  stmt->Bind(2, grace);
  return ReadAll<domain::SigningKey>(*stmt, ReadPublic);
}

Result<void> SqlSigningKeyStore::Insert(const domain::SigningKey& key) {
  auto stmt = conn_.Prepare(
      "INSERT INTO signing_keys (kid, private_key, public_key, created_at, retired_at, "
      "max_token_exp) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, key.kid);
  stmt->Bind(2, key.private_key_pem);
  stmt->Bind(3, key.public_key_pem);
  stmt->Bind(4, key.created_at);
  stmt->Bind(5, key.retired_at);
  stmt->Bind(6, key.max_token_exp);
  auto r = stmt->Run();
  if (!r) return Canonical(r.error());
  return {};
}

Result<void> SqlSigningKeyStore::RetireCurrent(int64_t now) {
  auto stmt = conn_.Prepare("UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->Bind(1, now);
  return stmt->Run();
}

Result<void> SqlSigningKeyStore::Extend(std::string_view kid, int64_t until) {
  auto stmt = conn_.Prepare(
      "UPDATE signing_keys SET max_token_exp = ?2 WHERE kid = ?1 AND max_token_exp < ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, kid);
  stmt->Bind(2, until);
  return stmt->Run();
}

Result<void> SqlSigningKeyStore::Prune(int64_t before) {
  auto stmt = conn_.Prepare(
      "DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND max_token_exp < ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, before);
  return stmt->Run();
}

}  // namespace orgd::store::sql
