// The organization-invitation part of a store transaction (implementation: store/sql, on SQLite
// and PostgreSQL). The store enforces, in the transaction that writes: one pending invitation per
// organization and address, and the member limit counting members plus pending invitations.
// Failures are typed (store/store_errors.h).
//
// Thread safety: an InvitationReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "domain/invitation.h"
#include "store/page.h"

namespace orgd::store {

enum class InvitationSortField { kCreatedAt, kEmailAddress };

struct InvitationListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  int64_t now = 0;  // ms: what "pending" and "expired" mean
  std::optional<std::string> organization_id;
  std::vector<std::string> email_addresses;  // any of these (normalized) addresses
  std::optional<std::string> query;          // a case-insensitive part of the address
  // pending, accepted, revoked, expired (as Status(now) shows them); empty: all.
  std::vector<std::string> statuses;
  // Leaves out the invitations a verified domain's enrollment made (the Backend API's lists).
  bool exclude_enrollment = false;
  InvitationSortField sort = InvitationSortField::kCreatedAt;
  SortDirection direction = SortDirection::kDescending;
};

class InvitationReader {
 public:
  virtual ~InvitationReader() = default;
  // kNotFound ("organization invitation") when no invitation has this ID.
  virtual Result<domain::Invitation> Get(std::string_view id) = 0;
  // One page (ties broken by ID) and the number matching.
  virtual Result<Page<domain::Invitation>> List(const InvitationListQuery& query) = 0;
  // Per organization of `organization_ids`, its pending invitations that have not expired at
  // `now` (one query for a whole page; an organization with none is absent).
  virtual Result<std::unordered_map<std::string, int64_t>> CountPending(
      const std::vector<std::string>& organization_ids, int64_t now) = 0;
  // Whether the organization has a free seat at `now`: members plus pending invitations below
  // max_allowed_memberships (0: unlimited). Insert() decides again, exactly.
  virtual Result<bool> HasFreeSeat(std::string_view organization_id, int64_t now) = 0;
  // Pending invitations (in any organization) that offer the role `role_key` and have not
  // expired at `now`.
  virtual Result<int64_t> CountPendingWithRole(std::string_view role_key, int64_t now) = 0;
};

class InvitationWriter : public InvitationReader {
 public:
  // Stores a pending invitation. Returns, in this order:
  //   kUniqueViolation (constraint::kPendingInvitation) when the organization has a pending
  //     invitation to the address (an expired one is set aside first, ExpireStale);
  //   kLimitReached (constraint::kMemberLimit) when members plus pending invitations already fill
  //     max_allowed_memberships (0: unlimited).
  // REQUIRES: the organization exists (checked by the caller in this transaction).
  virtual Result<void> Insert(const domain::Invitation& invitation) = 0;
  // Overwrites status, accepted_user_id and updated_at. kNotFound when it does not exist.
  virtual Result<void> Update(const domain::Invitation& invitation) = 0;
  // Marks the organization's pending invitations to `email_address` that expired by `now` as
  // expired in the store, so a new invitation may take their place.
  // Renames the role key of every invitation that has `old_key` (invitations name roles by key,
  // as memberships do).
  virtual Result<void> RenameRole(std::string_view old_key, std::string_view new_key) = 0;
  virtual Result<void> ExpireStale(std::string_view organization_id, std::string_view email_address,
                                   int64_t now) = 0;
};

}  // namespace orgd::store
