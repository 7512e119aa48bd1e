// The instance's organization settings (BEHAVIOR.md §2.9): defaults for new organizations and
// instance-wide limits. Stored as one document; every field has Clerk's documented default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orgd::domain {

struct OrganizationSettings {
  bool enabled = true;
  int64_t max_allowed_memberships = 5;  // default for new organizations; 0 = unlimited
  int64_t max_allowed_roles = 10;
  int64_t max_role_sets_allowed = 1;
  int64_t max_allowed_domains = 10;
  int64_t max_allowed_permissions = 50;    // deprecated by Clerk: no effect
  std::string creator_role = "org:admin";  // a role key
  bool admin_delete_enabled = true;        // copied into new organizations
  bool domains_enabled = false;
  bool slug_disabled = false;
  std::vector<std::string> domains_enrollment_modes;  // manual_invitation, automatic_*
  std::string domains_default_role = "org:member";    // a role key
  std::optional<std::string> initial_role_set_key;
};

}  // namespace orgd::domain
