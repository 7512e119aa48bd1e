#include "domain/roles.h"

#include "domain/errors.h"

namespace orgd::domain {
namespace {

const std::vector<RoleInfo>& Roles() {
  static const std::vector<RoleInfo> roles = {
      {std::string(kAdminRole),
       "Admin",
       {"org:sys_profile:manage", "org:sys_profile:delete", "org:sys_memberships:read",
        "org:sys_memberships:manage", "org:sys_domains:read", "org:sys_domains:manage",
        "org:sys_billing:read", "org:sys_billing:manage"},
       true},
      {std::string(kMemberRole),
       "Member",
       {"org:sys_memberships:read", "org:sys_billing:read"},
       false},
  };
  return roles;
}

}  // namespace

Result<const RoleInfo*> FindRole(std::string_view key) {
  if (key.empty()) return errors::ParamMissing("role");
  for (const RoleInfo& role : Roles()) {
    if (role.key == key) return &role;
  }
  return errors::NotFound("role");
}

std::vector<std::string> RolesWithMinimumPermissions() {
  std::vector<std::string> keys;
  for (const RoleInfo& role : Roles()) {
    if (role.has_minimum_permissions) keys.push_back(role.key);
  }
  return keys;
}

}  // namespace orgd::domain
