#include "api/transport_errors.h"

#include <fmt/format.h>

namespace orgd::api {

Error ApiVersionInvalid(std::string long_message) {
  return Error(ErrorCode::kBadRequest, "api_version_invalid", "Invalid API version",
               std::move(long_message));
}

Error AuthenticationMissing() {
  return Error(ErrorCode::kUnauthenticated, "authentication_invalid", "Invalid authentication",
               "Unable to authenticate the request, you need to supply an active secret key in "
               "the Authorization header");
}

Error AuthorizationHeaderFormatInvalid() {
  return Error(ErrorCode::kUnauthenticated, "authorization_header_format_invalid",
               "Invalid Authorization header format",
               "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'");
}

Error SecretKeyInvalid() {
  constexpr const char* kText =
      "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.";
  return Error(ErrorCode::kUnauthenticated, "clerk_key_invalid", kText, kText);
}

Error RouteNotFound(std::string_view method, std::string_view path) {
  return Error(ErrorCode::kNotFound, "resource_not_found", "not found",
               fmt::format("No route matches {} {}.", method, path));
}

Error MethodNotAllowed(std::string_view method, std::string_view path) {
  return Error(ErrorCode::kMethodNotAllowed, "method_not_allowed", "method not allowed",
               fmt::format("{} is not allowed on {}.", method, path));
}

}  // namespace orgd::api
