// The organization-membership part of a store transaction. Implementation: store/sql (on
// SQLite and PostgreSQL). The store keeps organizations.members_count exact in the same
// transaction as every insert and delete, and enforces max_allowed_memberships there, so the
// rules hold under any number of racing writers.
//
// Thread safety: a MembershipReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/membership.h"
#include "store/page.h"
#include "store/user_store.h"

namespace orgd::store {

enum class MembershipSortField {
  kCreatedAt,
  kEmailAddress,  // the member's primary email address
  kPhoneNumber,
  kFirstName,
  kLastName,
  kUsername,
};

struct MembershipListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  std::optional<std::string> organization_id;  // one organization's members
  std::optional<std::string> user_id;          // one user's memberships
  UserFilter members;                          // filters on the member
  std::vector<std::string> roles;              // any of these roles
  std::optional<int64_t> created_at_before;    // ms, exclusive
  std::optional<int64_t> created_at_after;     // ms, exclusive
  MembershipSortField sort = MembershipSortField::kCreatedAt;
  SortDirection direction = SortDirection::kDescending;
};

class MembershipReader {
 public:
  virtual ~MembershipReader() = default;
  // Returns kNotFound when the user is not a member of the organization.
  virtual Result<domain::Membership> Get(std::string_view organization_id,
                                         std::string_view user_id) = 0;
  // One page in the requested order (ties broken by membership ID) and the number matching.
  virtual Result<Page<domain::Membership>> List(const MembershipListQuery& query) = 0;
  // How many members of the organization hold one of `roles`.
  virtual Result<int64_t> CountWithRoles(std::string_view organization_id,
                                         const std::vector<std::string>& roles) = 0;
};

// What fills an organization's seats when a member is added.
enum class SeatCount {
  // Members plus pending invitations (a new member takes a free seat).
  kMembersAndPendingInvitations,
  // Members only (an accepted invitation takes the seat it held; other invitations do not keep
  // it from being taken when the limit was lowered below them).
  kMembersOnly,
};

class MembershipWriter : public MembershipReader {
 public:
  // Adds the membership and counts it in its organization. Returns, in this order of precedence:
  //   kUniqueViolation (constraint::kMembership) when the user is already a member;
  //   kLimitReached (constraint::kMemberLimit) when the organization's members plus its pending
  //     invitations that have not expired at membership.created_at already number
  //     max_allowed_memberships
  //     (0 means unlimited).
  // Like every failed write, a refused insert relies on its transaction being rolled back.
  // REQUIRES: the organization and the user exist (checked by the caller in this transaction).
  virtual Result<void> Insert(const domain::Membership& membership,
                              SeatCount seats = SeatCount::kMembersAndPendingInvitations) = 0;
  // Overwrites role, metadata and updated_at. Returns kNotFound when it does not exist.
  virtual Result<void> Update(const domain::Membership& membership) = 0;
  // Removes the membership and uncounts it. Returns kNotFound when it does not exist.
  virtual Result<void> Delete(std::string_view organization_id, std::string_view user_id) = 0;
};

}  // namespace orgd::store
