// Sessions over sql::Connection, for both drivers (store/session_store.h).
#pragma once

#include "store/session_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlSessionStore final : public SessionWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlSessionStore(Connection& conn) : conn_(conn) {}
  Result<domain::Session> Get(std::string_view id) override;
  Result<Page<domain::Session>> List(const SessionListQuery& query) override;
  Result<void> Insert(const domain::Session& session) override;
  Result<void> Update(const domain::Session& session) override;
  Result<void> ClearActiveOrganization(std::string_view organization_id, std::string_view user_id,
                                       int64_t now) override;
  Result<std::vector<domain::Session>> EndForUser(std::string_view user_id, int64_t now) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
