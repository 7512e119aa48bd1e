// SqlUserStore: users in the `users`, `email_addresses` and `phone_numbers` tables.
//
// Thread safety: as the Connection it wraps (one thread at a time).
#pragma once

#include "store/sql/connection.h"
#include "store/user_store.h"

namespace orgd::store::sql {

class SqlUserStore final : public UserWriter {
 public:
  // REQUIRES: `conn` outlives this object. Writes require a read-write connection.
  explicit SqlUserStore(Connection& conn) : conn_(conn) {}

  Result<domain::User> Get(std::string_view id) override;
  Result<std::vector<domain::User>> GetMany(const std::vector<std::string>& ids) override;
  Result<std::vector<domain::User>> List(const UserListQuery& query) override;
  Result<int64_t> Count(const UserListQuery& query) override;
  Result<void> Insert(const domain::User& user) override;
  Result<void> Update(const domain::User& user) override;
  Result<void> Delete(std::string_view id) override;

 private:
  Result<void> LoadIdentifiers(domain::User& user);

  Connection& conn_;
};

}  // namespace orgd::store::sql
