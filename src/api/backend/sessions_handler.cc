#include "api/backend/sessions_handler.h"

#include "api/body_reader.h"
#include "api/json/session_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

using service::SessionView;

constexpr std::array kStatuses = {
    domain::kSessionAbandoned, domain::kSessionActive,  domain::kSessionEnded,
    domain::kSessionExpired,   domain::kSessionRemoved, domain::kSessionReplaced,
    domain::kSessionRevoked};

service::Callback<SessionView> ReplySession(const http::Request& request,
                                            http::Responder respond) {
  return ReplyWith<SessionView>(
      std::move(respond), request.request_id,
      [](const SessionView& view, boost::json::storage_ptr sp) {
        return json::SessionJson(view, std::move(sp));
      });
}

}  // namespace

void SessionsHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::CreateSessionCommand cmd;
  cmd.user_id = in.String("user_id");
  cmd.active_organization_id = in.String("active_organization_id");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  sessions_.Create(ctx, std::move(cmd), ReplySession(request, std::move(respond)));
}

void SessionsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                           http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto paginated = ParseFlag(*params, "paginated");
  if (!paginated) return Fail(request, respond, paginated.error());
  store::SessionListQuery query;
  query.limit = page->limit;
  query.offset = page->offset;
  if (auto v = params->Get("user_id"); v && !v->empty()) query.user_id = std::string(*v);
  if (auto v = params->Get("client_id"); v && !v->empty()) query.client_id = std::string(*v);
  if (auto v = params->Get("status"); v && !v->empty()) {
    if (std::find(kStatuses.begin(), kStatuses.end(), *v) == kStatuses.end()) {
      return Fail(request, respond,
                  errors::ParamInvalid("status",
                                       "status must be one of abandoned, active, ended, expired, "
                                       "removed, replaced, revoked."));
    }
    query.status = std::string(*v);
  }
  sessions_.List(ctx, std::move(query),
                 ReplyWith<store::Page<SessionView>>(
                     std::move(respond), request.request_id,
                     [paginated = *paginated](const store::Page<SessionView>& p,
                                              boost::json::storage_ptr sp) {
                       return json::SessionListJson(p, paginated, std::move(sp));
                     }));
}

void SessionsHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  sessions_.Get(ctx, std::string(request.PathParam("session_id")),
                ReplySession(request, std::move(respond)));
}

void SessionsHandler::Revoke(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  if (auto done = BodyReader(*body).Finish(); !done) return Fail(request, respond, done.error());
  sessions_.Revoke(ctx, std::string(request.PathParam("session_id")),
                   ReplySession(request, std::move(respond)));
}

void SessionsHandler::CreateToken(const service::RequestContext& ctx,
                                  const http::Request& request, http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::CreateTokenCommand cmd;
  cmd.expires_in_seconds = in.Int("expires_in_seconds");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  cmd.session_id = std::string(request.PathParam("session_id"));
  if (auto name = request.PathParam("template_name"); !name.empty()) {
    cmd.template_name = std::string(name);
  }
  cmd.origin = std::string(request.Header("origin"));
  sessions_.CreateToken(ctx, std::move(cmd),
                        ReplyWith<std::string>(std::move(respond), request.request_id,
                                               [](const std::string& jwt) {
                                                 return json::TokenJson(jwt);
                                               }));
}

void SessionsHandler::Jwks(const service::RequestContext& ctx, const http::Request& request,
                           http::Responder respond) {
  keys_.Jwks(ctx, ReplyWith<std::vector<service::PublicJwk>>(
                      std::move(respond), request.request_id,
                      [](const std::vector<service::PublicJwk>& keys) {
                        return json::JwksJson(keys);
                      }));
}

}  // namespace orgd::api
