// Checks and conversions that every service applies to the same kinds of fields: user IDs,
// import timestamps and metadata (create, merge, replace).
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::service {

// kInvalidArgument form_param_format_invalid unless `id` is absent or looks like user_….
Result<void> ValidateUserId(const std::optional<std::string>& id, std::string_view param);

// Parses an RFC 3339 `created_at` (for imports) into ms; absent stays absent.
// kInvalidArgument form_param_invalid_time otherwise.
Result<std::optional<int64_t>> ParseCreatedAt(const std::optional<std::string>& text);

// A metadata field on create: absent or null means {}; anything else must be an object of at
// most 8 KB.
Result<boost::json::value> InitialMetadata(const std::optional<boost::json::value>& value,
                                           std::string_view param);

// How an update changes one metadata field. Absent values leave the field alone.
using MetadataFieldChange = Result<void> (*)(boost::json::value& field,
                                             const std::optional<boost::json::value>& value,
                                             std::string_view param);

// PUT …/metadata: the field becomes `value` (an object of at most 8 KB, or null).
Result<void> ReplaceField(boost::json::value& field, const std::optional<boost::json::value>& value,
                          std::string_view param);

// PATCH …/metadata: `value` (an object) is deep-merged into the field; the result must fit 8 KB.
Result<void> MergeField(boost::json::value& field, const std::optional<boost::json::value>& value,
                        std::string_view param);

}  // namespace orgd::service
