// Organization domains, suggestions and membership requests over sql::Connection, for both
// drivers (store/domain_store.h).
#pragma once

#include "store/domain_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlDomainStore final : public DomainWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlDomainStore(Connection& conn) : conn_(conn) {}
  Result<domain::OrganizationDomain> Get(std::string_view id, int64_t now) override;
  Result<Page<domain::OrganizationDomain>> List(const DomainListQuery& query) override;
  Result<int64_t> CountForOrganization(std::string_view organization_id) override;
  Result<std::vector<domain::OrganizationDomain>> VerifiedNamed(std::string_view name) override;
  Result<bool> HasSuggestion(std::string_view organization_id, std::string_view user_id) override;
  Result<bool> HasPendingRequest(std::string_view organization_id,
                                 std::string_view user_id) override;
  Result<domain::OrganizationSuggestion> GetSuggestion(std::string_view id) override;
  Result<Page<domain::OrganizationSuggestion>> ListSuggestions(
      const SuggestionListQuery& query) override;
  Result<domain::MembershipRequest> GetRequest(std::string_view id) override;
  Result<Page<domain::MembershipRequest>> ListRequests(const RequestListQuery& query) override;

  Result<void> Insert(const domain::OrganizationDomain& d) override;
  Result<void> Update(const domain::OrganizationDomain& d) override;
  Result<void> Delete(std::string_view id) override;
  Result<void> LinkInvitation(std::string_view invitation_id, std::string_view domain_id) override;
  Result<void> DeletePendingEnrollment(std::string_view domain_id, int64_t now) override;
  Result<void> InsertSuggestion(const domain::OrganizationSuggestion& s) override;
  Result<void> UpdateSuggestion(const domain::OrganizationSuggestion& s) override;
  Result<void> InsertRequest(const domain::MembershipRequest& r) override;
  Result<void> UpdateRequest(const domain::MembershipRequest& r) override;

 private:
  // Whether `sql` (parameters: the organization, the user) returns a row.
  Result<bool> Exists(const char* sql, std::string_view organization_id, std::string_view user_id);
  // Fills the pending totals of `domains` at `now` (two queries for the lot).
  Result<void> AddTotals(std::vector<domain::OrganizationDomain>& domains, int64_t now);
  Connection& conn_;
};

}  // namespace orgd::store::sql
