// The rules a user's identifiers and names obey. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::domain {

inline constexpr int64_t kMinUsernameLength = 4;
inline constexpr int64_t kMaxUsernameLength = 64;
inline constexpr int64_t kMaxUserNameFieldLength = 256;  // first_name, last_name, external_id

// Returns the address trimmed and lowercased, or kInvalidArgument form_param_format_invalid
// (param `param`) unless it is `local@domain` with a printable ASCII local part of 1–64
// characters and a domain of dot-separated labels ([a-z0-9-], not starting or ending with '-')
// whose last label has two or more letters; at most 320 characters in all.
Result<std::string> NormalizeEmailAddress(std::string_view email, std::string_view param);

// Returns the username trimmed and lowercased, or:
//   form_username_invalid_length unless it has kMinUsernameLength–kMaxUsernameLength characters;
//   form_username_invalid_character unless it has only ASCII letters, digits, '_', '-' and '.'.
Result<std::string> NormalizeUsername(std::string_view username);

// Returns the number in E.164 form: '+' and 8–15 digits. Spaces, dashes, dots and parentheses
// between digits are dropped. Otherwise form_param_format_invalid naming `param`.
Result<std::string> NormalizePhoneNumber(std::string_view phone, std::string_view param);

// first_name, last_name, external_id: form_param_format_invalid when it holds a control
// character (domain/text_rules.h); form_param_max_length_exceeded above
// kMaxUserNameFieldLength characters.
Result<void> CheckUserTextField(std::string_view value, std::string_view param);

}  // namespace orgd::domain
