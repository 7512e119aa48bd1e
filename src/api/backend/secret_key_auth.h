// SecretKeyAuth: checks `Authorization: Bearer <secret key>` on Backend API requests.
//
// Keys are kept only as SHA-256 digests and compared with CRYPTO_memcmp, so neither the
// comparison time nor the length of a key leaks. Several keys may be valid at once (rotation).
//
// Thread safety: immutable after construction; Check() may be called from any thread.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace orgd::api {

// True when `key` has the shape Clerk gives secret keys: sk_test_… or sk_live_… followed by at
// least 16 characters of [0-9A-Za-z].
bool IsWellFormedSecretKey(std::string_view key);

class SecretKeyAuth {
 public:
  // REQUIRES: every key passes IsWellFormedSecretKey (the server refuses to start otherwise).
  explicit SecretKeyAuth(const std::vector<std::string>& keys);

  // Returns the public id of the key the request presents ("key_" and 8 hex digits derived from
  // the key, stable across restarts, for logs and the audit trail; never the key).
  // Errors (all kUnauthenticated): authentication_invalid when there is no Authorization header;
  // authorization_header_format_invalid when it is not `Bearer <token>`; clerk_key_invalid when
  // the token is none of the keys.
  Result<std::string_view> Check(const http::Request& request) const;

  // True when `key_id` (as Check returns it) names an sk_live_ key: a production instance's,
  // which Clerk's rate limits treat apart from development keys.
  bool IsLive(std::string_view key_id) const;

 private:
  std::vector<std::array<unsigned char, 32>> digests_;
  std::vector<std::string> ids_;  // ids_[i] names digests_[i]
  std::vector<bool> live_;        // live_[i]: digests_[i] is an sk_live_ key
};

}  // namespace orgd::api
