// The Backend API's session endpoints (BEHAVIOR.md §3.8): sessions, their tokens, and the JWKS
// that verifies the tokens, as thin adapters over SessionService and SigningKeys. Routes are in
// api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "http/request.h"
#include "service/request_context.h"
#include "service/session_service.h"
#include "service/signing_keys.h"

namespace orgd::api {

class SessionsHandler {
 public:
  // REQUIRES: both outlive the handler.
  SessionsHandler(service::SessionService& sessions, service::SigningKeys& keys)
      : sessions_(sessions), keys_(keys) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST /sessions
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET /sessions
  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);  // GET /sessions/{session_id}
  void Revoke(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST /sessions/{session_id}/revoke
  void CreateToken(const service::RequestContext& ctx, const http::Request& request,
                   http::Responder respond);  // POST /sessions/{session_id}/tokens[/{template}]
  void Jwks(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET /jwks

 private:
  service::SessionService& sessions_;
  service::SigningKeys& keys_;
};

}  // namespace orgd::api
