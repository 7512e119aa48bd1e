// SqlOrganizationStore: organizations in the `organizations` table (migrations/sqlite,
// migrations/postgres).
//
// Thread safety: as the Connection it wraps (one thread at a time).
#pragma once

#include "store/organization_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlOrganizationStore final : public OrganizationWriter {
 public:
  // REQUIRES: `conn` outlives this object. Writes require a read-write connection.
  explicit SqlOrganizationStore(Connection& conn) : conn_(conn) {}

  Result<domain::Organization> Get(std::string_view id_or_slug) override;
  Result<Page<domain::Organization>> List(const OrganizationListQuery& query) override;
  Result<void> Insert(const domain::Organization& org) override;
  Result<void> Update(const domain::Organization& org) override;
  Result<void> Delete(std::string_view id) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
