// ApiHandler: a handler of the api layer, which the middleware of each API (api/routes.cc, and
// api/frontend/frontend_gate.h for the Frontend API) calls with the request's context.
#pragma once

#include <functional>

#include "http/request.h"
#include "service/request_context.h"

namespace orgd::api {

using ApiHandler = std::function<void(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond)>;

}  // namespace orgd::api
