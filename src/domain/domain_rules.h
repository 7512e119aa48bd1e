// The rules of organization domains' names (BEHAVIOR.md §2.13): a name is a lowercase DNS name of
// at least two labels; public email providers are refused (anyone has an address there).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::domain {

// `name` lowercased and checked. Errors: 422 form_param_format_invalid (param `name`) for
// anything but letters, digits and hyphens in dot-separated labels of 1–63 characters, at least
// two labels, 253 characters at most, no leading or trailing hyphen in a label; 422
// organization_domain_common for a public email provider.
Result<std::string> NormalizeDomainName(std::string_view name);

// True for a public email provider's domain (gmail.com, outlook.com, …).
bool IsCommonEmailDomain(std::string_view name);

// The domain part of a normalized email address ("" without one).
std::string_view EmailDomain(std::string_view email);

}  // namespace orgd::domain
