// One-way digests of secrets orgd keeps only in hashed form (sign-in tokens, Frontend API client
// credentials, affiliation codes). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace orgd {

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace orgd
