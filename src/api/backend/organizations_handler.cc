#include "api/backend/organizations_handler.h"

#include <fmt/format.h>

#include "api/backend/api_version.h"
#include "api/body_reader.h"
#include "api/multipart.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

using domain::Organization;

}  // namespace

// The JSON builders refer to urls_ rather than copy it (a heap string per request): a handler
// outlives every request it serves (server/app.cc stops the server before the handlers go).
service::Callback<Organization> OrganizationsHandler::ReplyOrganization(
    const http::Request& request, http::Responder respond,
    json::OrganizationJsonOptions options) const {
  return ReplyWith<Organization>(
      std::move(respond), request.request_id,
      [&urls = urls_, options](const Organization& org, boost::json::storage_ptr sp) {
        return json::OrganizationJson(org, urls, options, std::move(sp));
      });
}

void OrganizationsHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                                  http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::CreateOrganizationCommand cmd;
  cmd.name = in.String("name");
  cmd.slug = in.String("slug");
  cmd.created_by = in.String("created_by");
  cmd.max_allowed_memberships = in.Int("max_allowed_memberships");
  cmd.public_metadata = in.Value("public_metadata");
  cmd.private_metadata = in.Value("private_metadata");
  cmd.created_at = in.String("created_at");
  cmd.role_set_key = in.String("role_set_key");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Create(ctx, std::move(cmd), ReplyOrganization(request, respond));
}

void OrganizationsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                                http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto members_count = ParseFlag(*params, "include_members_count");
  if (!members_count) return Fail(request, respond, members_count.error());
  if (auto r = ParseFlag(*params, "include_missing_member_with_elevated_permissions"); !r) {
    return Fail(request, respond, r.error());
  }
  auto order = ParseOrderBy(*params, {"name", "created_at", "members_count"},
                            {"created_at", store::SortDirection::kDescending});
  if (!order) return Fail(request, respond, order.error());

  store::OrganizationListQuery query;
  query.limit = page->limit;
  query.offset = page->offset;
  if (auto q = params->Get("query"); q && !q->empty()) query.query = std::string(*q);
  auto ids = ParseSignedList(*params, "organization_id");
  if (!ids) return Fail(request, respond, ids.error());
  query.include_ids = std::move(ids->include);
  query.exclude_ids = std::move(ids->exclude);
  auto members = ParseSignedList(*params, "user_id");
  if (!members) return Fail(request, respond, members.error());
  query.include_member_ids = std::move(members->include);
  query.exclude_member_ids = std::move(members->exclude);
  if (order->field == "name") {
    query.sort = store::OrganizationSortField::kName;
  } else if (order->field == "members_count") {
    query.sort = store::OrganizationSortField::kMembersCount;
  } else {
    query.sort = store::OrganizationSortField::kCreatedAt;
  }
  query.direction = order->direction;

  json::OrganizationJsonOptions options;
  options.include_members_count = *members_count;
  service_.List(ctx, std::move(query),
                ReplyWith<store::Page<Organization>>(
                    std::move(respond), request.request_id,
                    [&urls = urls_, options](const store::Page<Organization>& result,
                                             boost::json::storage_ptr sp) {
                      return json::OrganizationListJson(result, urls, options, std::move(sp));
                    }),
                service::OrganizationReadOptions{options.include_members_count});
}

void OrganizationsHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                               http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto members_count = ParseFlag(*params, "include_members_count");
  if (!members_count) return Fail(request, respond, members_count.error());
  if (auto r = ParseFlag(*params, "include_missing_member_with_elevated_permissions"); !r) {
    return Fail(request, respond, r.error());
  }
  json::OrganizationJsonOptions options;
  options.include_members_count = *members_count;
  // With the members' count comes the count of pending invitations (BEHAVIOR.md Appendix A).
  service_.Get(ctx, std::string(request.PathParam("organization_id")),
               ReplyOrganization(request, std::move(respond), options),
               service::OrganizationReadOptions{options.include_members_count});
}

void OrganizationsHandler::Update(const service::RequestContext& ctx, const http::Request& request,
                                  http::Responder respond) {
  // The version was parsed once, by the middleware (api/routes.cc).
  const std::string_view version = ctx.api_version;
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::UpdateOrganizationCommand cmd;
  cmd.name = in.String("name");
  cmd.slug = in.String("slug");
  cmd.max_allowed_memberships = in.Int("max_allowed_memberships");
  cmd.admin_delete_enabled = in.Bool("admin_delete_enabled");
  cmd.created_at = in.String("created_at");
  cmd.role_set_key = in.String("role_set_key");
  // Before 2026-05-12 this endpoint also replaced metadata; from then on those are unknown fields.
  if (!ApiVersionAtLeast(version, "2026-05-12")) {
    cmd.public_metadata = in.Value("public_metadata");
    cmd.private_metadata = in.Value("private_metadata");
  }
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Update(ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
                  ReplyOrganization(request, std::move(respond)));
}

void OrganizationsHandler::Delete(const service::RequestContext& ctx, const http::Request& request,
                                  http::Responder respond) {
  service_.Delete(
      ctx, std::string(request.PathParam("organization_id")),
      ReplyWith<service::DeletedOrganization>(
          std::move(respond), request.request_id, [](const service::DeletedOrganization& deleted) {
            return json::DeletedObjectJson("organization", deleted.id, deleted.slug);
          }));
}

void OrganizationsHandler::MergeMetadata(const service::RequestContext& ctx,
                                         const http::Request& request, http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::MetadataCommand cmd;
  cmd.public_metadata = NonNull(in.Value("public_metadata"));
  cmd.private_metadata = NonNull(in.Value("private_metadata"));
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.MergeMetadata(ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
                         ReplyOrganization(request, std::move(respond)));
}

void OrganizationsHandler::ReplaceMetadata(const service::RequestContext& ctx,
                                           const http::Request& request, http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::MetadataCommand cmd;
  cmd.public_metadata = in.Value("public_metadata");
  cmd.private_metadata = in.Value("private_metadata");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.ReplaceMetadata(ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
                           ReplyOrganization(request, std::move(respond)));
}

void OrganizationsHandler::SetLogo(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  auto upload = ReadImageUpload(request);
  if (!upload) return Fail(request, respond, upload.error());
  service::LogoUpload logo;
  logo.bytes = std::move(upload->file);
  logo.uploader_user_id = std::move(upload->uploader_user_id);
  json::OrganizationJsonOptions options;
  options.include_logo_url = true;
  service_.SetLogo(ctx, std::string(request.PathParam("organization_id")), std::move(logo),
                   ReplyOrganization(request, std::move(respond), options));
}

void OrganizationsHandler::DeleteLogo(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond) {
  service_.DeleteLogo(ctx, std::string(request.PathParam("organization_id")),
                      ReplyOrganization(request, std::move(respond)));
}

void OrganizationsHandler::LogoTooLarge(const service::RequestContext& ctx,
                                        const http::Request& request, http::Responder respond) {
  Fail(request, respond, errors::ImageTooLarge(service::OrganizationService::kMaxLogoBytes));
}

}  // namespace orgd::api
