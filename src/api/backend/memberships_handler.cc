#include "api/backend/memberships_handler.h"

#include "api/backend/user_filters.h"
#include "api/body_reader.h"
#include "api/json/user_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"

namespace orgd::api {

using service::MembershipView;

service::Callback<MembershipView> MembershipsHandler::ReplyMembership(
    const http::Request& request, http::Responder respond) const {
  return ReplyWith<MembershipView>(
      std::move(respond), request.request_id,
      [&urls = urls_](const MembershipView& view, boost::json::storage_ptr sp) {
        return json::MembershipJson(view, urls, std::move(sp));
      });
}

void MembershipsHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                                http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::CreateMembershipCommand cmd;
  cmd.user_id = in.String("user_id");
  cmd.role = in.String("role");
  cmd.public_metadata = in.Value("public_metadata");
  cmd.private_metadata = in.Value("private_metadata");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Create(ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
                  ReplyMembership(request, std::move(respond)));
}

void MembershipsHandler::RunList(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond, store::MembershipListQuery query,
                                 bool with_filters) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  query.limit = page->limit;
  query.offset = page->offset;
  auto order = ParseOrderBy(
      *params,
      {"created_at", "email_address", "phone_number", "first_name", "last_name", "username"},
      {"created_at", store::SortDirection::kDescending});
  if (!order) return Fail(request, respond, order.error());
  const std::string& f = order->field;
  query.sort = f == "email_address"  ? store::MembershipSortField::kEmailAddress
               : f == "phone_number" ? store::MembershipSortField::kPhoneNumber
               : f == "first_name"   ? store::MembershipSortField::kFirstName
               : f == "last_name"    ? store::MembershipSortField::kLastName
               : f == "username"     ? store::MembershipSortField::kUsername
                                     : store::MembershipSortField::kCreatedAt;
  query.direction = order->direction;
  if (with_filters) {
    auto members = ParseUserFilter(*params);
    if (!members) return Fail(request, respond, members.error());
    query.members = std::move(*members);
    auto roles = ParseList(*params, "role");
    if (!roles) return Fail(request, respond, roles.error());
    query.roles = std::move(*roles);
    auto before = ParseMillis(*params, "created_at_before");
    if (!before) return Fail(request, respond, before.error());
    query.created_at_before = *before;
    auto after = ParseMillis(*params, "created_at_after");
    if (!after) return Fail(request, respond, after.error());
    query.created_at_after = *after;
  }
  service_.List(
      ctx, std::move(query),
      ReplyWith<store::Page<MembershipView>>(
          std::move(respond), request.request_id,
          [&urls = urls_](const store::Page<MembershipView>& result, boost::json::storage_ptr sp) {
            return json::MembershipListJson(result, urls, std::move(sp));
          }));
}

void MembershipsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond) {
  store::MembershipListQuery query;
  query.organization_id = std::string(request.PathParam("organization_id"));
  RunList(ctx, request, std::move(respond), std::move(query), /*with_filters=*/true);
}

void MembershipsHandler::ListInstance(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond) {
  RunList(ctx, request, std::move(respond), {}, /*with_filters=*/false);
}

void MembershipsHandler::ListForUser(const service::RequestContext& ctx,
                                     const http::Request& request, http::Responder respond) {
  store::MembershipListQuery query;
  query.user_id = std::string(request.PathParam("user_id"));
  RunList(ctx, request, std::move(respond), std::move(query), /*with_filters=*/false);
}

void MembershipsHandler::Update(const service::RequestContext& ctx, const http::Request& request,
                                http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  auto role = in.String("role");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.UpdateRole(ctx, std::string(request.PathParam("organization_id")),
                      std::string(request.PathParam("user_id")), std::move(role),
                      ReplyMembership(request, std::move(respond)));
}

void MembershipsHandler::Delete(const service::RequestContext& ctx, const http::Request& request,
                                http::Responder respond) {
  service_.Delete(ctx, std::string(request.PathParam("organization_id")),
                  std::string(request.PathParam("user_id")),
                  ReplyMembership(request, std::move(respond)));
}

void MembershipsHandler::MergeMetadata(const service::RequestContext& ctx,
                                       const http::Request& request, http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::MembershipMetadataCommand cmd;
  cmd.public_metadata = NonNull(in.Value("public_metadata"));
  cmd.private_metadata = NonNull(in.Value("private_metadata"));
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.MergeMetadata(ctx, std::string(request.PathParam("organization_id")),
                         std::string(request.PathParam("user_id")), std::move(cmd),
                         ReplyMembership(request, std::move(respond)));
}

}  // namespace orgd::api
