// RFC 3339 timestamps, the format Clerk accepts for `created_at` on imports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orgd {

// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (RFC 3339 §5.6; `t`/`z` may be lowercase) into
// milliseconds since the Unix epoch. Fractions beyond milliseconds are truncated. Returns nullopt
// for anything else, including out-of-range fields (month 13, 25:00, Feb 30) and years outside
// 0000–9999.
std::optional<int64_t> ParseRfc3339Millis(std::string_view text);

// Formats milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
std::string FormatRfc3339Millis(int64_t millis);

}  // namespace orgd
