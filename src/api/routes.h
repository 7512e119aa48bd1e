// Every route orgd serves, in one table: where a request goes is read here.
#pragma once

#include "api/backend/memberships_handler.h"
#include "api/backend/organizations_handler.h"
#include "api/backend/roles_handler.h"
#include "api/backend/secret_key_auth.h"
#include "api/backend/settings_handler.h"
#include "api/backend/users_handler.h"
#include "api/public/health_handler.h"
#include "api/public/images_handler.h"
#include "http/router.h"

namespace orgd::api {

struct Handlers {
  const SecretKeyAuth& backend_auth;
  OrganizationsHandler& organizations;
  UsersHandler& users;
  MembershipsHandler& memberships;
  RolesHandler& roles;
  SettingsHandler& settings;
  ImagesHandler& images;
  HealthHandler& health;
};

// REQUIRES: every handler outlives the router.
void RegisterRoutes(http::Router& router, const Handlers& handlers);

}  // namespace orgd::api
