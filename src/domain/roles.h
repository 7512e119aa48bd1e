// Organization roles. Until custom roles and permissions exist (a later issue), an instance has
// Clerk's two default roles; every role question goes through this file so that issue can replace
// the fixed table with stored roles in one place (BEHAVIOR.md §2.13).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace orgd::domain {

inline constexpr std::string_view kAdminRole = "org:admin";
inline constexpr std::string_view kMemberRole = "org:member";
// The role the creator of an organization (`created_by`) receives.
inline constexpr std::string_view kCreatorRole = kAdminRole;

struct RoleInfo {
  std::string key;
  std::string name;
  std::vector<std::string> permissions;  // permission keys, system ones (org:sys_*) included
  // Holds the minimum permissions an organization must keep in at least one member (the
  // creator-level set: org:sys_memberships:manage, org:sys_memberships:read,
  // org:sys_profile:delete). Removing or demoting the last such member is refused.
  bool has_minimum_permissions = false;
};

// The role with this key. Returns kNotFound resource_not_found ("Given role not found.") for a
// key the instance does not have, and form_param_missing for an empty one.
Result<const RoleInfo*> FindRole(std::string_view key);

// The keys of every role with has_minimum_permissions.
std::vector<std::string> RolesWithMinimumPermissions();

}  // namespace orgd::domain
