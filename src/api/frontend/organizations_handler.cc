#include "api/frontend/organizations_handler.h"

#include <boost/json/array.hpp>

#include "api/frontend/frontend_body.h"
#include "api/json/invitation_json.h"
#include "api/json/organization_json.h"
#include "api/json/role_json.h"
#include "api/json/user_json.h"
#include "api/multipart.h"
#include "api/query_params.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

using service::InvitationView;
using service::MembershipView;

}  // namespace

void FrontendOrganizationsHandler::Create(const service::RequestContext& ctx,
                                          const http::Request& request, http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  auto name = StrictFormText(*body, "name");
  if (!name) return Fail(request, respond, name.error());
  auto slug = StrictFormText(*body, "slug");
  if (!slug) return Fail(request, respond, slug.error());
  service::CreateOrganizationCommand cmd;
  cmd.name = std::move(*name);
  cmd.slug = std::move(*slug);
  organizations_.Create(ctx, std::move(cmd),
                        replies_.Change<domain::Organization>(
                            ctx, request, std::move(respond),
                            [&urls = replies_.urls()](const domain::Organization& org) {
                              return json::OrganizationJson(org, urls,
                                                            json::FrontendOrganizationOptions());
                            }));
}

void FrontendOrganizationsHandler::Get(const service::RequestContext& ctx,
                                       const http::Request& request, http::Responder respond) {
  json::OrganizationJsonOptions options;
  options.include_members_count = true;
  service::OrganizationReadOptions read;
  read.count_pending_invitations = true;
  organizations_.Get(ctx, std::string(request.PathParam("organization_id")),
                     replies_.Read<domain::Organization>(
                         request, std::move(respond),
                         [&urls = replies_.urls(), options](const domain::Organization& org) {
                           return json::OrganizationJson(org, urls, options);
                         }),
                     read);
}

void FrontendOrganizationsHandler::Update(const service::RequestContext& ctx,
                                          const http::Request& request, http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  auto name = StrictFormText(*body, "name");
  if (!name) return Fail(request, respond, name.error());
  auto slug = StrictFormText(*body, "slug");
  if (!slug) return Fail(request, respond, slug.error());
  service::UpdateOrganizationCommand cmd;
  cmd.name = std::move(*name);
  cmd.slug = std::move(*slug);
  organizations_.Update(ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
                        replies_.Change<domain::Organization>(
                            ctx, request, std::move(respond),
                            [&urls = replies_.urls()](const domain::Organization& org) {
                              return json::OrganizationJson(org, urls,
                                                            json::FrontendOrganizationOptions());
                            }));
}

void FrontendOrganizationsHandler::Delete(const service::RequestContext& ctx,
                                          const http::Request& request, http::Responder respond) {
  organizations_.Delete(
      ctx, std::string(request.PathParam("organization_id")),
      replies_.Change<service::DeletedOrganization>(
          ctx, request, std::move(respond), [](const service::DeletedOrganization& d) {
            return json::DeletedObjectJson("organization", d.id, d.slug);
          }));
}

void FrontendOrganizationsHandler::SetLogo(const service::RequestContext& ctx,
                                           const http::Request& request, http::Responder respond) {
  service::LogoUpload logo;
  std::string_view type = request.Header("content-type");
  if (type.starts_with("application/octet-stream")) {
    // clerk-js sends a raw body when `file` is a string or a Blob without a form.
    if (request.body.empty()) return Fail(request, respond, errors::ImageMissing());
    logo.bytes = request.body;
  } else {
    auto upload = ReadImageUpload(request);
    if (!upload) return Fail(request, respond, upload.error());
    logo.bytes = std::move(upload->file);
  }
  logo.uploader_user_id = ctx.caller.id;
  organizations_.SetLogo(ctx, std::string(request.PathParam("organization_id")), std::move(logo),
                         replies_.Change<domain::Organization>(
                             ctx, request, std::move(respond),
                             [&urls = replies_.urls()](const domain::Organization& org) {
                               json::OrganizationJsonOptions options =
                                   json::FrontendOrganizationOptions();
                               options.include_logo_url = true;
                               return json::OrganizationJson(org, urls, options);
                             }));
}

void FrontendOrganizationsHandler::DeleteLogo(const service::RequestContext& ctx,
                                              const http::Request& request,
                                              http::Responder respond) {
  organizations_.DeleteLogo(ctx, std::string(request.PathParam("organization_id")),
                            replies_.Change<domain::Organization>(
                                ctx, request, std::move(respond),
                                [&urls = replies_.urls()](const domain::Organization& org) {
                                  return json::OrganizationJson(
                                      org, urls, json::FrontendOrganizationOptions());
                                }));
}

void FrontendOrganizationsHandler::LogoTooLarge(const service::RequestContext&,
                                                const http::Request& request,
                                                http::Responder respond) {
  Fail(request, respond, errors::ImageTooLarge(service::OrganizationService::kMaxLogoBytes));
}

namespace {

// {data, total_count} with `paginated=true`, the bare array otherwise (the Frontend API's
// legacy shape; clerk-js always asks for the page).
boost::json::value MembershipPage(const store::Page<MembershipView>& page,
                                  const json::ImageUrls& urls, bool paginated) {
  boost::json::object o =
      json::MembershipListJson(page, urls, {}, json::FrontendOrganizationOptions());
  if (paginated) return o;
  return std::move(o["data"]);
}

}  // namespace

void FrontendOrganizationsHandler::RunMembershipList(const service::RequestContext& ctx,
                                                     const http::Request& request,
                                                     http::Responder respond,
                                                     const QueryParams& params,
                                                     store::MembershipListQuery query) {
  auto page = ParsePagination(params);
  if (!page) return Fail(request, respond, page.error());
  auto paginated = ParseFlag(params, "paginated");
  if (!paginated) return Fail(request, respond, paginated.error());
  query.limit = page->limit;
  query.offset = page->offset;
  memberships_.List(
      ctx, std::move(query),
      replies_.Read<store::Page<MembershipView>>(
          request, std::move(respond),
          [&urls = replies_.urls(), p = *paginated](const store::Page<MembershipView>& result) {
            return MembershipPage(result, urls, p);
          }),
      /*count_pending_invitations=*/true);
}

void FrontendOrganizationsHandler::ListMemberships(const service::RequestContext& ctx,
                                                   const http::Request& request,
                                                   http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto roles = ParseList(*params, "role");
  if (!roles) return Fail(request, respond, roles.error());
  store::MembershipListQuery query;
  query.organization_id = std::string(request.PathParam("organization_id"));
  query.roles = std::move(*roles);
  if (auto q = params->Get("query"); q && !q->empty()) query.members.query = std::string(*q);
  RunMembershipList(ctx, request, std::move(respond), *params, std::move(query));
}

void FrontendOrganizationsHandler::AddMember(const service::RequestContext& ctx,
                                             const http::Request& request,
                                             http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  auto user_id = StrictFormText(*body, "user_id");
  if (!user_id) return Fail(request, respond, user_id.error());
  auto role = StrictFormText(*body, "role");
  if (!role) return Fail(request, respond, role.error());
  service::CreateMembershipCommand cmd;
  cmd.user_id = std::move(*user_id);
  cmd.role = std::move(*role);
  memberships_.Create(
      ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
      replies_.Change<MembershipView>(
          ctx, request, std::move(respond), [&urls = replies_.urls()](const MembershipView& view) {
            return json::MembershipJson(view, urls, {}, json::FrontendOrganizationOptions());
          }));
}

void FrontendOrganizationsHandler::UpdateMember(const service::RequestContext& ctx,
                                                const http::Request& request,
                                                http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  auto role = StrictFormText(*body, "role");
  if (!role) return Fail(request, respond, role.error());
  memberships_.UpdateRole(
      ctx, std::string(request.PathParam("organization_id")),
      std::string(request.PathParam("user_id")), std::move(*role),
      replies_.Change<MembershipView>(
          ctx, request, std::move(respond), [&urls = replies_.urls()](const MembershipView& view) {
            return json::MembershipJson(view, urls, {}, json::FrontendOrganizationOptions());
          }));
}

void FrontendOrganizationsHandler::RemoveMember(const service::RequestContext& ctx,
                                                const http::Request& request,
                                                http::Responder respond) {
  memberships_.Delete(
      ctx, std::string(request.PathParam("organization_id")),
      std::string(request.PathParam("user_id")),
      replies_.Change<MembershipView>(
          ctx, request, std::move(respond), [&urls = replies_.urls()](const MembershipView& view) {
            return json::MembershipJson(view, urls, {}, json::FrontendOrganizationOptions());
          }));
}

void FrontendOrganizationsHandler::ListInvitations(const service::RequestContext& ctx,
                                                   const http::Request& request,
                                                   http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto statuses = ParseList(*params, "status");
  if (!statuses) return Fail(request, respond, statuses.error());
  store::InvitationListQuery query;
  query.organization_id = std::string(request.PathParam("organization_id"));
  query.limit = page->limit;
  query.offset = page->offset;
  query.statuses = std::move(*statuses);
  query.exclude_enrollment = true;
  invitations_.List(ctx, std::move(query),
                    replies_.Read<store::Page<InvitationView>>(
                        request, std::move(respond),
                        [&urls = replies_.urls()](const store::Page<InvitationView>& result) {
                          return json::InvitationListJson(result, urls);
                        }));
}

void FrontendOrganizationsHandler::Invite(const service::RequestContext& ctx,
                                          const http::Request& request, http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  auto email = StrictFormText(*body, "email_address");
  if (!email) return Fail(request, respond, email.error());
  auto role = StrictFormText(*body, "role");
  if (!role) return Fail(request, respond, role.error());
  service::CreateInvitationCommand cmd;
  cmd.email_address = std::move(*email);
  cmd.role = std::move(*role);
  invitations_.Create(
      ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
      replies_.Change<InvitationView>(ctx, request, std::move(respond),
                                      [&urls = replies_.urls()](const InvitationView& view) {
                                        return json::InvitationJson(view, urls);
                                      }));
}

void FrontendOrganizationsHandler::InviteBulk(const service::RequestContext& ctx,
                                              const http::Request& request,
                                              http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  auto role = StrictFormText(*body, "role");
  if (!role) return Fail(request, respond, role.error());
  std::vector<service::CreateInvitationCommand> items;
  for (auto& email : FormValues(*body, "email_address")) {
    service::CreateInvitationCommand cmd;
    cmd.email_address = std::move(email);
    cmd.role = *role;
    items.push_back(std::move(cmd));
  }
  if (items.empty()) return Fail(request, respond, errors::ParamMissing("email_address"));
  invitations_.CreateBulk(ctx, std::string(request.PathParam("organization_id")), std::move(items),
                          replies_.Change<std::vector<InvitationView>>(
                              ctx, request, std::move(respond),
                              [&urls = replies_.urls()](const std::vector<InvitationView>& views) {
                                // A plain array here (CLERK-JS.md §5).
                                boost::json::array list;
                                for (const auto& view : views)
                                  list.push_back(json::InvitationJson(view, urls));
                                return list;
                              }));
}

void FrontendOrganizationsHandler::RevokeInvitation(const service::RequestContext& ctx,
                                                    const http::Request& request,
                                                    http::Responder respond) {
  invitations_.Revoke(
      ctx, std::string(request.PathParam("organization_id")),
      std::string(request.PathParam("invitation_id")), std::nullopt,
      replies_.Change<InvitationView>(ctx, request, std::move(respond),
                                      [&urls = replies_.urls()](const InvitationView& view) {
                                        return json::InvitationJson(view, urls);
                                      }));
}

void FrontendOrganizationsHandler::ListRoles(const service::RequestContext& ctx,
                                             const http::Request& request,
                                             http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  store::CatalogListQuery query;
  query.limit = page->limit;
  query.offset = page->offset;
  roles_.ListForOrganization(
      ctx, std::string(request.PathParam("organization_id")), std::move(query),
      replies_.Read<store::Page<domain::Role>>(request, std::move(respond),
                                               [](const store::Page<domain::Role>& result) {
                                                 boost::json::object o = json::RoleListJson(result);
                                                 o["has_role_set_migration"] = false;
                                                 return o;
                                               }));
}

void FrontendOrganizationsHandler::MyMemberships(const service::RequestContext& ctx,
                                                 const http::Request& request,
                                                 http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  store::MembershipListQuery query;
  query.user_id = ctx.caller.id;
  RunMembershipList(ctx, request, std::move(respond), *params, std::move(query));
}

void FrontendOrganizationsHandler::LeaveOrganization(const service::RequestContext& ctx,
                                                     const http::Request& request,
                                                     http::Responder respond) {
  memberships_.Delete(ctx, std::string(request.PathParam("organization_id")), ctx.caller.id,
                      replies_.Change<MembershipView>(
                          ctx, request, std::move(respond), [](const MembershipView& view) {
                            return json::DeletedObjectJson("organization_membership",
                                                           view.membership.id);
                          }));
}

void FrontendOrganizationsHandler::MyInvitations(const service::RequestContext& ctx,
                                                 const http::Request& request,
                                                 http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto statuses = ParseList(*params, "status");
  if (!statuses) return Fail(request, respond, statuses.error());
  store::InvitationListQuery query;
  query.limit = page->limit;
  query.offset = page->offset;
  query.statuses = std::move(*statuses);
  invitations_.ListForUser(
      ctx, ctx.caller.id, std::move(query),
      replies_.Read<store::Page<InvitationView>>(
          request, std::move(respond),
          [&urls = replies_.urls()](const store::Page<InvitationView>& result) {
            return json::InvitationListJson(result, urls);
          }));
}

void FrontendOrganizationsHandler::AcceptMyInvitation(const service::RequestContext& ctx,
                                                      const http::Request& request,
                                                      http::Responder respond) {
  invitations_.AcceptById(
      ctx, std::string(request.PathParam("invitation_id")),
      replies_.Change<InvitationView>(ctx, request, std::move(respond),
                                      [&urls = replies_.urls()](const InvitationView& view) {
                                        return json::InvitationJson(view, urls);
                                      }));
}

}  // namespace orgd::api
