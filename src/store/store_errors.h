// The failures a store returns: a typed reason (common/error.h StoreReason) and which constraint,
// never a Clerk code or text to search. Services map them to the API's errors.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace orgd::store {

// The unique values, limits and references the stores name in `Error::constraint`.
namespace constraint {
inline constexpr std::string_view kOrganizationId = "organizations.id";
inline constexpr std::string_view kOrganizationSlug = "organizations.slug";
inline constexpr std::string_view kUserId = "users.id";
inline constexpr std::string_view kUserEmail = "email_addresses.email_address";
inline constexpr std::string_view kUserPhone = "phone_numbers.phone_number";
inline constexpr std::string_view kUserUsername = "users.username";
inline constexpr std::string_view kMembership = "memberships.organization_user";
inline constexpr std::string_view kMemberLimit = "organizations.max_allowed_memberships";
inline constexpr std::string_view kRoleKey = "roles.key";
inline constexpr std::string_view kPermissionKey = "permissions.key";
inline constexpr std::string_view kRolePermission = "role_permissions.pair";
inline constexpr std::string_view kRoleHeldByMembers = "memberships.role";
inline constexpr std::string_view kOutboxId = "outbox.id";
inline constexpr std::string_view kPendingInvitation =
    "organization_invitations.organization_email_pending";
inline constexpr std::string_view kCurrentSigningKey = "signing_keys.current";
inline constexpr std::string_view kDomainName = "organization_domains.organization_name";
inline constexpr std::string_view kVerifiedDomain = "organization_domains.verified_name";
inline constexpr std::string_view kSuggestion = "organization_suggestions.organization_user";
inline constexpr std::string_view kPendingRequest = "membership_requests.organization_user_pending";
inline constexpr std::string_view kPrimaryKey = "primary key";
}  // namespace constraint

inline Error StoreError(ErrorCode code, StoreReason reason, std::string_view constraint,
                        std::string detail = {}) {
  Error e(code, "", "", "", "", std::move(detail));
  e.store_reason = reason;
  e.constraint = std::string(constraint);
  return e;
}

// No row is `entity` ("organization", "user", "organization membership", "role", …).
inline Error NotFound(std::string_view entity) {
  return StoreError(ErrorCode::kNotFound, StoreReason::kNotFound, entity);
}
inline Error UniqueViolation(std::string_view constraint, std::string detail = {}) {
  return StoreError(ErrorCode::kAlreadyExists, StoreReason::kUniqueViolation, constraint,
                    std::move(detail));
}
inline Error LimitReached(std::string_view constraint) {
  return StoreError(ErrorCode::kResourceExhausted, StoreReason::kLimitReached, constraint);
}
inline Error InUse(std::string_view constraint) {
  return StoreError(ErrorCode::kFailedPrecondition, StoreReason::kInUse, constraint);
}
inline Error ForeignKey(std::string detail) {
  return StoreError(ErrorCode::kFailedPrecondition, StoreReason::kForeignKey, {},
                    std::move(detail));
}
inline Error LeaseLost() {
  return StoreError(ErrorCode::kFailedPrecondition, StoreReason::kLeaseLost, {});
}
// The database cannot serve now (a lost connection, a busy file, a failover): 503 in the API.
inline Error Unavailable(std::string detail) {
  return Error(ErrorCode::kUnavailable, "", "", "", "", std::move(detail));
}
// A failure that is a bug or a broken database: 500 in the API. `detail` is logged only.
inline Error Internal(std::string detail) {
  return Error(ErrorCode::kInternal, "", "", "", "", std::move(detail));
}

// True when `e` is a unique violation of `constraint`.
inline bool IsUniqueViolation(const Error& e, std::string_view constraint) {
  return e.store_reason == StoreReason::kUniqueViolation && e.constraint == constraint;
}

}  // namespace orgd::store
