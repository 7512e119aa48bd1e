#include "api/backend/invitations_handler.h"

#include "api/body_reader.h"
#include "api/json/invitation_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"
#include "domain/invitation.h"

namespace orgd::api {
namespace {

using service::InvitationView;

constexpr size_t kMaxBulkItems = 10;

// The fields of one invitation, as the single and the bulk create take them.
Result<service::CreateInvitationCommand> ReadCreate(const boost::json::object& body) {
  BodyReader in(body);
  service::CreateInvitationCommand cmd;
  cmd.email_address = in.String("email_address");
  cmd.role = in.String("role");
  cmd.inviter_user_id = in.String("inviter_user_id");
  cmd.public_metadata = in.Value("public_metadata");
  cmd.private_metadata = in.Value("private_metadata");
  cmd.redirect_url = in.String("redirect_url");
  cmd.expires_in_days = in.Int("expires_in_days");
  cmd.notify = in.Bool("notify");
  if (auto done = in.Finish(); !done) return done.error();
  return cmd;
}

// status (repeatable): pending, accepted, revoked, expired.
Result<std::vector<std::string>> ParseStatuses(const QueryParams& params) {
  auto statuses = ParseList(params, "status");
  if (!statuses) return statuses.error();
  for (const auto& s : *statuses) {
    if (s != domain::kInvitationPending && s != domain::kInvitationAccepted &&
        s != domain::kInvitationRevoked && s != domain::kInvitationExpired) {
      return errors::ParamInvalid("status",
                                  "status must be one of pending, accepted, revoked, expired.");
    }
  }
  return statuses;
}

// limit, offset, status[] and order_by (created_at or email_address; -created_at by default).
Result<store::InvitationListQuery> ParseListQuery(const QueryParams& params) {
  store::InvitationListQuery q;
  auto page = ParsePagination(params);
  if (!page) return page.error();
  q.limit = page->limit;
  q.offset = page->offset;
  auto statuses = ParseStatuses(params);
  if (!statuses) return statuses.error();
  q.statuses = std::move(*statuses);
  auto order = ParseOrderBy(params, {"created_at", "email_address"},
                            {"created_at", store::SortDirection::kDescending});
  if (!order) return order.error();
  q.sort = order->field == "email_address" ? store::InvitationSortField::kEmailAddress
                                           : store::InvitationSortField::kCreatedAt;
  q.direction = order->direction;
  return q;
}

}  // namespace

service::Callback<InvitationView> InvitationsHandler::ReplyInvitation(
    const http::Request& request, http::Responder respond) const {
  return ReplyWith<InvitationView>(
      std::move(respond), request.request_id,
      [&urls = urls_](const InvitationView& view, boost::json::storage_ptr sp) {
        return json::InvitationJson(view, urls, std::move(sp));
      });
}

service::Callback<store::Page<InvitationView>> InvitationsHandler::ReplyPage(
    const http::Request& request, http::Responder respond) const {
  return ReplyWith<store::Page<InvitationView>>(
      std::move(respond), request.request_id,
      [&urls = urls_](const store::Page<InvitationView>& page, boost::json::storage_ptr sp) {
        return json::InvitationListJson(page, urls, std::move(sp));
      });
}

void InvitationsHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                                http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  auto cmd = ReadCreate(*body);
  if (!cmd) return Fail(request, respond, cmd.error());
  service_.Create(ctx, std::string(request.PathParam("organization_id")), std::move(*cmd),
                  ReplyInvitation(request, std::move(respond)));
}

void InvitationsHandler::CreateBulk(const service::RequestContext& ctx,
                                    const http::Request& request, http::Responder respond) {
  auto items = ParseJsonArrayOfObjectsBody(request);
  if (!items) return Fail(request, respond, items.error());
  if (items->empty()) {
    return Fail(request, respond,
                Error(ErrorCode::kInvalidArgument, "form_param_missing", "is missing",
                      "At least one invitation is required.", "invitations"));
  }
  if (items->size() > kMaxBulkItems) {
    return Fail(
        request, respond,
        Error(ErrorCode::kInvalidArgument, "form_param_array_size_exceeded", "exceeds maximum size",
              "At most 10 invitations can be created at once.", "invitations"));
  }
  std::vector<service::CreateInvitationCommand> commands;
  for (const auto& item : *items) {
    auto cmd = ReadCreate(item);
    if (!cmd) return Fail(request, respond, cmd.error());
    commands.push_back(std::move(*cmd));
  }
  service_.CreateBulk(
      ctx, std::string(request.PathParam("organization_id")), std::move(commands),
      ReplyWith<std::vector<InvitationView>>(
          std::move(respond), request.request_id,
          [&urls = urls_](const std::vector<InvitationView>& views, boost::json::storage_ptr sp) {
            return json::InvitationBulkJson(views, urls, std::move(sp));
          }));
}

void InvitationsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto query = ParseListQuery(*params);
  if (!query) return Fail(request, respond, query.error());
  query->organization_id = std::string(request.PathParam("organization_id"));
  // Invitations a verified domain's enrollment made are not the organization's to list (§3.3).
  query->exclude_enrollment = true;
  // An exact address (the service compares it in its stored form).
  if (auto email = params->Get("email_address"); email && !email->empty()) {
    query->email_addresses.emplace_back(*email);
  }
  service_.List(ctx, std::move(*query), ReplyPage(request, std::move(respond)));
}

void InvitationsHandler::ListPending(const service::RequestContext& ctx,
                                     const http::Request& request, http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  store::InvitationListQuery query;
  query.limit = page->limit;
  query.offset = page->offset;
  query.organization_id = std::string(request.PathParam("organization_id"));
  query.statuses = {std::string(domain::kInvitationPending)};
  query.exclude_enrollment = true;
  service_.List(ctx, std::move(query), ReplyPage(request, std::move(respond)));
}

void InvitationsHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  service_.Get(ctx, std::string(request.PathParam("organization_id")),
               std::string(request.PathParam("invitation_id")),
               ReplyInvitation(request, std::move(respond)));
}

void InvitationsHandler::Revoke(const service::RequestContext& ctx, const http::Request& request,
                                http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  auto requesting_user_id = in.String("requesting_user_id");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Revoke(ctx, std::string(request.PathParam("organization_id")),
                  std::string(request.PathParam("invitation_id")), std::move(requesting_user_id),
                  ReplyInvitation(request, std::move(respond)));
}

void InvitationsHandler::ListInstance(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto query = ParseListQuery(*params);
  if (!query) return Fail(request, respond, query.error());
  if (auto q = params->Get("query"); q && !q->empty()) query->query = std::string(*q);
  query->exclude_enrollment = true;
  service_.ListInstance(ctx, std::move(*query), ReplyPage(request, std::move(respond)));
}

void InvitationsHandler::ListForUser(const service::RequestContext& ctx,
                                     const http::Request& request, http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto query = ParseListQuery(*params);
  if (!query) return Fail(request, respond, query.error());
  service_.ListForUser(ctx, std::string(request.PathParam("user_id")), std::move(*query),
                       ReplyPage(request, std::move(respond)));
}

}  // namespace orgd::api
