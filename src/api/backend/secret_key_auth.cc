#include "api/backend/secret_key_auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "domain/errors.h"

namespace orgd::api {
namespace {

std::array<unsigned char, 32> Digest(std::string_view s) {
  std::array<unsigned char, 32> out;
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), out.data());
  return out;
}

}  // namespace

bool IsWellFormedSecretKey(std::string_view key) {
  std::string_view rest;
  if (key.starts_with("sk_test_")) {
    rest = key.substr(8);
  } else if (key.starts_with("sk_live_")) {
    rest = key.substr(8);
  } else {
    return false;
  }
  if (rest.size() < 16) return false;
  for (char c : rest) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

SecretKeyAuth::SecretKeyAuth(const std::vector<std::string>& keys) {
  for (const auto& key : keys) digests_.push_back(Digest(key));
}

Result<void> SecretKeyAuth::Check(const http::Request& request) const {
  if (!request.HasHeader("authorization")) return errors::AuthenticationMissing();
  std::string_view header = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return errors::AuthorizationHeaderFormatInvalid();
  }
  std::string_view token = header.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  const auto presented = Digest(token);
  bool match = false;
  for (const auto& digest : digests_) {
    // Every key is compared, so the time does not tell which one matched.
    match |= CRYPTO_memcmp(digest.data(), presented.data(), digest.size()) == 0;
  }
  if (!match) return errors::SecretKeyInvalid();
  return {};
}

}  // namespace orgd::api
