// User: the record a membership points to (BEHAVIOR.md §2.10). orgd is not a sign-in service:
// users are created and updated through the Backend API, and carry what memberships and
// invitations need (names, identifiers, an image, metadata).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orgd::domain {

// An email address or a phone number of a user (Clerk calls both "identifications", idn_…).
struct Identifier {
  std::string id;     // idn_…
  std::string value;  // lowercased email, or an E.164 phone number
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct User {
  std::string id;  // user_…
  std::optional<std::string> external_id;
  std::optional<std::string> username;  // lowercased, unique in the instance
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> image_id;      // the uploaded profile image (img_…)
  std::vector<Identifier> email_addresses;  // in the order given; emails unique in the instance
  std::vector<Identifier> phone_numbers;    // in the order given; numbers unique in the instance
  std::optional<std::string> primary_email_address_id;
  std::optional<std::string> primary_phone_number_id;
  // Objects, except that `PUT …/metadata` may store a JSON null as Clerk does.
  boost::json::value public_metadata = boost::json::object();
  boost::json::value private_metadata = boost::json::object();
  boost::json::value unsafe_metadata = boost::json::object();
  bool create_organization_enabled = true;
  std::optional<int64_t> create_organizations_limit;  // null: the instance default; 0: unlimited
  bool delete_self_enabled = true;
  int64_t created_at = 0;  // ms since the epoch
  int64_t updated_at = 0;

  const Identifier* PrimaryEmail() const { return Find(email_addresses, primary_email_address_id); }
  const Identifier* PrimaryPhone() const { return Find(phone_numbers, primary_phone_number_id); }

  // The identifier shown for the user in membership lists: the primary email, else the
  // username, else the primary phone number (the order issue 4 sets; BEHAVIOR.md §7.16).
  std::optional<std::string> DisplayIdentifier() const {
    if (const Identifier* email = PrimaryEmail()) return email->value;
    if (username) return username;
    if (const Identifier* phone = PrimaryPhone()) return phone->value;
    return std::nullopt;
  }

 private:
  static const Identifier* Find(const std::vector<Identifier>& all,
                                const std::optional<std::string>& id) {
    if (!id) return nullptr;
    for (const auto& i : all) {
      if (i.id == *id) return &i;
    }
    return nullptr;
  }
};

}  // namespace orgd::domain
