// Fuzzes the Backend API's front door, the two things it reads from every request before a
// handler runs: the secret key (api/backend/secret_key_auth.h: `Authorization: Bearer sk_…`,
// IsWellFormedSecretKey) and the API version (api/backend/api_version.h: the Clerk-API-Version
// header or the __clerk_api_version query parameter).
//
// orgd parses no JWT: it only signs session tokens (common/rsa_signer.h SignJwt) and never reads
// one back; the credentials it verifies are the secret key here, and the client credential and
// tickets that the stores check (service/client_service.cc, service/invitation_service.cc).
// token_encoding_fuzzer covers what goes into the tokens it signs.
//
// Input: header lines `Name: value` (a trailing CR is dropped); a line starting with '?' is the
// query string. Names compare case-insensitively, as the server's lowercased ones do.
//
// Invariants: Check() accepts exactly `Bearer` (any case) + space + one of the configured keys
// (spaces around it ignored) and returns that key's id; otherwise the error its contract names,
// a 401 with a valid envelope; IsWellFormedSecretKey is sk_test_/sk_live_ and 16 or more
// alphanumerics; the API version is one of Clerk's five (the oldest when none is asked for),
// refused when asked twice or unknown, by header or by parameter.
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "api/backend/api_version.h"
#include "api/backend/secret_key_auth.h"
#include "api/query_params.h"
#include "fuzz_check.h"

namespace orgd::fuzz {
namespace {

constexpr std::string_view kTestKey = "sk_test_0123456789abcdefABCDEF0123456789";
constexpr std::string_view kLiveKey = "sk_live_ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
constexpr std::array<std::string_view, 5> kVersions = {"2021-02-05", "2024-10-01", "2025-04-10",
                                                       "2025-11-10", "2026-05-12"};

struct Keys {
  api::SecretKeyAuth auth{{std::string(kTestKey), std::string(kLiveKey)}};
  std::string test_id;
  std::string live_id;
};

// The ids the keys get, read once through Check() itself.
const Keys& Configured() {
  static const Keys* keys = [] {
    auto* k = new Keys;
    for (auto [key, id] : {std::pair{kTestKey, &k->test_id}, std::pair{kLiveKey, &k->live_id}}) {
      http::Request r;
      r.headers.push_back({"authorization", "Bearer " + std::string(key)});
      auto got = k->auth.Check(r);
      ORGD_FUZZ_CHECK(got.has_value());
      *id = std::string(*got);
      ORGD_FUZZ_CHECK(id->size() == 12 && id->starts_with("key_"));
    }
    ORGD_FUZZ_CHECK(k->test_id != k->live_id);
    return k;
  }();
  return *keys;
}

bool WellFormedReference(std::string_view key) {
  if (!key.starts_with("sk_test_") && !key.starts_with("sk_live_")) return false;
  key.remove_prefix(8);
  if (key.size() < 16) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void CheckSecretKey(const http::Request& request) {
  const Keys& keys = Configured();
  auto got = keys.auth.Check(request);
  if (!got) {
    ORGD_FUZZ_CHECK(got.error().code == ErrorCode::kUnauthenticated);
    CheckClientError(got.error());
  }
  if (!request.HasHeader("authorization")) {
    ORGD_FUZZ_CHECK(!got && got.error().clerk_code == "authentication_invalid");
    return;
  }
  const std::string_view header = request.Header("authorization");
  std::string prefix(header.substr(0, 7));
  for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (header.size() <= 7 || prefix != "bearer ") {
    ORGD_FUZZ_CHECK(!got && got.error().clerk_code == "authorization_header_format_invalid");
    return;
  }
  std::string_view token = header.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token == kTestKey) {
    ORGD_FUZZ_CHECK(got && *got == keys.test_id);
  } else if (token == kLiveKey) {
    ORGD_FUZZ_CHECK(got && *got == keys.live_id);
  } else {
    ORGD_FUZZ_CHECK(!got && got.error().clerk_code == "clerk_key_invalid");
  }
}

void CheckApiVersion(const http::Request& request) {
  auto got = api::RequestedApiVersion(request);
  if (!got) CheckClientError(got.error());
  auto params = api::QueryParams::Parse(request.query);
  if (!params) {
    // A query that does not decode names no supported version when it names the version;
    // otherwise it is left to the handler.
    if (request.query.find("__clerk_api_version") != std::string::npos) {
      ORGD_FUZZ_CHECK(!got && got.error().clerk_code == "api_version_invalid");
    } else {
      ORGD_FUZZ_CHECK(got || got.error().clerk_code == "api_version_invalid");
    }
    return;
  }
  const bool has_header = request.HasHeader("clerk-api-version");
  const std::optional<std::string_view> from_query = params->Get("__clerk_api_version");
  if (has_header && from_query) {
    ORGD_FUZZ_CHECK(!got && got.error().clerk_code == "api_version_invalid");
    return;
  }
  if (!has_header && !from_query) {
    ORGD_FUZZ_CHECK(got && *got == api::kOldestApiVersion);
    return;
  }
  const std::string_view asked = has_header ? request.Header("clerk-api-version") : *from_query;
  if (std::find(kVersions.begin(), kVersions.end(), asked) != kVersions.end()) {
    ORGD_FUZZ_CHECK(got && *got == asked);
    ORGD_FUZZ_CHECK(api::ApiVersionAtLeast(*got, api::kOldestApiVersion));
    ORGD_FUZZ_CHECK(api::ApiVersionAtLeast(api::kLatestApiVersion, *got));
  } else {
    ORGD_FUZZ_CHECK(!got && got.error().clerk_code == "api_version_invalid");
  }
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  std::string_view in = AsText(data, size);
  http::Request request;
  request.method = http::Method::kGet;
  request.path = "/v1/organizations";
  while (!in.empty()) {
    std::string_view line = TakeLine(in);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.starts_with('?')) {
      request.query = std::string(line.substr(1));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      ORGD_FUZZ_CHECK(api::IsWellFormedSecretKey(line) == WellFormedReference(line));
      continue;
    }
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    request.headers.push_back({std::move(name), std::string(value)});
    ORGD_FUZZ_CHECK(api::IsWellFormedSecretKey(value) == WellFormedReference(value));
  }
  CheckSecretKey(request);
  CheckApiVersion(request);
  return 0;
}
