// Sign-in tokens over sql::Connection, for both drivers (store/sign_in_token_store.h).
#pragma once

#include "store/sign_in_token_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlSignInTokenStore final : public SignInTokenWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlSignInTokenStore(Connection& conn) : conn_(conn) {}
  Result<domain::SignInToken> Get(std::string_view id) override;
  Result<domain::SignInToken> GetByHash(std::string_view token_hash) override;
  Result<void> Insert(const domain::SignInToken& token) override;
  Result<void> UpdatePending(const domain::SignInToken& token) override;
  Result<void> RevokeForUser(std::string_view user_id, int64_t now) override;

 private:
  Result<domain::SignInToken> GetWhere(const char* column, std::string_view value);
  Connection& conn_;
};

}  // namespace orgd::store::sql
