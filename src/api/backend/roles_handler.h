// The Backend API's roles and permissions (/v1/organization_roles, /v1/organization_permissions;
// BEHAVIOR.md §3.5), as thin adapters over RoleService. Routes are registered in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "http/request.h"
#include "service/request_context.h"
#include "service/role_service.h"

namespace orgd::api {

class RolesHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  explicit RolesHandler(service::RoleService& service) : service_(service) {}

  // /v1/organization_permissions[/{permission_id}]
  void CreatePermission(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);
  void ListPermissions(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond);
  void GetPermission(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);
  void UpdatePermission(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);
  void DeletePermission(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);

  // /v1/organization_roles[/{organization_role_id}[/permissions/{permission_id}]]
  void CreateRole(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);
  void ListRoles(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond);
  void GetRole(const service::RequestContext& ctx, const http::Request& request,
               http::Responder respond);
  void UpdateRole(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);
  void DeleteRole(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);
  void AddPermission(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);
  void RemovePermission(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);

 private:
  service::RoleService& service_;
};

}  // namespace orgd::api
