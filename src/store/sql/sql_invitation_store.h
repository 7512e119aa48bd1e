// Organization invitations over sql::Connection, for both drivers (store/invitation_store.h).
#pragma once

#include "store/invitation_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlInvitationStore final : public InvitationWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlInvitationStore(Connection& conn) : conn_(conn) {}
  Result<domain::Invitation> Get(std::string_view id) override;
  Result<Page<domain::Invitation>> List(const InvitationListQuery& query) override;
  Result<std::unordered_map<std::string, int64_t>> CountPending(
      const std::vector<std::string>& organization_ids, int64_t now) override;
  Result<int64_t> CountPendingWithRole(std::string_view role_key, int64_t now) override;
  Result<void> RenameRole(std::string_view old_key, std::string_view new_key) override;
  Result<bool> HasFreeSeat(std::string_view organization_id, int64_t now) override;
  Result<void> Insert(const domain::Invitation& invitation) override;
  Result<void> Update(const domain::Invitation& invitation) override;
  Result<void> ExpireStale(std::string_view organization_id, std::string_view email_address,
                           int64_t now) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
