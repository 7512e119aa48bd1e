// Every route orgd serves, one table per API (routes.cc): where a request goes, and how its
// caller is authenticated, is read there. Mount() puts a table on a router behind the API's
// middleware, which builds the request's service::RequestContext once (caller, API version,
// request id) and hands it to the handler.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "api/api_handler.h"
#include "api/backend/audit_logs_handler.h"
#include "api/backend/domains_handler.h"
#include "api/backend/invitations_handler.h"
#include "api/backend/memberships_handler.h"
#include "api/backend/openapi_handler.h"
#include "api/backend/organizations_handler.h"
#include "api/backend/roles_handler.h"
#include "api/backend/secret_key_auth.h"
#include "api/backend/sessions_handler.h"
#include "api/backend/settings_handler.h"
#include "api/backend/sign_in_tokens_handler.h"
#include "api/backend/users_handler.h"
#include "api/backend/webhooks_handler.h"
#include "api/frontend/client_handler.h"
#include "api/frontend/domains_handler.h"
#include "api/frontend/frontend_gate.h"
#include "api/frontend/organizations_handler.h"
#include "api/operator/metrics_handler.h"
#include "api/public/health_handler.h"
#include "api/public/images_handler.h"
#include "api/rate_limits.h"
#include "http/router.h"
#include "service/request_context.h"

namespace orgd::api {

// How a route authenticates its caller.
enum class Auth {
  kSecretKey,  // Authorization: Bearer <secret key>, then the API version (the Backend API)
  kPublic,     // nobody: images and health checks
};

struct ApiRoute {
  http::Method method;
  std::string_view path;
  Auth auth;
  ApiHandler handler;
  http::RouteOptions options = {};
  // Answers a body over options.body_limit, behind the same authentication (empty: the server's
  // generic 413).
  ApiHandler on_body_too_large = {};
};

struct Handlers {
  const SecretKeyAuth& backend_auth;
  const RateLimits& limits;
  OrganizationsHandler& organizations;
  UsersHandler& users;
  MembershipsHandler& memberships;
  InvitationsHandler& invitations;
  DomainsHandler& domains;
  SessionsHandler& sessions;
  SignInTokensHandler& sign_in_tokens;
  RolesHandler& roles;
  SettingsHandler& settings;
  WebhooksHandler& webhooks;
  AuditLogsHandler& audit_logs;
  ImagesHandler& images;
  HealthHandler& health;
  OpenApiHandler& openapi;
};

// The Backend API (with the public image and health routes it has always served).
// REQUIRES: every handler outlives the table.
std::vector<ApiRoute> BackendApiRoutes(const Handlers& handlers);

// Adds each route to `router` behind its authentication, then its rate limits (secret-key routes
// only). REQUIRES: `auth` and `limits` outlive the router.
void Mount(http::Router& router, const std::vector<ApiRoute>& routes, service::Api api,
           const SecretKeyAuth& auth, const RateLimits& limits);

// A route of the Frontend API: as ApiRoute, behind the Frontend API's gate.
struct FrontendRoute {
  http::Method method;
  std::string_view path;
  FrontendAuth auth;
  ApiHandler handler;
  http::RouteOptions options = {};
  ApiHandler on_body_too_large = {};
};

struct FrontendHandlers {
  const FrontendSettings& settings;
  const RateLimits& limits;
  service::ClientService& clients;
  FrontendClientHandler& client;
  FrontendOrganizationsHandler& organizations;
  FrontendDomainsHandler& domains;
  ImagesHandler& images;
};

// The Frontend API clerk-js speaks (BEHAVIOR.md §4), with the public images its answers link.
std::vector<FrontendRoute> FrontendApiRoutes(const FrontendHandlers& handlers);

// Adds each route behind the gate (api/frontend/frontend_gate.h) and its rate limits (api/
// rate_limits.h) as clerk-js reaches it: GETs as
// they are; every other method also as a POST with ?_method=PATCH|PUT|DELETE (clerk-js sends
// nothing else, to spare a CORS preflight); and an OPTIONS preflight on every path.
// REQUIRES: every handler outlives the router.
void MountFrontend(http::Router& router, const FrontendHandlers& handlers);

// BackendApiRoutes mounted on `router`, and described to handlers.openapi (GET /v1/openapi.json).
// REQUIRES: every handler outlives the router.
void RegisterRoutes(http::Router& router, const Handlers& handlers);

// The operator listener (--metrics-listen), without authentication (it belongs on a private
// address): GET /metrics, and the probes /healthz and /readyz as the Backend API serves them.
std::vector<ApiRoute> OperatorRoutes(MetricsHandler& metrics, HealthHandler& health);

}  // namespace orgd::api
