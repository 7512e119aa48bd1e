#include "domain/organization_rules.h"

#include <algorithm>
#include <cctype>

#include "domain/errors.h"
#include "domain/text_rules.h"

namespace orgd::domain {
namespace {

bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int64_t CountCodePoints(std::string_view s) {
  // Continuation bytes are 10xxxxxx; every other byte starts a code point.
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A URL as Clerk refuses it in names: a scheme ("https://"), or a "www." host.
bool ContainsUrl(std::string_view lowered) {
  return lowered.find("://") != std::string_view::npos ||
         lowered.find("www.") != std::string_view::npos;
}

// An HTML tag, comment or entity-free markup start: '<' followed by a letter, '/', '!' or '?'.
bool ContainsHtml(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '<') continue;
    unsigned char next = static_cast<unsigned char>(s[i + 1]);
    if (std::isalpha(next) || next == '/' || next == '!' || next == '?') return true;
  }
  return false;
}

}  // namespace

Result<std::string> NormalizeOrganizationName(std::string_view name) {
  while (!name.empty() && IsSpace(name.front())) name.remove_prefix(1);
  while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
  if (name.empty()) return errors::ParamMissing("name");
  if (auto r = RefuseControlCharacters(name, "name"); !r) return r.error();
  if (CountCodePoints(name) > kMaxNameLength) return errors::ParamTooLong("name", kMaxNameLength);
  if (ContainsUrl(Lower(name)) || ContainsHtml(name)) {
    return Error(ErrorCode::kInvalidArgument, "form_param_value_invalid",
                 "invalid organization name",
                 "The organization name is invalid: it may not contain URLs or HTML.", "name");
  }
  return std::string(name);
}

Result<void> ValidateSlug(std::string_view slug) {
  if (slug.empty()) {
    return errors::ParamFormatInvalid(
        "slug", "slug must contain only lowercase alphanumeric characters and the dash \"-\".");
  }
  if (static_cast<int64_t>(slug.size()) > kMaxSlugLength) {
    return errors::ParamTooLong("slug", kMaxSlugLength);
  }
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return errors::ParamFormatInvalid(
          "slug", "slug must contain only lowercase alphanumeric characters and the dash \"-\".");
    }
  }
  return {};
}

std::string SlugFromName(std::string_view name) {
  std::string slug;
  slug.reserve(name.size());
  bool pending_dash = false;
  for (char raw : name) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_dash && !slug.empty()) slug.push_back('-');
      pending_dash = false;
      slug.push_back(c);
    } else {
      pending_dash = true;
    }
  }
  if (static_cast<int64_t>(slug.size()) > kMaxSlugLength) slug.resize(kMaxSlugLength);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "org";
  return slug;
}

}  // namespace orgd::domain
