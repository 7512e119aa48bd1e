// Metadata rules shared by organizations, memberships and invitations (BEHAVIOR.md §2.13, §3.1).
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace orgd::domain {

// Each metadata field, serialized as compact JSON, may take at most this many bytes (Clerk: 8 KB).
inline constexpr int64_t kMaxMetadataBytes = 8 * 1024;

// Returns kInvalidArgument form_param_value_invalid unless `value` is a JSON object.
Result<void> RequireMetadataObject(const boost::json::value& value, std::string_view param);

// Returns kInvalidArgument form_param_exceeds_allowed_size when `value` serializes to more than
// kMaxMetadataBytes.
Result<void> CheckMetadataSize(const boost::json::value& value, std::string_view param);

// Merges `patch` into `target` as Clerk's PATCH …/metadata does: objects merge recursively, a key
// whose new value is null is removed at any depth, every other value replaces the old one.
// If `target` is not an object (a stored null), it becomes an empty object first.
void DeepMergeMetadata(boost::json::value& target, const boost::json::object& patch);

}  // namespace orgd::domain
