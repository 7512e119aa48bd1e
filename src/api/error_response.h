// The one place where an orgd Error becomes an HTTP response, in Clerk's error envelope
// (BEHAVIOR.md §1.7): {"errors":[{message,long_message,code,meta}],"meta":{},"clerk_trace_id"}.
#pragma once

#include <string_view>

#include "common/error.h"
#include "http/request.h"
#include "http/server.h"

namespace orgd::api {

// The HTTP status of each ErrorCode.
int HttpStatus(ErrorCode code);

// Renders `error` for the request with this ID (sent as clerk_trace_id). Errors of class
// kInternal/kUnavailable are logged with their detail; the client sees only the public text.
http::Response ErrorResponse(const Error& error, std::string_view request_id);

// Renders what the HTTP server answers without a route (404, 405, 413, 431, 400, 501, 500).
// `detail`, when not empty, is the server's client-safe reason (http/framing.h).
http::Response RenderTransportFailure(http::TransportFailure failure, const http::Request& request,
                                      std::string_view detail);

}  // namespace orgd::api
