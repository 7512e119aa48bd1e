// Clerk API versions (BEHAVIOR.md §1.1). A request names one with the `Clerk-API-Version` header
// or the `__clerk_api_version` query parameter (not both). Without either, Clerk answers with its
// oldest version, 2021-02-05; so does orgd.
//
// What differs between versions in orgd's scope: from 2026-05-12, PATCH /organizations/{id}
// refuses public_metadata/private_metadata (use …/metadata instead).
#pragma once

#include <string_view>

#include "common/result.h"
#include "http/request.h"

namespace orgd::api {

inline constexpr std::string_view kOldestApiVersion = "2021-02-05";
inline constexpr std::string_view kLatestApiVersion = "2026-05-12";

// Returns the version the request asks for (kOldestApiVersion when it names none).
// Errors: kBadRequest api_version_invalid when the version is unknown or named twice.
Result<std::string_view> RequestedApiVersion(const http::Request& request);

// True when `version` (a valid one) is `since` or newer.
inline bool ApiVersionAtLeast(std::string_view version, std::string_view since) {
  return version >= since;  // YYYY-MM-DD compares as text
}

}  // namespace orgd::api
