// The user part of a store transaction (users with their email addresses and phone numbers).
// Implementation: store/sql (on SQLite and PostgreSQL).
//
// Thread safety: a UserReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/user.h"
#include "store/page.h"

namespace orgd::store {

// Filters on user attributes, shared by user lists and membership lists. Empty vectors and
// absent strings filter nothing; every present filter must match (AND). Values of exact-match
// filters are compared as stored (emails and usernames lowercased, phones in E.164).
struct UserFilter {
  std::vector<std::string> include_user_ids;  // when not empty, only these users
  std::vector<std::string> exclude_user_ids;
  std::vector<std::string> email_addresses;  // users with any of these addresses
  std::vector<std::string> phone_numbers;
  std::vector<std::string> usernames;
  std::vector<std::string> include_external_ids;
  std::vector<std::string> exclude_external_ids;
  // Case-insensitive substring of an email, phone number, username, first or last name, or the
  // exact user ID.
  std::optional<std::string> query;
  std::optional<std::string> email_address_query;
  std::optional<std::string> phone_number_query;
  std::optional<std::string> username_query;
  std::optional<std::string> name_query;  // first name, last name, or "first last"
  // Set when a filter names something users here never have (a web3 wallet, a last activity
  // time): then nothing matches.
  bool match_nothing = false;

  // True when no filter is set.
  bool Empty() const {
    return include_user_ids.empty() && exclude_user_ids.empty() && email_addresses.empty() &&
           phone_numbers.empty() && usernames.empty() && include_external_ids.empty() &&
           exclude_external_ids.empty() && !query && !email_address_query && !phone_number_query &&
           !username_query && !name_query && !match_nothing;
  }
};

enum class UserSortField {
  kCreatedAt,
  kUpdatedAt,
  kEmailAddress,  // the primary email address
  kPhoneNumber,   // the primary phone number
  kFirstName,
  kLastName,
  kUsername,
  kNone,  // a field no user has a value for (last_active_at…): ties, broken by ID
};

struct UserListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  UserFilter filter;
  std::vector<std::string> include_organization_ids;  // members of any of these organizations
  std::vector<std::string> exclude_organization_ids;  // members of none of these
  std::optional<int64_t> created_at_before;           // ms, exclusive
  std::optional<int64_t> created_at_after;            // ms, exclusive
  UserSortField sort = UserSortField::kCreatedAt;
  SortDirection direction = SortDirection::kDescending;
};

class UserReader {
 public:
  virtual ~UserReader() = default;
  // Returns kNotFound when no user has this ID.
  virtual Result<domain::User> Get(std::string_view id) = 0;
  // The users with these IDs, each once, in no particular order; IDs no user has are left out.
  // Three statements whatever the number (for pages of memberships: one round trip per user would
  // dominate on a networked store).
  virtual Result<std::vector<domain::User>> GetMany(const std::vector<std::string>& ids) = 0;
  // One page in the requested order, ties broken by ID in the same direction. Ignores
  // nothing in `query`.
  virtual Result<std::vector<domain::User>> List(const UserListQuery& query) = 0;
  // How many users match the filters of `query` (limit, offset and order are ignored).
  virtual Result<int64_t> Count(const UserListQuery& query) = 0;
};

class UserWriter : public UserReader {
 public:
  // Stores a new user with its email addresses and phone numbers. Returns kUniqueViolation
  // (constraint::kUserEmail, kUserPhone or kUserUsername) when one is taken (by anyone, the same
  // user included), "id" when the ID is.
  virtual Result<void> Insert(const domain::User& user) = 0;
  // Overwrites the user's own fields (not its email addresses or phone numbers). Returns
  // kNotFound, or kUniqueViolation (kUserUsername) when the new username is taken.
  virtual Result<void> Update(const domain::User& user) = 0;
  // Deletes the user, its identifiers and its memberships, keeping every affected
  // organization's members_count exact. Returns kNotFound when it does not exist.
  virtual Result<void> Delete(std::string_view id) = 0;
};

}  // namespace orgd::store
