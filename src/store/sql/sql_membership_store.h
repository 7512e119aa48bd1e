// SqlMembershipStore: memberships in the `organization_memberships` table, counted in
// organizations.members_count by the same statements that add and remove them.
//
// Thread safety: as the Connection it wraps (one thread at a time).
#pragma once

#include "store/membership_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlMembershipStore final : public MembershipWriter {
 public:
  // REQUIRES: `conn` outlives this object. Writes require a read-write connection.
  explicit SqlMembershipStore(Connection& conn) : conn_(conn) {}

  Result<domain::Membership> Get(std::string_view organization_id,
                                 std::string_view user_id) override;
  Result<Page<domain::Membership>> List(const MembershipListQuery& query) override;
  Result<int64_t> CountWithRoles(std::string_view organization_id,
                                 const std::vector<std::string>& roles) override;
  Result<void> Insert(const domain::Membership& membership, SeatCount seats) override;
  Result<void> Update(const domain::Membership& membership) override;
  Result<void> Delete(std::string_view organization_id, std::string_view user_id) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
