// The JSON shapes of permissions, roles and the instance organization settings
// (BEHAVIOR.md §2.7–2.9).
#pragma once

#include <boost/json/object.hpp>

#include "domain/organization_settings.h"
#include "domain/roles.h"
#include "store/page.h"

namespace orgd::api::json {

// `{object:"permission", id, name, key, description, type, created_at, updated_at}`.
boost::json::object PermissionJson(const domain::Permission& permission);
boost::json::object PermissionListJson(const store::Page<domain::Permission>& page);

// `{object:"role", id, name, key, description, is_creator_eligible, permissions:[Permission],
// created_at, updated_at}`.
boost::json::object RoleJson(const domain::Role& role);
boost::json::object RoleListJson(const store::Page<domain::Role>& page);

// `{object:"organization_settings", enabled, max_allowed_memberships, …, creator_role (a key),
// domains_default_role (a key), …}`.
boost::json::object OrganizationSettingsJson(const domain::OrganizationSettings& settings);

}  // namespace orgd::api::json
