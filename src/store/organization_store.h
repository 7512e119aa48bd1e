// The organization part of a store transaction. Implementation: store/sql (on SQLite and
// PostgreSQL). Every method runs inside the transaction that handed it out.
//
// Thread safety: an OrganizationReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/organization.h"
#include "store/page.h"

namespace orgd::store {

enum class OrganizationSortField { kCreatedAt, kName, kMembersCount };

struct OrganizationListQuery {
  int64_t limit = 10;  // REQUIRES: 1 <= limit
  int64_t offset = 0;  // REQUIRES: 0 <= offset
  // Matches an exact ID, or a case-insensitive (ASCII) substring of the name or the slug.
  std::optional<std::string> query;
  std::vector<std::string> include_ids;         // when not empty, only these IDs
  std::vector<std::string> exclude_ids;         // never these IDs
  std::vector<std::string> include_member_ids;  // when not empty, only orgs with any of these users
  std::vector<std::string> exclude_member_ids;  // never orgs with any of these users
  OrganizationSortField sort = OrganizationSortField::kCreatedAt;
  SortDirection direction = SortDirection::kDescending;
};

class OrganizationReader {
 public:
  virtual ~OrganizationReader() = default;

  // Returns the organization whose ID, or else whose slug, equals `id_or_slug`.
  // Returns kNotFound when there is none.
  virtual Result<domain::Organization> Get(std::string_view id_or_slug) = 0;

  // Returns one page in the requested order (ties broken by ID in the same direction) and the
  // number of organizations matching the filters.
  virtual Result<Page<domain::Organization>> List(const OrganizationListQuery& query) = 0;
};

class OrganizationWriter : public OrganizationReader {
 public:
  // Stores a new organization. `members_count` is ignored (a new organization has none).
  // Returns kUniqueViolation (constraint::kOrganizationSlug) when the slug is taken,
  // (kOrganizationId) when the ID is.
  virtual Result<void> Insert(const domain::Organization& org) = 0;

  // Overwrites every stored field of the organization with `org.id` except created_by and
  // members_count. Returns kNotFound when it does not exist, kUniqueViolation (kOrganizationSlug)
  // when the new slug belongs to another organization.
  virtual Result<void> Update(const domain::Organization& org) = 0;

  // Deletes the organization and everything that belongs to it (its images and memberships;
  // later its invitations and domains). Returns kNotFound when it does not exist.
  virtual Result<void> Delete(std::string_view id) = 0;
};

}  // namespace orgd::store
