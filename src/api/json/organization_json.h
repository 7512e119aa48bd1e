// The JSON shapes of organizations, written once for every API (BEHAVIOR.md §2.1, §2.11).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "domain/organization.h"
#include "store/page.h"

namespace orgd::api::json {

// Where image URLs point: orgd serves logos itself under `<public_url>/images/…`.
struct ImageUrls {
  std::string public_url;  // e.g. http://127.0.0.1:8080, no trailing slash

  // The URL of a stored image.
  std::string Stored(std::string_view image_id) const;
  // The URL of the generated default logo of an organization without one.
  std::string DefaultFor(std::string_view organization_id) const;
};

struct OrganizationJsonOptions {
  bool include_members_count = false;
  bool include_private_metadata = true;  // false for the Frontend API
  bool include_logo_url = false;         // the deprecated logo_url of PUT …/logo responses
};

// `{object:"organization", id, name, slug, image_url, has_image, [members_count],
//   max_allowed_memberships, admin_delete_enabled, public_metadata, [private_metadata],
//   [created_by], created_at, updated_at, role_set_key, [logo_url]}`. Never a `deleted` key.
// Every builder here takes the storage its JSON lives in (default: the heap); ReplyWith passes a
// per-response arena (api/reply.h).
boost::json::object OrganizationJson(const domain::Organization& org, const ImageUrls& urls,
                                     const OrganizationJsonOptions& options = {},
                                     boost::json::storage_ptr sp = {});

// `{data: [...], total_count}`.
boost::json::object OrganizationListJson(const store::Page<domain::Organization>& page,
                                         const ImageUrls& urls,
                                         const OrganizationJsonOptions& options = {},
                                         boost::json::storage_ptr sp = {});

// `{object, id, slug?, deleted: true}` (BAPI schema DeletedObject).
boost::json::object DeletedObjectJson(std::string_view object, std::string_view id,
                                      std::string_view slug = {});

}  // namespace orgd::api::json
