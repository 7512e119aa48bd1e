#include "api/backend/users_handler.h"

#include "api/backend/api_version.h"
#include "api/backend/user_filters.h"
#include "api/body_reader.h"
#include "api/json/user_json.h"
#include "api/multipart.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

using domain::User;

Result<store::UserListQuery> ParseUserListQuery(const QueryParams& params) {
  store::UserListQuery q;
  auto filter = ParseUserFilter(params);
  if (!filter) return filter.error();
  q.filter = std::move(*filter);
  auto orgs = ParseSignedList(params, "organization_id");
  if (!orgs) return orgs.error();
  q.include_organization_ids = std::move(orgs->include);
  q.exclude_organization_ids = std::move(orgs->exclude);
  auto before = ParseMillis(params, "created_at_before");
  if (!before) return before.error();
  q.created_at_before = *before;
  auto after = ParseMillis(params, "created_at_after");
  if (!after) return after.error();
  q.created_at_after = *after;
  return q;
}

}  // namespace

service::Callback<User> UsersHandler::ReplyUser(const http::Request& request,
                                                http::Responder respond) const {
  return ReplyWith<User>(std::move(respond), request.request_id,
                         [&urls = urls_](const User& user, boost::json::storage_ptr sp) {
                           return json::UserJson(user, urls, std::move(sp));
                         });
}

void UsersHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::CreateUserCommand cmd;
  cmd.email_addresses = in.StringArray("email_address").value_or(std::vector<std::string>{});
  cmd.phone_numbers = in.StringArray("phone_number").value_or(std::vector<std::string>{});
  cmd.username = in.String("username");
  cmd.first_name = in.String("first_name");
  cmd.last_name = in.String("last_name");
  cmd.external_id = in.String("external_id");
  cmd.public_metadata = in.Value("public_metadata");
  cmd.private_metadata = in.Value("private_metadata");
  cmd.unsafe_metadata = in.Value("unsafe_metadata");
  cmd.create_organization_enabled = in.Bool("create_organization_enabled");
  cmd.create_organizations_limit = in.Int("create_organizations_limit");
  cmd.delete_self_enabled = in.Bool("delete_self_enabled");
  cmd.created_at = in.String("created_at");
  // orgd keeps no passwords; these flags only matter to a sign-in service, so they are accepted.
  in.Bool("skip_password_checks");
  in.Bool("skip_password_requirement");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Create(ctx, std::move(cmd), ReplyUser(request, std::move(respond)));
}

void UsersHandler::List(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto query = ParseUserListQuery(*params);
  if (!query) return Fail(request, respond, query.error());
  auto order =
      ParseOrderBy(*params,
                   {"created_at", "updated_at", "email_address", "web3wallet", "first_name",
                    "last_name", "phone_number", "username", "last_active_at", "last_sign_in_at"},
                   {"created_at", store::SortDirection::kDescending});
  if (!order) return Fail(request, respond, order.error());
  query->limit = page->limit;
  query->offset = page->offset;
  query->direction = order->direction;
  const std::string& f = order->field;
  query->sort = f == "created_at"      ? store::UserSortField::kCreatedAt
                : f == "updated_at"    ? store::UserSortField::kUpdatedAt
                : f == "email_address" ? store::UserSortField::kEmailAddress
                : f == "phone_number"  ? store::UserSortField::kPhoneNumber
                : f == "first_name"    ? store::UserSortField::kFirstName
                : f == "last_name"     ? store::UserSortField::kLastName
                : f == "username"      ? store::UserSortField::kUsername
                                       : store::UserSortField::kNone;
  service_.List(ctx, std::move(*query),
                ReplyWith<std::vector<User>>(
                    std::move(respond), request.request_id,
                    [&urls = urls_](const std::vector<User>& users, boost::json::storage_ptr sp) {
                      return json::UserListJson(users, urls, std::move(sp));
                    }));
}

void UsersHandler::Count(const service::RequestContext& ctx, const http::Request& request,
                         http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto query = ParseUserListQuery(*params);
  if (!query) return Fail(request, respond, query.error());
  service_.Count(ctx, std::move(*query),
                 ReplyWith<int64_t>(std::move(respond), request.request_id,
                                    [](int64_t n) { return json::TotalCountJson(n); }));
}

void UsersHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond) {
  service_.Get(ctx, std::string(request.PathParam("user_id")),
               ReplyUser(request, std::move(respond)));
}

void UsersHandler::Update(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  // The version was parsed once, by the middleware (api/routes.cc).
  const std::string_view version = ctx.api_version;
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::UpdateUserCommand cmd;
  cmd.username = in.String("username");
  cmd.first_name = in.String("first_name");
  cmd.last_name = in.String("last_name");
  cmd.external_id = in.String("external_id");
  cmd.primary_email_address_id = in.String("primary_email_address_id");
  cmd.primary_phone_number_id = in.String("primary_phone_number_id");
  cmd.create_organization_enabled = in.Bool("create_organization_enabled");
  cmd.create_organizations_limit = in.Int("create_organizations_limit");
  cmd.delete_self_enabled = in.Bool("delete_self_enabled");
  cmd.created_at = in.String("created_at");
  // Before 2026-05-12 this endpoint also replaced metadata; from then on those are unknown fields.
  if (!ApiVersionAtLeast(version, "2026-05-12")) {
    cmd.public_metadata = in.Value("public_metadata");
    cmd.private_metadata = in.Value("private_metadata");
    cmd.unsafe_metadata = in.Value("unsafe_metadata");
  }
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Update(ctx, std::string(request.PathParam("user_id")), std::move(cmd),
                  ReplyUser(request, std::move(respond)));
}

void UsersHandler::Delete(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  service_.Delete(
      ctx, std::string(request.PathParam("user_id")),
      ReplyWith<std::string>(std::move(respond), request.request_id, [](const std::string& id) {
        return json::DeletedObjectJson("user", id);
      }));
}

void UsersHandler::MergeMetadata(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::UserMetadataCommand cmd;
  cmd.public_metadata = NonNull(in.Value("public_metadata"));
  cmd.private_metadata = NonNull(in.Value("private_metadata"));
  cmd.unsafe_metadata = NonNull(in.Value("unsafe_metadata"));
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.MergeMetadata(ctx, std::string(request.PathParam("user_id")), std::move(cmd),
                         ReplyUser(request, std::move(respond)));
}

void UsersHandler::ReplaceMetadata(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::UserMetadataCommand cmd;
  cmd.public_metadata = in.Value("public_metadata");
  cmd.private_metadata = in.Value("private_metadata");
  cmd.unsafe_metadata = in.Value("unsafe_metadata");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.ReplaceMetadata(ctx, std::string(request.PathParam("user_id")), std::move(cmd),
                           ReplyUser(request, std::move(respond)));
}

void UsersHandler::SetProfileImage(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  auto upload = ReadImageUpload(request);
  if (!upload) return Fail(request, respond, upload.error());
  service_.SetProfileImage(ctx, std::string(request.PathParam("user_id")), std::move(upload->file),
                           ReplyUser(request, std::move(respond)));
}

void UsersHandler::DeleteProfileImage(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond) {
  service_.DeleteProfileImage(ctx, std::string(request.PathParam("user_id")),
                              ReplyUser(request, std::move(respond)));
}

void UsersHandler::ImageTooLarge(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  Fail(request, respond, errors::ImageTooLarge(service::UserService::kMaxImageBytes));
}

}  // namespace orgd::api
