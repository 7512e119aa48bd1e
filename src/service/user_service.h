// UserService: the user records memberships point to (BEHAVIOR.md §3.7). Users are created,
// changed and deleted through the Backend API; orgd does not sign anyone in.
//
// Webhook events, each in the transaction of its change (service/event_payloads.h):
// user.created; user.updated for every change (fields, metadata, profile image); on deletion a
// session.ended for each session the deletion ends, then user.deleted. Deleting a user records no
// organizationMembership.deleted for the memberships that go with them (user.deleted says it).
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/executor.h"
#include "common/ids.h"
#include "domain/user.h"
#include "media/image_processor.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

struct CreateUserCommand {
  std::vector<std::string> email_addresses;  // the first becomes the primary one
  std::vector<std::string> phone_numbers;    // the first becomes the primary one
  std::optional<std::string> username;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> external_id;
  std::optional<boost::json::value> public_metadata;  // objects; absent or null means {}
  std::optional<boost::json::value> private_metadata;
  std::optional<boost::json::value> unsafe_metadata;
  std::optional<bool> create_organization_enabled;    // default true
  std::optional<int64_t> create_organizations_limit;  // >= 0 (0: unlimited)
  std::optional<bool> delete_self_enabled;            // default true
  std::optional<std::string> created_at;              // RFC 3339, for imports
};

struct UpdateUserCommand {
  std::optional<std::string> username;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> external_id;
  std::optional<std::string> primary_email_address_id;  // one of the user's email addresses
  std::optional<std::string> primary_phone_number_id;   // one of the user's phone numbers
  std::optional<bool> create_organization_enabled;
  std::optional<int64_t> create_organizations_limit;
  std::optional<bool> delete_self_enabled;
  std::optional<std::string> created_at;
  // Replacement metadata, accepted only under API versions before 2026-05-12.
  std::optional<boost::json::value> public_metadata;
  std::optional<boost::json::value> private_metadata;
  std::optional<boost::json::value> unsafe_metadata;
};

struct UserMetadataCommand {
  std::optional<boost::json::value> public_metadata;
  std::optional<boost::json::value> private_metadata;
  std::optional<boost::json::value> unsafe_metadata;
};

class UserService {
 public:
  static constexpr int64_t kMaxImageBytes = 10 * 1024 * 1024;

  // REQUIRES: every argument outlives the service.
  UserService(store::Database& db, const Clock& clock, IdGenerator& ids,
              media::ImageProcessor& images, Executor& image_executor,
              const EventPayloads& payloads);

  // Users are the instance's: every method needs a trusted caller (the secret key or the
  // system; 403 authorization_invalid otherwise, service/authorization.h).
  //
  // Errors: kInvalidArgument for malformed emails (form_param_format_invalid), usernames
  // (form_username_invalid_*), phone numbers, over-long names, bad metadata or created_at;
  // kAlreadyExists (form_identifier_exists) when an email, phone number or username is taken.
  void Create(const RequestContext& ctx, CreateUserCommand cmd, Callback<domain::User> done);
  // Errors: kNotFound.
  void Get(const RequestContext& ctx, std::string id, Callback<domain::User> done);
  // One page of users (GET /v1/users answers a plain array).
  void List(const RequestContext& ctx, store::UserListQuery query,
            Callback<std::vector<domain::User>> done);
  // How many users match the filters.
  void Count(const RequestContext& ctx, store::UserListQuery query, Callback<int64_t> done);
  // Errors: kNotFound; the validation errors of Create; kAlreadyExists for a taken username;
  // form_param_value_invalid when a primary identifier ID is not the user's.
  void Update(const RequestContext& ctx, std::string id, UpdateUserCommand cmd,
              Callback<domain::User> done);
  // Deletes the user, their identifiers, profile image and memberships (member counts stay
  // exact) in one transaction. Errors: kNotFound.
  void Delete(const RequestContext& ctx, std::string id, Callback<std::string> done);
  // PATCH …/metadata (deep merge) and PUT …/metadata (replace). Errors: kNotFound; metadata
  // errors (nothing is stored then).
  void MergeMetadata(const RequestContext& ctx, std::string id, UserMetadataCommand cmd,
                     Callback<domain::User> done);
  void ReplaceMetadata(const RequestContext& ctx, std::string id, UserMetadataCommand cmd,
                       Callback<domain::User> done);
  // The organization-logo pipeline, for profile images. Errors as OrganizationService::SetLogo.
  void SetProfileImage(const RequestContext& ctx, std::string id, std::string bytes,
                       Callback<domain::User> done);
  void DeleteProfileImage(const RequestContext& ctx, std::string id, Callback<domain::User> done);

 private:
  void WriteMetadata(const RequestContext& ctx, std::string id, UserMetadataCommand cmd, bool merge,
                     Callback<domain::User> done);

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  media::ImageProcessor& images_;
  Executor& image_executor_;
  const EventPayloads& payloads_;
};

}  // namespace orgd::service
