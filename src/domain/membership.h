// OrganizationMembership: a user's place in an organization, with a role (BEHAVIOR.md §2.2).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

namespace orgd::domain {

struct Membership {
  std::string id;  // orgmem_…
  std::string organization_id;
  std::string user_id;
  std::string role;  // a role key, e.g. org:admin (domain/roles.h)
  boost::json::value public_metadata = boost::json::object();
  boost::json::value private_metadata = boost::json::object();
  int64_t created_at = 0;  // ms since the epoch
  int64_t updated_at = 0;
};

}  // namespace orgd::domain
