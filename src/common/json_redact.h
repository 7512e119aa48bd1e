// Redacting what the audit log must not keep in the clear (service/transaction.h): private
// metadata is the app's server-side secret store, so an audit entry holds only its hash, enough
// to tell whether two versions are the same and nothing of what they say. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace orgd {

// `json` with the value of every `private_metadata` member, at any depth, replaced by
// "sha256:" + the SHA-256 hex of the value's compact serialization (null and {} stay: they hold
// nothing). Text whose every `"private_metadata":` is null or {} (most payloads) is returned as it
// is, without parsing; other text that is not JSON becomes one such hash string of the whole text.
std::string RedactPrivateMetadata(std::string_view json);

}  // namespace orgd
