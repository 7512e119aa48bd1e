// Signing keys over sql::Connection, for both drivers (store/signing_key_store.h).
#pragma once

#include "store/signing_key_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlSigningKeyStore final : public SigningKeyWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlSigningKeyStore(Connection& conn) : conn_(conn) {}
  Result<std::optional<domain::SigningKey>> Current() override;
  Result<domain::SigningKey> Get(std::string_view kid) override;
  Result<std::vector<domain::SigningKey>> Published(int64_t now, int64_t grace) override;
  Result<void> Insert(const domain::SigningKey& key) override;
  Result<void> RetireCurrent(int64_t now) override;
  Result<void> Extend(std::string_view kid, int64_t until) override;
  Result<void> Prune(int64_t before) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
