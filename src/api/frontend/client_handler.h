// The Frontend API's client and sessions (CLERK-JS.md §2–4): GET/PATCH /v1/environment,
// GET/DELETE /v1/client, ticket sign-in and sign-up, a session's touch, tokens, end and remove,
// sign-out of every session, GET /v1/me, and GET /v1/client/handshake, where @clerk/backend's
// authenticateRequest sends a page load whose __session cookie is stale.
#pragma once

#include "api/frontend/frontend_reply.h"
#include "http/request.h"
#include "service/client_service.h"
#include "service/request_context.h"
#include "service/session_service.h"
#include "service/settings_service.h"

namespace orgd::api {

class FrontendClientHandler {
 public:
  // REQUIRES: every argument outlives the handler.
  FrontendClientHandler(service::ClientService& clients, service::SessionService& sessions,
                        service::SettingsService& settings, const FrontendReplies& replies)
      : clients_(clients), sessions_(sessions), settings_(settings), replies_(replies) {}

  void Environment(const service::RequestContext& ctx, const http::Request& request,
                   http::Responder respond);
  void GetClient(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond);
  void DeleteClient(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);
  void SignIn(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void SignUp(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void Touch(const service::RequestContext& ctx, const http::Request& request,
             http::Responder respond);
  void CreateToken(const service::RequestContext& ctx, const http::Request& request,
                   http::Responder respond);
  void End(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);
  void Remove(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void RemoveAll(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond);
  void Me(const service::RequestContext& ctx, const http::Request& request,
          http::Responder respond);
  void Handshake(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond);

 private:
  void RunTicket(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond, bool sign_up);
  void EndOne(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond, bool remove);
  // Answers {response: response(<client>), client: <client>} for the caller's client as it is
  // now (the client itself after a sign-out, the touched session after a touch).
  void ReplyFromClient(
      const service::RequestContext& ctx, const http::Request& request, http::Responder respond,
      std::vector<http::HeaderField> headers,
      std::function<boost::json::value(const boost::json::object& client)> response);

  service::ClientService& clients_;
  service::SessionService& sessions_;
  service::SettingsService& settings_;
  const FrontendReplies& replies_;
};

}  // namespace orgd::api
