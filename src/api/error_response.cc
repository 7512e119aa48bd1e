#include "api/error_response.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/transport_errors.h"
#include "common/utf8.h"
#include "domain/errors.h"

namespace orgd::api {

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kAlreadyExists:
      return 422;
    case ErrorCode::kBadRequest:
    case ErrorCode::kFailedPrecondition:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {

// An error without a Clerk code comes from below the services: a driver failure (rendered as
// Clerk's 503 or 500) or a store outcome no service mapped, which is a bug (a 500, logged).
Error WithClerkCode(const Error& error) {
  if (!error.clerk_code.empty()) return error;
  if (error.code == ErrorCode::kUnavailable) return errors::Unavailable(error.detail);
  if (error.code != ErrorCode::kInternal) {
    return errors::Internal(
        fmt::format("an error without a Clerk code (class {}, store reason {} "
                    "{}): {}",
                    static_cast<int>(error.code), static_cast<int>(error.store_reason),
                    error.constraint, error.detail));
  }
  return errors::Internal(error.detail);
}

}  // namespace

http::Response ErrorResponse(const Error& given, std::string_view request_id) {
  const Error error = WithClerkCode(given);
  const int status = HttpStatus(error.code);
  if (status >= 500) {
    spdlog::error("request_id={} status={} code={} detail={}", request_id, status, error.clerk_code,
                  error.detail);
  }
  // Messages may quote what the client sent (a path, a parameter name): whatever it was, the body
  // stays valid JSON, which needs valid UTF-8.
  boost::json::object meta;
  if (!error.param_name.empty()) meta["param_name"] = ToValidUtf8(error.param_name);
  boost::json::object entry;
  entry["message"] = ToValidUtf8(error.message);
  entry["long_message"] = ToValidUtf8(error.long_message);
  entry["code"] = error.clerk_code;
  entry["meta"] = std::move(meta);
  boost::json::object body;
  body["errors"] = boost::json::array{std::move(entry)};
  body["meta"] = boost::json::object();
  body["clerk_trace_id"] = request_id;
  http::Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  if (error.code == ErrorCode::kResourceExhausted) response.headers.push_back({"Retry-After", "1"});
  return response;
}

http::Response RenderTransportFailure(http::TransportFailure failure, const http::Request& request,
                                      std::string_view detail) {
  auto with_status = [&](int status, Error error) {
    http::Response r = ErrorResponse(error, request.request_id);
    r.status = status;
    return r;
  };
  switch (failure) {
    case http::TransportFailure::kNotFound:
      return ErrorResponse(RouteNotFound(request.method_name, request.path), request.request_id);
    case http::TransportFailure::kMethodNotAllowed:
      return ErrorResponse(MethodNotAllowed(request.method_name, request.path), request.request_id);
    case http::TransportFailure::kBodyTooLarge:
      return ErrorResponse(errors::RequestBodyTooLarge(1024 * 1024), request.request_id);
    case http::TransportFailure::kHeadersTooLarge:
      return with_status(
          431, Error(ErrorCode::kBadRequest, "request_header_fields_too_large",
                     "Request headers too large",
                     "The request's header fields (with its trailers and chunk-size lines) exceed "
                     "the allowed size."));
    case http::TransportFailure::kBadRequest:
      return ErrorResponse(
          Error(ErrorCode::kBadRequest, "malformed_request", "Malformed request",
                detail.empty() ? "The request is not valid HTTP/1.1." : std::string(detail)),
          request.request_id);
    case http::TransportFailure::kNotImplemented:
      return with_status(501,
                         Error(ErrorCode::kBadRequest, "transfer_encoding_not_supported",
                               "Transfer coding not supported",
                               detail.empty() ? "The only transfer coding orgd accepts is chunked."
                                              : std::string(detail)));
    case http::TransportFailure::kHandlerFailed:
      return ErrorResponse(errors::Internal("handler failed"), request.request_id);
    case http::TransportFailure::kTooManyConnections:
      return ErrorResponse(
          Error(ErrorCode::kResourceExhausted, "too_many_requests", "Too many requests",
                "Too many connections are open from your address; close some and retry."),
          request.request_id);
    case http::TransportFailure::kOverloaded:
      // A 503 that is not logged as a server failure (a flood would fill the log) and carries
      // Retry-After, as the 429 class does.
      return with_status(
          503, Error(ErrorCode::kResourceExhausted, "service_unavailable", "Service unavailable",
                     "The server has too many open connections right now; retry shortly."));
  }
  return ErrorResponse(errors::Internal("unknown transport failure"), request.request_id);
}

}  // namespace orgd::api
