// `orgd keys …`: the session-token signing keys as an operator handles them (service/
// signing_keys.h). Each opens the store by itself (SQLite's WAL lets it run beside a serving
// orgd; PostgreSQL is shared anyway); a running orgd follows a rotation at its next mint.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "service/signing_keys.h"

namespace orgd::server {

// `orgd keys rotate`: a new current key; the old one stays in the JWKS until its tokens expired.
// Returns the new kid.
Result<std::string> RotateSigningKey(const std::string& database_url);

// `orgd keys list`: every key still stored, newest first.
Result<std::vector<service::KeyInfo>> ListSigningKeys(const std::string& database_url);

// `orgd keys public-pem`: the SPKI PEM of the current key (made on first use, as `orgd serve`
// would), or of `kid`. kNotFound for an unknown kid.
Result<std::string> SigningKeyPublicPem(const std::string& database_url,
                                        const std::optional<std::string>& kid);

}  // namespace orgd::server
