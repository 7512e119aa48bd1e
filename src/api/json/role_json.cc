#include "api/json/role_json.h"

#include <boost/json/array.hpp>

namespace orgd::api::json {

boost::json::object PermissionJson(const domain::Permission& p) {
  return {{"object", "permission"},
          {"id", p.id},
          {"name", p.name},
          {"key", p.key},
          {"description", p.description},
          {"type", p.type},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

boost::json::object PermissionListJson(const store::Page<domain::Permission>& page) {
  boost::json::array data;
  for (const auto& p : page.data) data.push_back(PermissionJson(p));
  return {{"data", std::move(data)}, {"total_count", page.total_count}};
}

boost::json::object RoleJson(const domain::Role& role) {
  boost::json::array permissions;
  for (const auto& p : role.permissions) permissions.push_back(PermissionJson(p));
  boost::json::object o{{"object", "role"},
                        {"id", role.id},
                        {"name", role.name},
                        {"key", role.key},
                        {"is_creator_eligible", role.IsCreatorEligible()},
                        {"permissions", std::move(permissions)},
                        {"created_at", role.created_at},
                        {"updated_at", role.updated_at}};
  if (role.description) {
    o["description"] = *role.description;
  } else {
    o["description"] = nullptr;
  }
  return o;
}

boost::json::object RoleListJson(const store::Page<domain::Role>& page) {
  boost::json::array data;
  for (const auto& role : page.data) data.push_back(RoleJson(role));
  return {{"data", std::move(data)}, {"total_count", page.total_count}};
}

boost::json::object OrganizationSettingsJson(const domain::OrganizationSettings& s) {
  boost::json::array modes;
  for (const auto& m : s.domains_enrollment_modes) modes.emplace_back(m);
  boost::json::object o{{"object", "organization_settings"},
                        {"enabled", s.enabled},
                        {"max_allowed_memberships", s.max_allowed_memberships},
                        {"max_allowed_roles", s.max_allowed_roles},
                        {"max_role_sets_allowed", s.max_role_sets_allowed},
                        {"max_allowed_domains", s.max_allowed_domains},
                        {"max_allowed_permissions", s.max_allowed_permissions},
                        {"creator_role", s.creator_role},
                        {"admin_delete_enabled", s.admin_delete_enabled},
                        {"domains_enabled", s.domains_enabled},
                        {"slug_disabled", s.slug_disabled},
                        {"domains_enrollment_modes", std::move(modes)},
                        {"domains_default_role", s.domains_default_role}};
  if (s.initial_role_set_key) {
    o["initial_role_set_key"] = *s.initial_role_set_key;
  } else {
    o["initial_role_set_key"] = nullptr;
  }
  return o;
}

}  // namespace orgd::api::json
