#include "api/routes.h"

#include "api/backend/api_version.h"
#include "api/error_response.h"

namespace orgd::api {
namespace {

using http::Method;

// Backend API middleware: the secret key, then the API version, then the handler.
http::Handler Backend(const SecretKeyAuth& auth, http::Handler handler) {
  return
      [&auth, handler = std::move(handler)](const http::Request& request, http::Responder respond) {
        if (auto r = auth.Check(request); !r) {
          return respond.Send(ErrorResponse(r.error(), request.request_id));
        }
        if (auto v = RequestedApiVersion(request); !v) {
          return respond.Send(ErrorResponse(v.error(), request.request_id));
        }
        handler(request, std::move(respond));
      };
}

template <class H>
http::Handler Bind(H& object, void (H::*method)(const http::Request&, http::Responder)) {
  return [&object, method](const http::Request& request, http::Responder respond) {
    (object.*method)(request, std::move(respond));
  };
}

}  // namespace

void RegisterRoutes(http::Router& router, const Handlers& h) {
  const SecretKeyAuth& auth = h.backend_auth;
  auto& orgs = h.organizations;

  // Backend API: organizations (BEHAVIOR.md §3.1).
  router.Add(Method::kPost, "/v1/organizations",
             Backend(auth, Bind(orgs, &OrganizationsHandler::Create)));
  router.Add(Method::kGet, "/v1/organizations",
             Backend(auth, Bind(orgs, &OrganizationsHandler::List)));
  router.Add(Method::kGet, "/v1/organizations/{organization_id}",
             Backend(auth, Bind(orgs, &OrganizationsHandler::Get)));
  router.Add(Method::kPatch, "/v1/organizations/{organization_id}",
             Backend(auth, Bind(orgs, &OrganizationsHandler::Update)));
  router.Add(Method::kDelete, "/v1/organizations/{organization_id}",
             Backend(auth, Bind(orgs, &OrganizationsHandler::Delete)));
  router.Add(Method::kPatch, "/v1/organizations/{organization_id}/metadata",
             Backend(auth, Bind(orgs, &OrganizationsHandler::MergeMetadata)));
  router.Add(Method::kPut, "/v1/organizations/{organization_id}/metadata",
             Backend(auth, Bind(orgs, &OrganizationsHandler::ReplaceMetadata)));
  http::RouteOptions upload;
  upload.body_limit = OrganizationsHandler::kLogoRequestLimit;
  // An oversize upload is still checked for the key first: no 413 leaks to strangers.
  upload.on_body_too_large = Backend(auth, Bind(orgs, &OrganizationsHandler::LogoTooLarge));
  router.Add(Method::kPut, "/v1/organizations/{organization_id}/logo",
             Backend(auth, Bind(orgs, &OrganizationsHandler::SetLogo)), upload);
  router.Add(Method::kDelete, "/v1/organizations/{organization_id}/logo",
             Backend(auth, Bind(orgs, &OrganizationsHandler::DeleteLogo)));

  // Backend API: organization memberships (BEHAVIOR.md §3.2).
  auto& members = h.memberships;
  router.Add(Method::kPost, "/v1/organizations/{organization_id}/memberships",
             Backend(auth, Bind(members, &MembershipsHandler::Create)));
  router.Add(Method::kGet, "/v1/organizations/{organization_id}/memberships",
             Backend(auth, Bind(members, &MembershipsHandler::List)));
  router.Add(Method::kPatch, "/v1/organizations/{organization_id}/memberships/{user_id}",
             Backend(auth, Bind(members, &MembershipsHandler::Update)));
  router.Add(Method::kDelete, "/v1/organizations/{organization_id}/memberships/{user_id}",
             Backend(auth, Bind(members, &MembershipsHandler::Delete)));
  router.Add(Method::kPatch, "/v1/organizations/{organization_id}/memberships/{user_id}/metadata",
             Backend(auth, Bind(members, &MembershipsHandler::MergeMetadata)));
  router.Add(Method::kGet, "/v1/organization_memberships",
             Backend(auth, Bind(members, &MembershipsHandler::ListInstance)));
  router.Add(Method::kGet, "/v1/users/{user_id}/organization_memberships",
             Backend(auth, Bind(members, &MembershipsHandler::ListForUser)));

  // Backend API: users, the subset memberships need (BEHAVIOR.md §3.7).
  auto& users = h.users;
  router.Add(Method::kPost, "/v1/users", Backend(auth, Bind(users, &UsersHandler::Create)));
  router.Add(Method::kGet, "/v1/users", Backend(auth, Bind(users, &UsersHandler::List)));
  router.Add(Method::kGet, "/v1/users/count", Backend(auth, Bind(users, &UsersHandler::Count)));
  router.Add(Method::kGet, "/v1/users/{user_id}", Backend(auth, Bind(users, &UsersHandler::Get)));
  router.Add(Method::kPatch, "/v1/users/{user_id}",
             Backend(auth, Bind(users, &UsersHandler::Update)));
  router.Add(Method::kDelete, "/v1/users/{user_id}",
             Backend(auth, Bind(users, &UsersHandler::Delete)));
  router.Add(Method::kPatch, "/v1/users/{user_id}/metadata",
             Backend(auth, Bind(users, &UsersHandler::MergeMetadata)));
  router.Add(Method::kPut, "/v1/users/{user_id}/metadata",
             Backend(auth, Bind(users, &UsersHandler::ReplaceMetadata)));
  http::RouteOptions image_upload;
  image_upload.body_limit = UsersHandler::kImageRequestLimit;
  image_upload.on_body_too_large = Backend(auth, Bind(users, &UsersHandler::ImageTooLarge));
  router.Add(Method::kPost, "/v1/users/{user_id}/profile_image",
             Backend(auth, Bind(users, &UsersHandler::SetProfileImage)), image_upload);
  router.Add(Method::kDelete, "/v1/users/{user_id}/profile_image",
             Backend(auth, Bind(users, &UsersHandler::DeleteProfileImage)));

  // Backend API: roles and permissions (BEHAVIOR.md §3.5).
  auto& roles = h.roles;
  router.Add(Method::kGet, "/v1/organization_permissions",
             Backend(auth, Bind(roles, &RolesHandler::ListPermissions)));
  router.Add(Method::kPost, "/v1/organization_permissions",
             Backend(auth, Bind(roles, &RolesHandler::CreatePermission)));
  router.Add(Method::kGet, "/v1/organization_permissions/{permission_id}",
             Backend(auth, Bind(roles, &RolesHandler::GetPermission)));
  router.Add(Method::kPatch, "/v1/organization_permissions/{permission_id}",
             Backend(auth, Bind(roles, &RolesHandler::UpdatePermission)));
  router.Add(Method::kDelete, "/v1/organization_permissions/{permission_id}",
             Backend(auth, Bind(roles, &RolesHandler::DeletePermission)));
  router.Add(Method::kGet, "/v1/organization_roles",
             Backend(auth, Bind(roles, &RolesHandler::ListRoles)));
  router.Add(Method::kPost, "/v1/organization_roles",
             Backend(auth, Bind(roles, &RolesHandler::CreateRole)));
  router.Add(Method::kGet, "/v1/organization_roles/{organization_role_id}",
             Backend(auth, Bind(roles, &RolesHandler::GetRole)));
  router.Add(Method::kPatch, "/v1/organization_roles/{organization_role_id}",
             Backend(auth, Bind(roles, &RolesHandler::UpdateRole)));
  router.Add(Method::kDelete, "/v1/organization_roles/{organization_role_id}",
             Backend(auth, Bind(roles, &RolesHandler::DeleteRole)));
  router.Add(Method::kPost,
             "/v1/organization_roles/{organization_role_id}/permissions/{permission_id}",
             Backend(auth, Bind(roles, &RolesHandler::AddPermission)));
  router.Add(Method::kDelete,
             "/v1/organization_roles/{organization_role_id}/permissions/{permission_id}",
             Backend(auth, Bind(roles, &RolesHandler::RemovePermission)));

  // Backend API: instance organization settings (BEHAVIOR.md §3.6).
  router.Add(Method::kGet, "/v1/instance/organization_settings",
             Backend(auth, Bind(h.settings, &SettingsHandler::Get)));
  router.Add(Method::kPatch, "/v1/instance/organization_settings",
             Backend(auth, Bind(h.settings, &SettingsHandler::Update)));

  // Public: images and health.
  router.Add(Method::kGet, "/images/default/{file}", Bind(h.images, &ImagesHandler::GetDefault));
  router.Add(Method::kGet, "/images/{image_id}", Bind(h.images, &ImagesHandler::GetStored));
  router.Add(Method::kGet, "/healthz", Bind(h.health, &HealthHandler::Live));
  router.Add(Method::kGet, "/readyz", Bind(h.health, &HealthHandler::Ready));
}

}  // namespace orgd::api
