#include "api/routes.h"

#include <map>

#include "api/backend/api_version.h"
#include "api/error_response.h"
#include "api/query_params.h"
#include "api/transport_errors.h"

namespace orgd::api {
namespace {

using http::Method;
using service::RequestContext;

template <class H>
ApiHandler Bind(H& object,
                void (H::*method)(const RequestContext&, const http::Request&, http::Responder)) {
  return [&object, method](const RequestContext& ctx, const http::Request& request,
                           http::Responder respond) {
    (object.*method)(ctx, request, std::move(respond));
  };
}

RequestContext BaseContext(const http::Request& request, service::Api api) {
  RequestContext ctx;
  ctx.request_id = request.request_id;
  ctx.api = api;
  ctx.remote_ip = request.remote_ip;
  ctx.user_agent = request.Header("user-agent");
  return ctx;
}

// The middleware: authenticates the caller as the route says, parses the API version once, and
// runs the handler with the context.
http::Handler WithContext(Auth auth_kind, service::Api api, const SecretKeyAuth& auth,
                          ApiHandler handler) {
  return [auth_kind, api, &auth, handler = std::move(handler)](const http::Request& request,
                                                               http::Responder respond) {
    RequestContext ctx = BaseContext(request, api);
    switch (auth_kind) {
      case Auth::kSecretKey: {
        auto key = auth.Check(request);
        if (!key) return respond.Send(ErrorResponse(key.error(), request.request_id));
        auto version = RequestedApiVersion(request);
        if (!version) return respond.Send(ErrorResponse(version.error(), request.request_id));
        ctx.caller = service::Caller::SecretKey(std::string(*key));
        ctx.api_version = *version;
        request.caller_kind = "secret_key";
        request.caller_id = ctx.caller.id;
        break;
      }
      case Auth::kPublic:
        ctx.caller = service::Caller::Anonymous();
        break;
    }
    handler(ctx, request, std::move(respond));
  };
}

}  // namespace

std::vector<ApiRoute> BackendApiRoutes(const Handlers& h) {
  auto& orgs = h.organizations;
  auto& members = h.memberships;
  auto& invitations = h.invitations;
  auto& users = h.users;
  auto& roles = h.roles;
  http::RouteOptions logo_upload;
  logo_upload.body_limit = OrganizationsHandler::kLogoRequestLimit;
  http::RouteOptions image_upload;
  image_upload.body_limit = UsersHandler::kImageRequestLimit;
  constexpr Auth kKey = Auth::kSecretKey;
  return {
      // Organizations (BEHAVIOR.md §3.1).
      {Method::kPost, "/v1/organizations", kKey, Bind(orgs, &OrganizationsHandler::Create)},
      {Method::kGet, "/v1/organizations", kKey, Bind(orgs, &OrganizationsHandler::List)},
      {Method::kGet, "/v1/organizations/{organization_id}", kKey,
       Bind(orgs, &OrganizationsHandler::Get)},
      {Method::kPatch, "/v1/organizations/{organization_id}", kKey,
       Bind(orgs, &OrganizationsHandler::Update)},
      {Method::kDelete, "/v1/organizations/{organization_id}", kKey,
       Bind(orgs, &OrganizationsHandler::Delete)},
      {Method::kPatch, "/v1/organizations/{organization_id}/metadata", kKey,
       Bind(orgs, &OrganizationsHandler::MergeMetadata)},
      {Method::kPut, "/v1/organizations/{organization_id}/metadata", kKey,
       Bind(orgs, &OrganizationsHandler::ReplaceMetadata)},
      // An oversize upload is still checked for the key first: no 413 leaks to strangers.
      {Method::kPut, "/v1/organizations/{organization_id}/logo", kKey,
       Bind(orgs, &OrganizationsHandler::SetLogo), logo_upload,
       Bind(orgs, &OrganizationsHandler::LogoTooLarge)},
      {Method::kDelete, "/v1/organizations/{organization_id}/logo", kKey,
       Bind(orgs, &OrganizationsHandler::DeleteLogo)},

      // Organization memberships (§3.2).
      {Method::kPost, "/v1/organizations/{organization_id}/memberships", kKey,
       Bind(members, &MembershipsHandler::Create)},
      {Method::kGet, "/v1/organizations/{organization_id}/memberships", kKey,
       Bind(members, &MembershipsHandler::List)},
      {Method::kPatch, "/v1/organizations/{organization_id}/memberships/{user_id}", kKey,
       Bind(members, &MembershipsHandler::Update)},
      {Method::kDelete, "/v1/organizations/{organization_id}/memberships/{user_id}", kKey,
       Bind(members, &MembershipsHandler::Delete)},
      {Method::kPatch, "/v1/organizations/{organization_id}/memberships/{user_id}/metadata", kKey,
       Bind(members, &MembershipsHandler::MergeMetadata)},
      {Method::kGet, "/v1/organization_memberships", kKey,
       Bind(members, &MembershipsHandler::ListInstance)},
      {Method::kGet, "/v1/users/{user_id}/organization_memberships", kKey,
       Bind(members, &MembershipsHandler::ListForUser)},

      // Organization invitations (§3.3). The literal segments (bulk, pending) win over the
      // {invitation_id} placeholder.
      {Method::kPost, "/v1/organizations/{organization_id}/invitations", kKey,
       Bind(invitations, &InvitationsHandler::Create)},
      {Method::kPost, "/v1/organizations/{organization_id}/invitations/bulk", kKey,
       Bind(invitations, &InvitationsHandler::CreateBulk)},
      {Method::kGet, "/v1/organizations/{organization_id}/invitations", kKey,
       Bind(invitations, &InvitationsHandler::List)},
      {Method::kGet, "/v1/organizations/{organization_id}/invitations/pending", kKey,
       Bind(invitations, &InvitationsHandler::ListPending)},
      {Method::kGet, "/v1/organizations/{organization_id}/invitations/{invitation_id}", kKey,
       Bind(invitations, &InvitationsHandler::Get)},
      {Method::kPost, "/v1/organizations/{organization_id}/invitations/{invitation_id}/revoke",
       kKey, Bind(invitations, &InvitationsHandler::Revoke)},
      {Method::kGet, "/v1/organization_invitations", kKey,
       Bind(invitations, &InvitationsHandler::ListInstance)},
      {Method::kGet, "/v1/users/{user_id}/organization_invitations", kKey,
       Bind(invitations, &InvitationsHandler::ListForUser)},

      // Organization domains (§3.4).
      {Method::kPost, "/v1/organizations/{organization_id}/domains", kKey,
       Bind(h.domains, &DomainsHandler::Create)},
      {Method::kGet, "/v1/organizations/{organization_id}/domains", kKey,
       Bind(h.domains, &DomainsHandler::List)},
      {Method::kPatch, "/v1/organizations/{organization_id}/domains/{domain_id}", kKey,
       Bind(h.domains, &DomainsHandler::Update)},
      {Method::kDelete, "/v1/organizations/{organization_id}/domains/{domain_id}", kKey,
       Bind(h.domains, &DomainsHandler::Delete)},
      {Method::kPost, "/v1/organizations/{organization_id}/domains/{domain_id}/verify_ownership",
       kKey, Bind(h.domains, &DomainsHandler::VerifyOwnership)},
      {Method::kGet, "/v1/organization_domains", kKey,
       Bind(h.domains, &DomainsHandler::ListInstance)},

      // Sessions, their tokens and the keys that verify them (§3.8).
      {Method::kPost, "/v1/sessions", kKey, Bind(h.sessions, &SessionsHandler::Create)},
      {Method::kGet, "/v1/sessions", kKey, Bind(h.sessions, &SessionsHandler::List)},
      {Method::kGet, "/v1/sessions/{session_id}", kKey, Bind(h.sessions, &SessionsHandler::Get)},
      {Method::kPost, "/v1/sessions/{session_id}/revoke", kKey,
       Bind(h.sessions, &SessionsHandler::Revoke)},
      {Method::kPost, "/v1/sessions/{session_id}/tokens", kKey,
       Bind(h.sessions, &SessionsHandler::CreateToken)},
      {Method::kPost, "/v1/sessions/{session_id}/tokens/{template_name}", kKey,
       Bind(h.sessions, &SessionsHandler::CreateToken)},
      {Method::kGet, "/v1/jwks", kKey, Bind(h.sessions, &SessionsHandler::Jwks)},
      {Method::kPost, "/v1/sign_in_tokens", kKey,
       Bind(h.sign_in_tokens, &SignInTokensHandler::Create)},
      {Method::kPost, "/v1/sign_in_tokens/{sign_in_token_id}/revoke", kKey,
       Bind(h.sign_in_tokens, &SignInTokensHandler::Revoke)},

      // Users, the subset memberships need (§3.7).
      {Method::kPost, "/v1/users", kKey, Bind(users, &UsersHandler::Create)},
      {Method::kGet, "/v1/users", kKey, Bind(users, &UsersHandler::List)},
      {Method::kGet, "/v1/users/count", kKey, Bind(users, &UsersHandler::Count)},
      {Method::kGet, "/v1/users/{user_id}", kKey, Bind(users, &UsersHandler::Get)},
      {Method::kPatch, "/v1/users/{user_id}", kKey, Bind(users, &UsersHandler::Update)},
      {Method::kDelete, "/v1/users/{user_id}", kKey, Bind(users, &UsersHandler::Delete)},
      {Method::kPatch, "/v1/users/{user_id}/metadata", kKey,
       Bind(users, &UsersHandler::MergeMetadata)},
      {Method::kPut, "/v1/users/{user_id}/metadata", kKey,
       Bind(users, &UsersHandler::ReplaceMetadata)},
      {Method::kPost, "/v1/users/{user_id}/profile_image", kKey,
       Bind(users, &UsersHandler::SetProfileImage), image_upload,
       Bind(users, &UsersHandler::ImageTooLarge)},
      {Method::kDelete, "/v1/users/{user_id}/profile_image", kKey,
       Bind(users, &UsersHandler::DeleteProfileImage)},

      // Roles and permissions (§3.5).
      {Method::kGet, "/v1/organization_permissions", kKey,
       Bind(roles, &RolesHandler::ListPermissions)},
      {Method::kPost, "/v1/organization_permissions", kKey,
       Bind(roles, &RolesHandler::CreatePermission)},
      {Method::kGet, "/v1/organization_permissions/{permission_id}", kKey,
       Bind(roles, &RolesHandler::GetPermission)},
      {Method::kPatch, "/v1/organization_permissions/{permission_id}", kKey,
       Bind(roles, &RolesHandler::UpdatePermission)},
      {Method::kDelete, "/v1/organization_permissions/{permission_id}", kKey,
       Bind(roles, &RolesHandler::DeletePermission)},
      {Method::kGet, "/v1/organization_roles", kKey, Bind(roles, &RolesHandler::ListRoles)},
      {Method::kPost, "/v1/organization_roles", kKey, Bind(roles, &RolesHandler::CreateRole)},
      {Method::kGet, "/v1/organization_roles/{organization_role_id}", kKey,
       Bind(roles, &RolesHandler::GetRole)},
      {Method::kPatch, "/v1/organization_roles/{organization_role_id}", kKey,
       Bind(roles, &RolesHandler::UpdateRole)},
      {Method::kDelete, "/v1/organization_roles/{organization_role_id}", kKey,
       Bind(roles, &RolesHandler::DeleteRole)},
      {Method::kPost, "/v1/organization_roles/{organization_role_id}/permissions/{permission_id}",
       kKey, Bind(roles, &RolesHandler::AddPermission)},
      {Method::kDelete, "/v1/organization_roles/{organization_role_id}/permissions/{permission_id}",
       kKey, Bind(roles, &RolesHandler::RemovePermission)},

      // Instance organization settings (§3.6).
      {Method::kGet, "/v1/instance/organization_settings", kKey,
       Bind(h.settings, &SettingsHandler::Get)},
      {Method::kPatch, "/v1/instance/organization_settings", kKey,
       Bind(h.settings, &SettingsHandler::Update)},

      // Webhooks: an orgd extension (Clerk keeps endpoints in its dashboard).
      {Method::kPost, "/v1/webhook_endpoints", kKey, Bind(h.webhooks, &WebhooksHandler::Create)},
      {Method::kGet, "/v1/webhook_endpoints", kKey, Bind(h.webhooks, &WebhooksHandler::List)},
      {Method::kGet, "/v1/webhook_endpoints/{endpoint_id}", kKey,
       Bind(h.webhooks, &WebhooksHandler::Get)},
      {Method::kPatch, "/v1/webhook_endpoints/{endpoint_id}", kKey,
       Bind(h.webhooks, &WebhooksHandler::Update)},
      {Method::kDelete, "/v1/webhook_endpoints/{endpoint_id}", kKey,
       Bind(h.webhooks, &WebhooksHandler::Delete)},
      {Method::kPost, "/v1/webhook_endpoints/{endpoint_id}/rotate_secret", kKey,
       Bind(h.webhooks, &WebhooksHandler::RotateSecret)},
      {Method::kGet, "/v1/webhook_endpoints/{endpoint_id}/messages", kKey,
       Bind(h.webhooks, &WebhooksHandler::ListMessages)},
      {Method::kPost, "/v1/webhook_endpoints/{endpoint_id}/messages/{message_id}/retry", kKey,
       Bind(h.webhooks, &WebhooksHandler::RetryMessage)},
      {Method::kPost, "/v1/webhook_endpoints/{endpoint_id}/recover", kKey,
       Bind(h.webhooks, &WebhooksHandler::Recover)},
      {Method::kGet, "/v1/events", kKey, Bind(h.webhooks, &WebhooksHandler::Events)},
      // orgd's audit log: who changed what (tests/compat/contract/orgd-extensions.yml).
      {Method::kGet, "/v1/audit_logs", kKey, Bind(h.audit_logs, &AuditLogsHandler::List)},

      // The OpenAPI document of this table (an orgd extension).
      {Method::kGet, "/v1/openapi.json", kKey, Bind(h.openapi, &OpenApiHandler::Get)},

      // Public: images and health.
      {Method::kGet, "/images/default/{file}", Auth::kPublic,
       Bind(h.images, &ImagesHandler::GetDefault)},
      {Method::kGet, "/images/{image_id}", Auth::kPublic,
       Bind(h.images, &ImagesHandler::GetStored)},
      {Method::kGet, "/healthz", Auth::kPublic, Bind(h.health, &HealthHandler::Live)},
      {Method::kGet, "/readyz", Auth::kPublic, Bind(h.health, &HealthHandler::Ready)},
  };
}

std::vector<FrontendRoute> FrontendApiRoutes(const FrontendHandlers& h) {
  auto& client = h.client;
  auto& orgs = h.organizations;
  http::RouteOptions logo_upload;
  logo_upload.body_limit = OrganizationsHandler::kLogoRequestLimit;
  constexpr FrontendAuth kAny = FrontendAuth::kOptional;
  constexpr FrontendAuth kSession = FrontendAuth::kSession;
  using C = FrontendClientHandler;
  using O = FrontendOrganizationsHandler;
  using D = FrontendDomainsHandler;
  auto& dom = h.domains;
  return {
      // The environment and the client (CLERK-JS.md §2).
      {Method::kGet, "/v1/environment", kAny, Bind(client, &C::Environment)},
      {Method::kPatch, "/v1/environment", kAny, Bind(client, &C::Environment)},
      {Method::kGet, "/v1/client", kAny, Bind(client, &C::GetClient)},
      {Method::kDelete, "/v1/client", kAny, Bind(client, &C::DeleteClient)},
      {Method::kGet, "/v1/client/handshake", kAny, Bind(client, &C::Handshake)},
      // Signing in and up, by ticket (§4).
      {Method::kPost, "/v1/client/sign_ins", kAny, Bind(client, &C::SignIn)},
      {Method::kPost, "/v1/client/sign_ups", kAny, Bind(client, &C::SignUp)},
      // The client's sessions (§3). The path's {session_id} is the session the gate checks.
      {Method::kDelete, "/v1/client/sessions", kAny, Bind(client, &C::RemoveAll)},
      {Method::kPost, "/v1/client/sessions/{session_id}/touch", kSession, Bind(client, &C::Touch)},
      {Method::kPost, "/v1/client/sessions/{session_id}/tokens", kSession,
       Bind(client, &C::CreateToken)},
      {Method::kPost, "/v1/client/sessions/{session_id}/tokens/{template_name}", kSession,
       Bind(client, &C::CreateToken)},
      {Method::kPost, "/v1/client/sessions/{session_id}/end", kAny, Bind(client, &C::End)},
      {Method::kPost, "/v1/client/sessions/{session_id}/remove", kAny, Bind(client, &C::Remove)},
      {Method::kGet, "/v1/me", kSession, Bind(client, &C::Me)},

      // The signed-in user's own organizations (§5, BEHAVIOR.md §4.3).
      {Method::kGet, "/v1/me/organization_memberships", kSession, Bind(orgs, &O::MyMemberships)},
      {Method::kDelete, "/v1/me/organization_memberships/{organization_id}", kSession,
       Bind(orgs, &O::LeaveOrganization)},
      {Method::kGet, "/v1/me/organization_invitations", kSession, Bind(orgs, &O::MyInvitations)},
      {Method::kPost, "/v1/me/organization_invitations/{invitation_id}/accept", kSession,
       Bind(orgs, &O::AcceptMyInvitation)},
      {Method::kGet, "/v1/me/organization_suggestions", kSession, Bind(dom, &D::MySuggestions)},
      {Method::kPost, "/v1/me/organization_suggestions/{suggestion_id}/accept", kSession,
       Bind(dom, &D::AcceptSuggestion)},

      // Organizations, decided by the caller's membership (BEHAVIOR.md §4.2).
      {Method::kPost, "/v1/organizations", kSession, Bind(orgs, &O::Create)},
      {Method::kGet, "/v1/organizations/{organization_id}", kSession, Bind(orgs, &O::Get)},
      {Method::kPatch, "/v1/organizations/{organization_id}", kSession, Bind(orgs, &O::Update)},
      {Method::kDelete, "/v1/organizations/{organization_id}", kSession, Bind(orgs, &O::Delete)},
      {Method::kPut, "/v1/organizations/{organization_id}/logo", kSession, Bind(orgs, &O::SetLogo),
       logo_upload, Bind(orgs, &O::LogoTooLarge)},
      {Method::kDelete, "/v1/organizations/{organization_id}/logo", kSession,
       Bind(orgs, &O::DeleteLogo)},
      {Method::kGet, "/v1/organizations/{organization_id}/memberships", kSession,
       Bind(orgs, &O::ListMemberships)},
      {Method::kPost, "/v1/organizations/{organization_id}/memberships", kSession,
       Bind(orgs, &O::AddMember)},
      {Method::kPatch, "/v1/organizations/{organization_id}/memberships/{user_id}", kSession,
       Bind(orgs, &O::UpdateMember)},
      {Method::kDelete, "/v1/organizations/{organization_id}/memberships/{user_id}", kSession,
       Bind(orgs, &O::RemoveMember)},
      {Method::kGet, "/v1/organizations/{organization_id}/invitations", kSession,
       Bind(orgs, &O::ListInvitations)},
      {Method::kPost, "/v1/organizations/{organization_id}/invitations", kSession,
       Bind(orgs, &O::Invite)},
      {Method::kPost, "/v1/organizations/{organization_id}/invitations/bulk", kSession,
       Bind(orgs, &O::InviteBulk)},
      {Method::kPost, "/v1/organizations/{organization_id}/invitations/{invitation_id}/revoke",
       kSession, Bind(orgs, &O::RevokeInvitation)},
      {Method::kGet, "/v1/organizations/{organization_id}/roles", kSession,
       Bind(orgs, &O::ListRoles)},

      // Domains and membership requests (BEHAVIOR.md §4.2).
      {Method::kGet, "/v1/organizations/{organization_id}/domains", kSession, Bind(dom, &D::List)},
      {Method::kPost, "/v1/organizations/{organization_id}/domains", kSession,
       Bind(dom, &D::Create)},
      {Method::kPost, "/v1/organizations/{organization_id}/domains/bulk", kSession,
       Bind(dom, &D::CreateBulk)},
      {Method::kPost,
       "/v1/organizations/{organization_id}/domains/prepare_ownership_verification/bulk", kSession,
       Bind(dom, &D::PrepareOwnershipBulk)},
      {Method::kPost,
       "/v1/organizations/{organization_id}/domains/attempt_ownership_verification/bulk", kSession,
       Bind(dom, &D::AttemptOwnershipBulk)},
      {Method::kGet, "/v1/organizations/{organization_id}/domains/{domain_id}", kSession,
       Bind(dom, &D::Get)},
      {Method::kDelete, "/v1/organizations/{organization_id}/domains/{domain_id}", kSession,
       Bind(dom, &D::Delete)},
      {Method::kPost,
       "/v1/organizations/{organization_id}/domains/{domain_id}/update_enrollment_mode", kSession,
       Bind(dom, &D::UpdateEnrollmentMode)},
      {Method::kPost,
       "/v1/organizations/{organization_id}/domains/{domain_id}/prepare_affiliation_verification",
       kSession, Bind(dom, &D::PrepareAffiliation)},
      {Method::kPost,
       "/v1/organizations/{organization_id}/domains/{domain_id}/attempt_affiliation_verification",
       kSession, Bind(dom, &D::AttemptAffiliation)},
      {Method::kPost,
       "/v1/organizations/{organization_id}/domains/{domain_id}/prepare_ownership_verification",
       kSession, Bind(dom, &D::PrepareOwnership)},
      {Method::kPost,
       "/v1/organizations/{organization_id}/domains/{domain_id}/attempt_ownership_verification",
       kSession, Bind(dom, &D::AttemptOwnership)},
      {Method::kGet, "/v1/organizations/{organization_id}/membership_requests", kSession,
       Bind(dom, &D::ListRequests)},
      {Method::kPost, "/v1/organizations/{organization_id}/membership_requests/{request_id}/accept",
       kSession, Bind(dom, &D::AcceptRequest)},
      {Method::kPost, "/v1/organizations/{organization_id}/membership_requests/{request_id}/reject",
       kSession, Bind(dom, &D::RejectRequest)},

      // The images the answers link (logos, avatars), for the browser's <img>.
      {Method::kGet, "/images/default/{file}", kAny, Bind(h.images, &ImagesHandler::GetDefault)},
      {Method::kGet, "/images/{image_id}", kAny, Bind(h.images, &ImagesHandler::GetStored)},
  };
}

void MountFrontend(http::Router& router, const FrontendHandlers& handlers) {
  // The routes of each path, in table order.
  std::vector<std::string_view> paths;
  std::map<std::string_view, std::vector<FrontendRoute>> by_path;
  for (FrontendRoute& route : FrontendApiRoutes(handlers)) {
    auto& list = by_path[route.path];
    if (list.empty()) paths.push_back(route.path);
    list.push_back(std::move(route));
  }
  const FrontendSettings& settings = handlers.settings;
  service::ClientService& clients = handlers.clients;
  for (std::string_view path : paths) {
    std::map<Method, http::Handler> changes;  // what a POST with ?_method= may reach
    http::RouteOptions post_options;          // the largest body any of them takes
    bool post_options_set = false;
    for (const FrontendRoute& route : by_path[path]) {
      http::RouteOptions options = route.options;
      if (route.on_body_too_large) {
        options.on_body_too_large =
            FrontendGate(route.auth, settings, clients,
                         handlers.limits.WrapFrontend(route.method, path, route.on_body_too_large));
      }
      http::Handler gated =
          FrontendGate(route.auth, settings, clients,
                       handlers.limits.WrapFrontend(route.method, path, route.handler));
      if (route.method != Method::kGet) {
        changes[route.method] = gated;
        if (!post_options_set || options.body_limit > post_options.body_limit) {
          post_options = options;
          post_options_set = true;
        }
      }
      // Real PATCH, PUT and DELETE work too (native apps and tests send them).
      if (route.method != Method::kPost) {
        router.Add(route.method, path, std::move(gated), std::move(options));
      }
    }
    if (!changes.empty()) {
      router.Add(
          Method::kPost, path,
          [changes = std::move(changes)](const http::Request& request, http::Responder respond) {
            auto params = QueryParams::Parse(request.query);
            if (!params) return respond.Send(ErrorResponse(params.error(), request.request_id));
            // Two _method values could be read differently by a proxy in front: refuse them.
            if (params->GetAll("_method").size() > 1) {
              return respond.Send(ErrorResponse(
                  Error(ErrorCode::kBadRequest, "malformed_request_parameters",
                        "Malformed request parameters", "The request has more than one _method."),
                  request.request_id));
            }
            const std::string_view name = params->Get("_method").value_or("POST");
            const Method method = http::ParseMethod(name);
            auto it = changes.find(method);
            if (it == changes.end() || method == Method::kGet) {
              return respond.Send(
                  ErrorResponse(MethodNotAllowed(name, request.path), request.request_id));
            }
            it->second(request, std::move(respond));
          },
          std::move(post_options));
    }
    router.Add(Method::kOptions, path, FrontendPreflight(settings));
  }
}

void Mount(http::Router& router, const std::vector<ApiRoute>& routes, service::Api api,
           const SecretKeyAuth& auth, const RateLimits& limits) {
  for (const ApiRoute& route : routes) {
    auto limited = [&](const ApiHandler& handler) {
      return route.auth == Auth::kSecretKey ? limits.WrapBackend(route.method, route.path, handler)
                                            : handler;
    };
    http::RouteOptions options = route.options;
    if (route.on_body_too_large) {
      options.on_body_too_large =
          WithContext(route.auth, api, auth, limited(route.on_body_too_large));
    }
    router.Add(route.method, route.path, WithContext(route.auth, api, auth, limited(route.handler)),
               std::move(options));
  }
}

std::vector<ApiRoute> OperatorRoutes(MetricsHandler& metrics, HealthHandler& health) {
  return {
      {Method::kGet, "/metrics", Auth::kPublic, Bind(metrics, &MetricsHandler::Get)},
      {Method::kGet, "/healthz", Auth::kPublic, Bind(health, &HealthHandler::Live)},
      {Method::kGet, "/readyz", Auth::kPublic, Bind(health, &HealthHandler::Ready)},
  };
}

void RegisterRoutes(http::Router& router, const Handlers& handlers) {
  const std::vector<ApiRoute> routes = BackendApiRoutes(handlers);
  std::vector<RouteKey> keys;
  for (const ApiRoute& route : routes) {
    keys.push_back({route.method, std::string(route.path), route.auth == Auth::kSecretKey});
  }
  handlers.openapi.Describe(keys);
  Mount(router, routes, service::Api::kBackend, handlers.backend_auth, handlers.limits);
}

}  // namespace orgd::api
