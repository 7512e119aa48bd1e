// The rules an organization's name and slug obey (BEHAVIOR.md §2.1, §2.13). Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::domain {

inline constexpr int64_t kMaxNameLength = 256;  // characters (Unicode code points)
inline constexpr int64_t kMaxSlugLength = 256;

// Returns the name with surrounding whitespace removed, or:
//   kInvalidArgument form_param_missing when it is empty or only whitespace;
//   kInvalidArgument form_param_format_invalid when it holds a control character (after
//     trimming; domain/text_rules.h);
//   kInvalidArgument form_param_max_length_exceeded above kMaxNameLength code points;
//   kInvalidArgument form_param_value_invalid when it contains a URL or an HTML tag.
// REQUIRES: `name` is valid UTF-8 (the JSON parser guarantees it).
Result<std::string> NormalizeOrganizationName(std::string_view name);

// Returns kInvalidArgument unless `slug` is 1–kMaxSlugLength characters of [a-z0-9-]
// (form_param_format_invalid, or form_param_max_length_exceeded when too long).
Result<void> ValidateSlug(std::string_view slug);

// The slug Clerk's UI derives from a name: lowercase ASCII letters and digits, every other run of
// characters replaced by one dash, no dash at either end; "org" when nothing is left. Always
// passes ValidateSlug.
std::string SlugFromName(std::string_view name);

}  // namespace orgd::domain
