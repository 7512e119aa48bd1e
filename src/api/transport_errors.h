// The errors of the API's own front door, before any service runs: authentication, the API
// version, and routes that do not exist. Codes and wording follow Clerk (BEHAVIOR.md §1.8).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace orgd::api {

// 400 api_version_invalid.
Error ApiVersionInvalid(std::string long_message);
// 401 authentication_invalid (no credentials at all).
Error AuthenticationMissing();
// 401 authorization_header_format_invalid.
Error AuthorizationHeaderFormatInvalid();
// 401 clerk_key_invalid.
Error SecretKeyInvalid();
// 404 resource_not_found for a path that no route serves.
Error RouteNotFound(std::string_view method, std::string_view path);
// 405 method_not_allowed.
Error MethodNotAllowed(std::string_view method, std::string_view path);

}  // namespace orgd::api
