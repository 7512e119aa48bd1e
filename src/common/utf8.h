// UTF-8 well-formedness (RFC 3629): what orgd may echo of a client's bytes in a JSON body.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace orgd {

// True when `s` is well-formed UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool IsValidUtf8(std::string_view s);

// `s` with each ill-formed sequence replaced by U+FFFD (one per maximal ill-formed subpart, as
// Unicode §3.9 recommends), so text built from request bytes always serializes as valid JSON.
std::string ToValidUtf8(std::string_view s);

}  // namespace orgd
