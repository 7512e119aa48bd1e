#include "domain/roles.h"

#include <algorithm>

#include "domain/errors.h"

namespace orgd::domain {
namespace {

bool IsKeyPart(std::string_view part) {
  return !part.empty() && part.size() <= 64 && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

bool Role::IsCreatorEligible() const {
  return std::all_of(kCreatorPermissions.begin(), kCreatorPermissions.end(), [&](auto needed) {
    return std::any_of(permissions.begin(), permissions.end(),
                       [&](const Permission& p) { return p.key == needed; });
  });
}

Result<void> ValidateRoleKey(std::string_view key) {
  if (!key.starts_with("org:") || !IsKeyPart(key.substr(4))) {
    return errors::ParamFormatInvalid(
        "key", "key must be \"org:\" followed by lowercase letters, digits and underscores.");
  }
  return {};
}

Result<void> ValidatePermissionKey(std::string_view key) {
  std::string_view rest = key.starts_with("org:") ? key.substr(4) : std::string_view{};
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || !IsKeyPart(rest.substr(0, colon)) ||
      !IsKeyPart(rest.substr(colon + 1))) {
    return errors::ParamFormatInvalid(
        "key",
        "key must look like org:<feature>:<action>, with lowercase letters, digits and "
        "underscores.");
  }
  if (key.starts_with(kSystemPermissionPrefix)) {
    return errors::ParamFormatInvalid("key",
                                      "The org:sys_ prefix is reserved for system "
                                      "permissions.");
  }
  return {};
}

RoleTable::RoleTable(const std::vector<Role>& roles, int64_t version) : version_(version) {
  for (const Role& role : roles) {
    Entry entry;
    entry.key = role.key;
    entry.name = role.name;
    for (const auto& p : role.permissions) {
      entry.permissions.push_back(p.key);
      entry.permission_set.insert(p.key);
    }
    std::sort(entry.permissions.begin(), entry.permissions.end());
    entry.creator_eligible = role.IsCreatorEligible();
    entry.token_claims = EncodeOrgPermissions(entry.permissions);
    roles_.emplace(role.key, std::move(entry));
  }
}

const RoleTable::Entry* RoleTable::Find(std::string_view role_key) const {
  auto it = roles_.find(role_key);
  return it == roles_.end() ? nullptr : &it->second;
}

bool RoleTable::Can(std::string_view role_key, std::string_view permission_key) const {
  const Entry* entry = Find(role_key);
  return entry != nullptr && entry->permission_set.contains(permission_key);
}

}  // namespace orgd::domain
