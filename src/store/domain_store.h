// The organization-domain part of a store transaction (implementation: store/sql): domains, the
// invitations their enrollment made, suggestions and membership requests. Failures are typed
// (store/store_errors.h).
//
// Thread safety: a DomainReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/organization_domain.h"
#include "store/page.h"

namespace orgd::store {

struct DomainListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  int64_t now = 0;  // ms: what "pending" means for the totals
  std::optional<std::string> organization_id;
  std::optional<bool> verified;
  std::vector<std::string> enrollment_modes;          // any of these; empty: all
  std::vector<std::string> exclude_enrollment_modes;  // none of these
  std::optional<std::string> name_query;              // a case-insensitive part of the name
  std::vector<std::string> names;                     // exactly these names; empty: all
  bool order_by_name = false;                         // else created_at
  SortDirection direction = SortDirection::kDescending;
};

struct SuggestionListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  std::string user_id;
  std::vector<std::string> statuses;  // empty: all
};

struct RequestListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  std::string organization_id;
  std::vector<std::string> statuses;  // empty: all
};

class DomainReader {
 public:
  virtual ~DomainReader() = default;
  // With its pending totals at `now`. kNotFound ("organization domain").
  virtual Result<domain::OrganizationDomain> Get(std::string_view id, int64_t now) = 0;
  // One page, newest first unless asked (ties broken by ID), and the number matching.
  virtual Result<Page<domain::OrganizationDomain>> List(const DomainListQuery& query) = 0;
  virtual Result<int64_t> CountForOrganization(std::string_view organization_id) = 0;
  // The verified domains named `name` (at most one), of any organization.
  virtual Result<std::vector<domain::OrganizationDomain>> VerifiedNamed(std::string_view name) = 0;

  // Whether the user has a suggestion of the organization (any status), a pending request there.
  // (Checked before inserting: on PostgreSQL a refused insert would end the transaction.)
  virtual Result<bool> HasSuggestion(std::string_view organization_id,
                                     std::string_view user_id) = 0;
  virtual Result<bool> HasPendingRequest(std::string_view organization_id,
                                         std::string_view user_id) = 0;
  // kNotFound ("organization suggestion").
  virtual Result<domain::OrganizationSuggestion> GetSuggestion(std::string_view id) = 0;
  virtual Result<Page<domain::OrganizationSuggestion>> ListSuggestions(
      const SuggestionListQuery& query) = 0;
  // kNotFound ("organization membership request").
  virtual Result<domain::MembershipRequest> GetRequest(std::string_view id) = 0;
  virtual Result<Page<domain::MembershipRequest>> ListRequests(const RequestListQuery& query) = 0;
};

class DomainWriter : public DomainReader {
 public:
  // kUniqueViolation: constraint::kDomainName (the organization has it), kVerifiedDomain
  // (another organization has it verified).
  virtual Result<void> Insert(const domain::OrganizationDomain& d) = 0;
  // Overwrites every field but id, organization_id, name, created_at. kUniqueViolation
  // kVerifiedDomain when it becomes verified while another organization's is; kNotFound.
  virtual Result<void> Update(const domain::OrganizationDomain& d) = 0;
  // Deletes it with its suggestions and enrollment links (not the invitations). kNotFound.
  virtual Result<void> Delete(std::string_view id) = 0;
  // Records that enrollment for `domain_id` made invitation `invitation_id`.
  virtual Result<void> LinkInvitation(std::string_view invitation_id,
                                      std::string_view domain_id) = 0;
  // Deletes the domain's pending (at `now`) enrollment invitations and pending suggestions.
  virtual Result<void> DeletePendingEnrollment(std::string_view domain_id, int64_t now) = 0;
  // kUniqueViolation kSuggestion when the user already has one for the organization.
  virtual Result<void> InsertSuggestion(const domain::OrganizationSuggestion& s) = 0;
  virtual Result<void> UpdateSuggestion(const domain::OrganizationSuggestion& s) = 0;
  // kUniqueViolation kPendingRequest when the user has a pending request there.
  virtual Result<void> InsertRequest(const domain::MembershipRequest& r) = 0;
  virtual Result<void> UpdateRequest(const domain::MembershipRequest& r) = 0;
};

}  // namespace orgd::store
