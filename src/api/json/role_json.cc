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
  boost::json::object o{{"object", "organization_settings"}};
  for (auto& [key, value] : domain::ToJson(s)) o[key] = std::move(value);
  return o;
}

}  // namespace orgd::api::json
