// The JSON shapes of users and organization memberships (BEHAVIOR.md §2.2, §2.10). Fields orgd
// does not support are present with their empty value, as the contract requires them.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "api/json/organization_json.h"
#include "domain/user.h"
#include "service/membership_service.h"
#include "store/page.h"

namespace orgd::api::json {

// BAPI schema User: `{id, object:"user", username, first_name, last_name, image_url, has_image,
// email_addresses:[EmailAddress], phone_numbers:[PhoneNumber], …, public_metadata,
// private_metadata, unsafe_metadata, created_at, updated_at, …}`.
boost::json::object UserJson(const domain::User& user, const ImageUrls& urls,
                             boost::json::storage_ptr sp = {});

// GET /v1/users answers a plain array.
boost::json::array UserListJson(const std::vector<domain::User>& users, const ImageUrls& urls,
                                boost::json::storage_ptr sp = {});

// The image a user shows: their profile image, else a generated default.
std::string UserImageUrl(const domain::User& user, const ImageUrls& urls);

// `{object:"total_count", total_count}`.
boost::json::object TotalCountJson(int64_t total_count);

// `{user_id, first_name, last_name, profile_image_url, image_url, has_image, identifier,
// username, banned:false, deprovisioned:false}`.
boost::json::object PublicUserDataJson(const domain::User& user, const ImageUrls& urls,
                                       boost::json::storage_ptr sp = {});

// `{object:"organization_membership", id, role, role_name, permissions, public_metadata,
// private_metadata, organization, public_user_data, created_at, updated_at}`.
// `organization` is rendered with `org_options` (the Frontend API shows its counts).
boost::json::object MembershipJson(const service::MembershipView& view, const ImageUrls& urls,
                                   boost::json::storage_ptr sp = {},
                                   OrganizationJsonOptions org_options = {});

// `{data: [...], total_count}`.
boost::json::object MembershipListJson(const store::Page<service::MembershipView>& page,
                                       const ImageUrls& urls, boost::json::storage_ptr sp = {},
                                       OrganizationJsonOptions org_options = {});

}  // namespace orgd::api::json
