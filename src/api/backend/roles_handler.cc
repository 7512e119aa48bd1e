#include "api/backend/roles_handler.h"

#include "api/body_reader.h"
#include "api/json/organization_json.h"
#include "api/json/role_json.h"
#include "api/query_params.h"
#include "api/reply.h"

namespace orgd::api {
namespace {

using domain::Permission;
using domain::Role;

// limit, offset, query, order_by ∈ created_at, name, key (default -created_at).
Result<store::CatalogListQuery> ParseCatalogQuery(const http::Request& request) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return params.error();
  auto page = ParsePagination(*params);
  if (!page) return page.error();
  auto order = ParseOrderBy(*params, {"created_at", "name", "key"},
                            {"created_at", store::SortDirection::kDescending});
  if (!order) return order.error();
  store::CatalogListQuery q;
  q.limit = page->limit;
  q.offset = page->offset;
  if (auto v = params->Get("query"); v && !v->empty()) q.query = std::string(*v);
  q.sort = order->field == "name"  ? store::CatalogSortField::kName
           : order->field == "key" ? store::CatalogSortField::kKey
                                   : store::CatalogSortField::kCreatedAt;
  q.direction = order->direction;
  return q;
}

Result<service::PermissionCommand> ReadPermission(const http::Request& request) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return body.error();
  BodyReader in(*body);
  service::PermissionCommand cmd;
  cmd.name = in.String("name");
  cmd.key = in.String("key");
  cmd.description = in.String("description");
  if (auto done = in.Finish(); !done) return done.error();
  return cmd;
}

Result<service::RoleCommand> ReadRole(const http::Request& request) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return body.error();
  BodyReader in(*body);
  service::RoleCommand cmd;
  cmd.name = in.String("name");
  cmd.key = in.String("key");
  cmd.description = in.String("description");
  cmd.permissions = in.StringArray("permissions");
  // Role sets are not built; a role is always available to every organization.
  in.Bool("include_in_initial_role_set");
  if (auto done = in.Finish(); !done) return done.error();
  return cmd;
}

service::Callback<Permission> ReplyPermission(const http::Request& request,
                                              http::Responder respond) {
  return ReplyWith<Permission>(std::move(respond), request.request_id, json::PermissionJson);
}

service::Callback<Role> ReplyRole(const http::Request& request, http::Responder respond) {
  return ReplyWith<Role>(std::move(respond), request.request_id, json::RoleJson);
}

std::string PathParam(const http::Request& request, std::string_view name) {
  return std::string(request.PathParam(name));
}

}  // namespace

void RolesHandler::CreatePermission(const service::RequestContext& ctx,
                                    const http::Request& request, http::Responder respond) {
  auto cmd = ReadPermission(request);
  if (!cmd) return Fail(request, respond, cmd.error());
  service_.CreatePermission(ctx, std::move(*cmd), ReplyPermission(request, std::move(respond)));
}

void RolesHandler::ListPermissions(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  auto q = ParseCatalogQuery(request);
  if (!q) return Fail(request, respond, q.error());
  service_.ListPermissions(ctx, std::move(*q),
                           ReplyWith<store::Page<Permission>>(
                               std::move(respond), request.request_id, json::PermissionListJson));
}

void RolesHandler::GetPermission(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  service_.GetPermission(ctx, PathParam(request, "permission_id"),
                         ReplyPermission(request, std::move(respond)));
}

void RolesHandler::UpdatePermission(const service::RequestContext& ctx,
                                    const http::Request& request, http::Responder respond) {
  auto cmd = ReadPermission(request);
  if (!cmd) return Fail(request, respond, cmd.error());
  service_.UpdatePermission(ctx, PathParam(request, "permission_id"), std::move(*cmd),
                            ReplyPermission(request, std::move(respond)));
}

void RolesHandler::DeletePermission(const service::RequestContext& ctx,
                                    const http::Request& request, http::Responder respond) {
  service_.DeletePermission(
      ctx, PathParam(request, "permission_id"),
      ReplyWith<std::string>(std::move(respond), request.request_id, [](const std::string& id) {
        return json::DeletedObjectJson("permission", id);
      }));
}

void RolesHandler::CreateRole(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond) {
  auto cmd = ReadRole(request);
  if (!cmd) return Fail(request, respond, cmd.error());
  service_.CreateRole(ctx, std::move(*cmd), ReplyRole(request, std::move(respond)));
}

void RolesHandler::ListRoles(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  auto q = ParseCatalogQuery(request);
  if (!q) return Fail(request, respond, q.error());
  service_.ListRoles(
      ctx, std::move(*q),
      ReplyWith<store::Page<Role>>(std::move(respond), request.request_id, json::RoleListJson));
}

void RolesHandler::GetRole(const service::RequestContext& ctx, const http::Request& request,
                           http::Responder respond) {
  service_.GetRole(ctx, PathParam(request, "organization_role_id"),
                   ReplyRole(request, std::move(respond)));
}

void RolesHandler::UpdateRole(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond) {
  auto cmd = ReadRole(request);
  if (!cmd) return Fail(request, respond, cmd.error());
  service_.UpdateRole(ctx, PathParam(request, "organization_role_id"), std::move(*cmd),
                      ReplyRole(request, std::move(respond)));
}

void RolesHandler::DeleteRole(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond) {
  service_.DeleteRole(
      ctx, PathParam(request, "organization_role_id"),
      ReplyWith<std::string>(std::move(respond), request.request_id, [](const std::string& id) {
        return json::DeletedObjectJson("role", id);
      }));
}

void RolesHandler::AddPermission(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  service_.AddPermission(ctx, PathParam(request, "organization_role_id"),
                         PathParam(request, "permission_id"),
                         ReplyRole(request, std::move(respond)));
}

void RolesHandler::RemovePermission(const service::RequestContext& ctx,
                                    const http::Request& request, http::Responder respond) {
  service_.RemovePermission(ctx, PathParam(request, "organization_role_id"),
                            PathParam(request, "permission_id"),
                            ReplyRole(request, std::move(respond)));
}

}  // namespace orgd::api
