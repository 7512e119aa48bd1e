#include "service/user_filter.h"

#include <cctype>

#include "domain/user_rules.h"

namespace orgd::service {
namespace {

void Normalize(std::vector<std::string>& values,
               Result<std::string> (*normalize)(std::string_view, std::string_view)) {
  for (auto& v : values) {
    if (auto n = normalize(v, ""); n) v = std::move(*n);
  }
}

}  // namespace

void NormalizeUserFilter(store::UserFilter& filter) {
  Normalize(filter.email_addresses, domain::NormalizeEmailAddress);
  Normalize(filter.phone_numbers, domain::NormalizePhoneNumber);
  // Usernames are stored lowercased; a malformed one is still lowercased (it matches nobody).
  for (auto& v : filter.usernames) {
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
}

}  // namespace orgd::service
