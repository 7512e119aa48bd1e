// The Backend API's sign-in-token endpoints (BAPI POST /sign_in_tokens, …/revoke), as thin
// adapters over SignInTokenService. Routes are in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "http/request.h"
#include "service/request_context.h"
#include "service/sign_in_token_service.h"

namespace orgd::api {

class SignInTokensHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  explicit SignInTokensHandler(service::SignInTokenService& service) : service_(service) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST /sign_in_tokens
  void Revoke(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST /sign_in_tokens/{sign_in_token_id}/revoke

 private:
  service::SignInTokenService& service_;
};

}  // namespace orgd::api
