#include "domain/org_claims.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "domain/roles.h"

namespace orgd::domain {
namespace {

// The decimal digits of the number whose bits (least significant first) are `bits`: an entry
// may exceed 64 bits, and the SDK reads it as an arbitrary-precision decimal.
std::string Decimal(const std::vector<bool>& bits) {
  std::string digits = "0";  // least significant digit first
  for (auto bit = bits.rbegin(); bit != bits.rend(); ++bit) {
    int carry = *bit ? 1 : 0;
    for (char& d : digits) {
      const int v = (d - '0') * 2 + carry;
      d = static_cast<char>('0' + v % 10);
      carry = v / 10;
    }
    if (carry > 0) digits.push_back(static_cast<char>('0' + carry));
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string Join(const std::vector<std::string>& parts, std::string_view prefix = {}) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out.push_back(',');
    out.append(prefix);
    out += part;
  }
  return out;
}

}  // namespace

OrgPermissionClaims EncodeOrgPermissions(const std::vector<std::string>& permission_keys) {
  std::map<std::string, std::set<std::string>> by_feature;  // sorted: a stable encoding
  std::set<std::string> action_set;
  for (const std::string& key : permission_keys) {
    if (key.starts_with(kSystemPermissionPrefix) || !key.starts_with("org:")) continue;
    const std::string_view rest = std::string_view(key).substr(4);
    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) continue;
    std::string action(rest.substr(colon + 1));
    by_feature[std::string(rest.substr(0, colon))].insert(action);
    action_set.insert(std::move(action));
  }
  OrgPermissionClaims claims;
  if (by_feature.empty()) return claims;
  const std::vector<std::string> actions(action_set.begin(), action_set.end());
  std::vector<std::string> features, masks;
  for (const auto& [feature, granted] : by_feature) {
    std::vector<bool> bits(actions.size());
    for (size_t j = 0; j < actions.size(); ++j) bits[j] = granted.contains(actions[j]);
    features.push_back(feature);
    masks.push_back(Decimal(bits));
  }
  claims.fea = Join(features, "o:");
  claims.per = Join(actions);
  claims.fpm = Join(masks);
  return claims;
}

}  // namespace orgd::domain
