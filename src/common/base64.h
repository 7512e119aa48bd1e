// Base64 (RFC 4648): the standard alphabet with padding (webhook secrets and signatures, MIME
// bodies) and base64url without padding (JWTs, RFC 7515 §2). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orgd {

std::string Base64Encode(std::string_view bytes);
// nullopt when `text` is not padded standard base64.
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace orgd
