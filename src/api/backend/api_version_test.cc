#include "api/backend/api_version.h"

#include <gtest/gtest.h>

namespace orgd::api {
namespace {

http::Request With(std::string header, std::string query = "") {
  http::Request r;
  if (!header.empty()) r.headers.push_back({"clerk-api-version", header});
  r.query = std::move(query);
  return r;
}

TEST(ApiVersionTest, DefaultsToTheOldestVersion) {
  EXPECT_EQ(*RequestedApiVersion(With("")), "2021-02-05");
}

TEST(ApiVersionTest, AcceptsKnownVersionsFromHeaderOrQuery) {
  EXPECT_EQ(*RequestedApiVersion(With("2026-05-12")), "2026-05-12");
  EXPECT_EQ(*RequestedApiVersion(With("", "__clerk_api_version=2025-04-10")), "2025-04-10");
}

TEST(ApiVersionTest, RefusesUnknownVersionsAndBothPlaces) {
  auto unknown = RequestedApiVersion(With("1999-01-01"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().clerk_code, "api_version_invalid");
  EXPECT_EQ(unknown.error().code, ErrorCode::kBadRequest);
  auto both = RequestedApiVersion(With("2026-05-12", "__clerk_api_version=2026-05-12"));
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().clerk_code, "api_version_invalid");
}

// Found by fuzz/api_headers_fuzzer.cc: the parameter spelled with an escape was ignored, so a
// request could name two versions, or an unknown one, and be served the oldest.
TEST(ApiVersionTest, FindsTheParameterByItsDecodedName) {
  EXPECT_EQ(*RequestedApiVersion(With("", "limit=1&__clerk%5Fapi_version=2025-04-10")),
            "2025-04-10");
  auto both = RequestedApiVersion(With("2026-05-12", "__clerk_api%5Fversion=2026-05-12"));
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().clerk_code, "api_version_invalid");
  auto unknown = RequestedApiVersion(With("", "%5F_clerk_api_version=1999-01-01"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().clerk_code, "api_version_invalid");
  // A malformed query that does not name the version is left to the handler.
  EXPECT_EQ(*RequestedApiVersion(With("2025-04-10", "query=%zz")), "2025-04-10");
}

TEST(ApiVersionTest, ComparesVersions) {
  EXPECT_TRUE(ApiVersionAtLeast("2026-05-12", "2026-05-12"));
  EXPECT_FALSE(ApiVersionAtLeast("2025-11-10", "2026-05-12"));
}

}  // namespace
}  // namespace orgd::api
