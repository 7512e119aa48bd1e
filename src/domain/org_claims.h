// How a role's permissions travel in a v2 session token (BEHAVIOR.md §5.3–5.4): the custom
// permissions `org:<feature>:<action>` become
//   fea = "o:<feature>,…"   every feature once, sorted
//   per = "<action>,…"      every action once, sorted
//   fpm = "<mask>,…"        per feature, the decimal bitmask over `per` (bit j set: the role
//                           grants org:<feature>:<per[j]>); least significant bit = per[0]
// which @clerk/backend turns back into orgPermissions. System permissions (org:sys_*) are never
// encoded. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace orgd::domain {

struct OrgPermissionClaims {
  std::string fea;  // empty when the role grants no custom permission (then all three are)
  std::string per;
  std::string fpm;
};

// `permission_keys` in any order; keys that are not `org:<feature>:<action>` are skipped.
OrgPermissionClaims EncodeOrgPermissions(const std::vector<std::string>& permission_keys);

}  // namespace orgd::domain
