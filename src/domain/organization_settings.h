// The instance's organization settings (BEHAVIOR.md §2.9): defaults for new organizations and
// instance-wide limits. One JSON document (ToJson/FromJson): the store keeps it, the API answers
// it with Clerk's `object` tag; every field has Clerk's documented default.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orgd::domain {

struct OrganizationSettings {
  bool enabled = true;
  int64_t max_allowed_memberships = 5;  // default for new organizations; 0 = unlimited
  int64_t max_allowed_roles = 10;
  int64_t max_role_sets_allowed = 1;
  int64_t max_allowed_domains = 10;
  int64_t max_allowed_permissions = 50;    // deprecated by Clerk: no effect
  std::string creator_role = "org:admin";  // a role key
  bool admin_delete_enabled = true;        // copied into new organizations
  bool domains_enabled = false;
  bool slug_disabled = false;
  std::vector<std::string> domains_enrollment_modes;  // manual_invitation, automatic_*
  std::string domains_default_role = "org:member";    // a role key
  std::optional<std::string> initial_role_set_key;
};

// Every field under its API name; initial_role_set_key is null when absent.
boost::json::object ToJson(const OrganizationSettings& settings);
// The settings a document describes; a field that is missing or of the wrong type keeps its
// default (documents written by older versions lack newer fields).
OrganizationSettings OrganizationSettingsFromJson(const boost::json::value& document);

}  // namespace orgd::domain
