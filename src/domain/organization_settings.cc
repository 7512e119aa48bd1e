#include "domain/organization_settings.h"

namespace orgd::domain {

boost::json::object ToJson(const OrganizationSettings& s) {
  boost::json::array modes;
  for (const auto& m : s.domains_enrollment_modes) modes.emplace_back(m);
  boost::json::object o{{"enabled", s.enabled},
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

OrganizationSettings OrganizationSettingsFromJson(const boost::json::value& document) {
  OrganizationSettings s;
  if (!document.is_object()) return s;
  const auto& o = document.get_object();
  auto get_bool = [&](const char* k, bool& out) {
    if (auto* v = o.if_contains(k); v && v->is_bool()) out = v->get_bool();
  };
  auto get_int = [&](const char* k, int64_t& out) {
    if (auto* v = o.if_contains(k); v && v->is_int64()) out = v->get_int64();
  };
  auto get_string = [&](const char* k, std::string& out) {
    if (auto* v = o.if_contains(k); v && v->is_string()) out = std::string(v->get_string());
  };
  get_bool("enabled", s.enabled);
  get_int("max_allowed_memberships", s.max_allowed_memberships);
  get_int("max_allowed_roles", s.max_allowed_roles);
  get_int("max_role_sets_allowed", s.max_role_sets_allowed);
  get_int("max_allowed_domains", s.max_allowed_domains);
  get_int("max_allowed_permissions", s.max_allowed_permissions);
  get_string("creator_role", s.creator_role);
  get_bool("admin_delete_enabled", s.admin_delete_enabled);
  get_bool("domains_enabled", s.domains_enabled);
  get_bool("slug_disabled", s.slug_disabled);
  get_string("domains_default_role", s.domains_default_role);
  if (auto* v = o.if_contains("domains_enrollment_modes"); v && v->is_array()) {
    for (const auto& m : v->get_array()) {
      if (m.is_string()) s.domains_enrollment_modes.emplace_back(m.get_string());
    }
  }
  if (auto* v = o.if_contains("initial_role_set_key"); v && v->is_string()) {
    s.initial_role_set_key = std::string(v->get_string());
  }
  return s;
}

}  // namespace orgd::domain
