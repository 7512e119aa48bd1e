// Frontend API clients over sql::Connection, for both drivers (store/client_store.h).
#pragma once

#include "store/client_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlClientStore final : public ClientWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlClientStore(Connection& conn) : conn_(conn) {}
  Result<domain::Client> Get(std::string_view id) override;
  Result<void> Insert(const domain::Client& client) override;
  Result<void> Update(const domain::Client& client) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
