#include "domain/domain_rules.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/errors.h"

namespace orgd::domain {
namespace {

// Providers where anyone can have an address: owning an address there proves nothing.
constexpr std::array<std::string_view, 33> kCommonDomains = {
    "gmail.com",    "googlemail.com", "yahoo.com", "yahoo.co.uk",    "ymail.com",  "outlook.com",
    "hotmail.com",  "hotmail.co.uk",  "live.com",  "msn.com",        "icloud.com", "me.com",
    "mac.com",      "aol.com",        "proton.me", "protonmail.com", "pm.me",      "gmx.com",
    "gmx.de",       "gmx.net",        "web.de",    "mail.com",       "mail.ru",    "yandex.com",
    "yandex.ru",    "zoho.com",       "qq.com",    "163.com",        "126.com",    "naver.com",
    "fastmail.com", "tutanota.com",   "hey.com"};

}  // namespace

bool IsCommonEmailDomain(std::string_view name) {
  return std::find(kCommonDomains.begin(), kCommonDomains.end(), name) != kCommonDomains.end();
}

std::string_view EmailDomain(std::string_view email) {
  const size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

Result<std::string> NormalizeDomainName(std::string_view raw) {
  std::string name(raw);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto invalid = [] {
    return errors::ParamFormatInvalid("name", "name must be a valid domain name, e.g. acme.com.");
  };
  if (name.empty() || name.size() > 253) return invalid();
  int labels = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string::npos) end = name.size();
    const std::string_view label(name.data() + start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return invalid();
    }
    for (char c : label) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return invalid();
    }
    ++labels;
    start = end + 1;
    if (end == name.size()) break;
  }
  if (labels < 2) return invalid();
  if (IsCommonEmailDomain(name)) {
    return Error(ErrorCode::kInvalidArgument, "organization_domain_common", "Common email provider",
                 "This is a public email provider's domain: anyone can have an address there.",
                 "name");
  }
  return name;
}

}  // namespace orgd::domain
