// Rules for the free text a client names things with: organization, user, role and permission
// names, descriptions, external IDs. One rule, applied everywhere such text is accepted.
// Pure functions.
#pragma once

#include <string_view>

#include "common/result.h"

namespace orgd::domain {

// True when `text` holds a control character: C0 (U+0000–U+001F, tab and newlines included),
// DEL (U+007F) or C1 (U+0080–U+009F, UTF-8 C2 80–C2 9F). REQUIRES: `text` is UTF-8 (Boost.JSON
// refuses bodies that are not).
bool ContainsControlCharacter(std::string_view text);

// kInvalidArgument form_param_format_invalid naming `param` when `text` holds a control
// character. Such characters have no place in a name, and some tools cut text at a NUL
// (`sqlite3 .dump` does).
Result<void> RefuseControlCharacters(std::string_view text, std::string_view param);

}  // namespace orgd::domain
