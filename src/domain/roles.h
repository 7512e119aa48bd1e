// Organization roles and permissions (BEHAVIOR.md §2.7, §2.8, §2.13), and RoleTable: the
// in-memory answer to "may a member with this role do X", built from the stored roles.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/result.h"
#include "domain/org_claims.h"

namespace orgd::domain {

// The default roles org:admin and org:member and the system permissions are seeded by
// migrations/sqlite/0003_roles_permissions_settings.sql; the creator role is a setting
// (organization_settings.h).

// What a creator role must grant (and what the last remaining "admin" of an organization holds).
inline constexpr std::array<std::string_view, 3> kCreatorPermissions = {
    "org:sys_memberships:manage", "org:sys_memberships:read", "org:sys_profile:delete"};

inline constexpr std::string_view kSystemPermissionPrefix = "org:sys_";

struct Permission {
  std::string id;   // perm_…
  std::string key;  // org:<feature>:<action>
  std::string name;
  std::string description;
  std::string type;  // "system" (immutable, built in) or "user"
  int64_t created_at = 0;
  int64_t updated_at = 0;

  bool IsSystem() const { return type == "system"; }
};

struct Role {
  std::string id;   // role_…
  std::string key;  // org:<name>
  std::string name;
  std::optional<std::string> description;
  std::vector<Permission> permissions;  // ordered by key
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // Grants every permission in kCreatorPermissions.
  bool IsCreatorEligible() const;
};

// Returns kInvalidArgument form_param_format_invalid (param "key") unless `key` is
// `org:` followed by 1–64 of [a-z0-9_].
Result<void> ValidateRoleKey(std::string_view key);

// Returns kInvalidArgument form_param_format_invalid (param "key") unless `key` is
// `org:<feature>:<action>` with both parts 1–64 of [a-z0-9_], and the feature does not start
// with `sys_` (reserved for system permissions).
Result<void> ValidatePermissionKey(std::string_view key);

// An immutable snapshot of every role and the permission keys it grants. Lookups are hash-map
// reads; share one snapshot between threads through a shared_ptr<const RoleTable>.
class RoleTable {
 public:
  // Transparent hashing, so lookups by string_view allocate nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Entry {
    std::string key;
    std::string name;
    std::vector<std::string> permissions;  // keys, ordered
    std::unordered_set<std::string, Hash, std::equal_to<>> permission_set;
    bool creator_eligible = false;
    // The custom permissions as a session token carries them (domain/org_claims.h), encoded
    // once per table rather than per token.
    OrgPermissionClaims token_claims;
  };

  // `version` names the stored state the snapshot was built from (see PermissionAuthority).
  RoleTable(const std::vector<Role>& roles, int64_t version);

  // The role with this key, or nullptr.
  const Entry* Find(std::string_view role_key) const;
  // Whether the role grants the permission. False for an unknown role.
  bool Can(std::string_view role_key, std::string_view permission_key) const;
  int64_t version() const { return version_; }
  size_t size() const { return roles_.size(); }

 private:
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> roles_;
  int64_t version_;
};

}  // namespace orgd::domain
