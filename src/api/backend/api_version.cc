#include "api/backend/api_version.h"

#include <array>

#include "api/query_params.h"
#include "api/transport_errors.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

// Clerk's published API versions.
constexpr std::array<std::string_view, 5> kVersions = {"2021-02-05", "2024-10-01", "2025-04-10",
                                                       "2025-11-10", "2026-05-12"};

}  // namespace

Result<std::string_view> RequestedApiVersion(const http::Request& request) {
  std::string_view header = request.Header("clerk-api-version");
  const bool has_header = request.HasHeader("clerk-api-version");
  std::optional<std::string> from_query;
  // The parameter is found by its decoded name (`__clerk%5Fapi_version` is it too), so the query
  // is parsed when it holds the name or any escape. A query that does not parse is refused here
  // only when it names the version in plain; any other is its handler's to judge.
  const bool named = request.query.find("__clerk_api_version") != std::string::npos;
  if (named || request.query.find('%') != std::string::npos) {
    auto params = QueryParams::Parse(request.query);
    // A query that names the version but does not decode (a bad escape, bytes that are not
    // UTF-8) names no version orgd supports.
    if (!params && named) {
      return ApiVersionInvalid("The __clerk_api_version query parameter cannot be decoded.");
    }
    if (params) {
      if (auto v = params->Get("__clerk_api_version")) from_query = std::string(*v);
    }
  }
  if (has_header && from_query) {
    return ApiVersionInvalid(
        "Specify the API version either in the Clerk-API-Version header or in the "
        "__clerk_api_version query parameter, not both.");
  }
  if (!has_header && !from_query) return kOldestApiVersion;
  std::string_view asked = has_header ? header : std::string_view(*from_query);
  for (std::string_view v : kVersions) {
    if (v == asked) return v;
  }
  // The value is not quoted back: it is the client's bytes, perhaps not even UTF-8.
  return ApiVersionInvalid(
      "The requested API version is not supported. Supported versions: 2021-02-05, 2024-10-01, "
      "2025-04-10, 2025-11-10, 2026-05-12.");
}

}  // namespace orgd::api
