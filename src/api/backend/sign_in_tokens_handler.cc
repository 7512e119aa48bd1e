#include "api/backend/sign_in_tokens_handler.h"

#include "api/body_reader.h"
#include "api/json/session_json.h"
#include "api/reply.h"

namespace orgd::api {
namespace {

service::Callback<service::SignInTokenView> ReplyToken(const http::Request& request,
                                                       http::Responder respond) {
  return ReplyWith<service::SignInTokenView>(
      std::move(respond), request.request_id,
      [](const service::SignInTokenView& view) { return json::SignInTokenJson(view); });
}

}  // namespace

void SignInTokensHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::CreateSignInTokenCommand cmd;
  cmd.user_id = in.String("user_id");
  cmd.expires_in_seconds = in.Int("expires_in_seconds");
  cmd.organization_id = in.String("org_id");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Create(ctx, std::move(cmd), ReplyToken(request, std::move(respond)));
}

void SignInTokensHandler::Revoke(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  if (auto done = BodyReader(*body).Finish(); !done) return Fail(request, respond, done.error());
  service_.Revoke(ctx, std::string(request.PathParam("sign_in_token_id")),
                  ReplyToken(request, std::move(respond)));
}

}  // namespace orgd::api
