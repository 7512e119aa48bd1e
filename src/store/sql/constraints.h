// The names the two drivers give one unique constraint (SQLite: the columns, as in
// "organizations.slug"; PostgreSQL: the constraint, as in "organizations_slug_key"), and the
// store-level name (store/store_errors.h constraint::…) each stands for. A driver's unique
// violation carries its own name; Canonical() replaces it by exact match, no text search.
#pragma once

#include <array>
#include <string_view>

#include "store/store_errors.h"

namespace orgd::store::sql {

struct ConstraintName {
  std::string_view sqlite;
  std::string_view postgres;
  std::string_view canonical;
};

inline constexpr std::array kConstraintNames = {
    ConstraintName{"organizations.id", "organizations_pkey", constraint::kOrganizationId},
    ConstraintName{"organizations.slug", "organizations_slug_key", constraint::kOrganizationSlug},
    ConstraintName{"users.id", "users_pkey", constraint::kUserId},
    ConstraintName{"users.username", "users_username_key", constraint::kUserUsername},
    ConstraintName{"email_addresses.email_address", "email_addresses_email_address_key",
                   constraint::kUserEmail},
    ConstraintName{"phone_numbers.phone_number", "phone_numbers_phone_number_key",
                   constraint::kUserPhone},
    ConstraintName{"organization_memberships.organization_id, organization_memberships.user_id",
                   "organization_memberships_organization_id_user_id_key", constraint::kMembership},
    ConstraintName{"roles.key", "roles_key_key", constraint::kRoleKey},
    ConstraintName{"permissions.key", "permissions_key_key", constraint::kPermissionKey},
    ConstraintName{"role_permissions.role_id, role_permissions.permission_id",
                   "role_permissions_pkey", constraint::kRolePermission},
    ConstraintName{"outbox.id", "outbox_id_key", constraint::kOutboxId},
    ConstraintName{"organization_invitations.organization_id, "
                   "organization_invitations.email_address",
                   "organization_invitations_one_pending", constraint::kPendingInvitation},
    ConstraintName{"organization_domains.organization_id, organization_domains.name",
                   "organization_domains_name_per_organization", constraint::kDomainName},
    ConstraintName{"organization_domains.name", "organization_domains_one_verified_owner",
                   constraint::kVerifiedDomain},
    ConstraintName{"organization_suggestions.organization_id, organization_suggestions.user_id",
                   "organization_suggestions_one_per_user", constraint::kSuggestion},
    ConstraintName{"membership_requests.organization_id, membership_requests.user_id",
                   "membership_requests_one_pending", constraint::kPendingRequest},
    // SQLite names an index on an expression rather than its columns.
    ConstraintName{"index 'signing_keys_one_current'", "signing_keys_one_current",
                   constraint::kCurrentSigningKey},
};

// `e` with a driver's constraint name replaced by the store-level one. Other errors, and names
// the table does not know (an ID taken: a bug, reported as it is), pass unchanged.
inline Error Canonical(Error e) {
  if (e.store_reason != StoreReason::kUniqueViolation) return e;
  for (const ConstraintName& name : kConstraintNames) {
    if (e.constraint == name.sqlite || e.constraint == name.postgres) {
      e.constraint = std::string(name.canonical);
      return e;
    }
  }
  return e;
}

}  // namespace orgd::store::sql
