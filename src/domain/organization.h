// Organization: a tenant of the app that uses orgd, as Clerk models it (BEHAVIOR.md §2.1).
//
// Metadata is free-form JSON, so it is held as a boost::json::value: the one place where the domain
// uses Boost.JSON (as a value type; the domain never parses or writes HTTP).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace orgd::domain {

struct Organization {
  std::string id;    // org_…
  std::string name;  // 1–256 characters, no URLs or HTML
  std::string slug;  // [a-z0-9-]+, unique in the instance
  // The uploaded logo (an img_… ID of the image store), absent when the org shows its default.
  std::optional<std::string> image_id;
  int64_t max_allowed_memberships = 0;  // 0 means unlimited
  bool admin_delete_enabled = true;
  // Objects, except that `PUT …/metadata` may store a JSON null as Clerk does.
  boost::json::value public_metadata = boost::json::object();
  boost::json::value private_metadata = boost::json::object();
  std::optional<std::string> created_by;  // user_…
  std::optional<std::string> role_set_key;
  int64_t created_at = 0;  // ms since the epoch
  int64_t updated_at = 0;
  // Kept exact by the store in the transactions that add or remove members.
  int64_t members_count = 0;
  // Pending invitations that have not expired, counted in the read that returns the
  // organization when it was asked for (OrganizationReadOptions); absent otherwise.
  std::optional<int64_t> pending_invitations_count;
};

// Defaults for a new organization when the request leaves a field out come from the instance's
// OrganizationSettings (organization_settings.h).

// Deep-merge into metadata and size checks live in metadata.h; name and slug rules in
// organization_rules.h.

}  // namespace orgd::domain
