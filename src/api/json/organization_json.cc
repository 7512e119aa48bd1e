#include "api/json/organization_json.h"

#include <boost/json/array.hpp>

namespace orgd::api::json {

std::string ImageUrls::Stored(std::string_view image_id) const {
  return public_url + "/images/" + std::string(image_id);
}

std::string ImageUrls::DefaultFor(std::string_view organization_id) const {
  return public_url + "/images/default/" + std::string(organization_id) + ".svg";
}

boost::json::object OrganizationJson(const domain::Organization& org, const ImageUrls& urls,
                                     const OrganizationJsonOptions& options,
                                     boost::json::storage_ptr sp) {
  boost::json::object o(std::move(sp));
  o.reserve(18);
  o["object"] = "organization";
  o["id"] = org.id;
  o["name"] = org.name;
  o["slug"] = org.slug;
  std::string image_url = org.image_id ? urls.Stored(*org.image_id) : urls.DefaultFor(org.id);
  o["image_url"] = image_url;
  o["has_image"] = org.image_id.has_value();
  if (options.include_members_count) {
    o["members_count"] = org.members_count;
    if (org.pending_invitations_count) {
      o["pending_invitations_count"] = *org.pending_invitations_count;
    }
  }
  o["max_allowed_memberships"] = org.max_allowed_memberships;
  o["admin_delete_enabled"] = org.admin_delete_enabled;
  o["public_metadata"] = org.public_metadata;
  if (options.include_private_metadata) o["private_metadata"] = org.private_metadata;
  if (org.created_by) o["created_by"] = *org.created_by;
  o["created_at"] = org.created_at;
  o["updated_at"] = org.updated_at;
  if (org.role_set_key) {
    o["role_set_key"] = *org.role_set_key;
  } else {
    o["role_set_key"] = nullptr;
  }
  if (options.include_logo_url) o["logo_url"] = std::move(image_url);
  return o;
}

boost::json::object OrganizationListJson(const store::Page<domain::Organization>& page,
                                         const ImageUrls& urls,
                                         const OrganizationJsonOptions& options,
                                         boost::json::storage_ptr sp) {
  boost::json::array data(sp);
  data.reserve(page.data.size());
  for (const auto& org : page.data) data.push_back(OrganizationJson(org, urls, options, sp));
  boost::json::object o(sp);
  o["data"] = std::move(data);
  o["total_count"] = page.total_count;
  return o;
}

boost::json::object DeletedObjectJson(std::string_view object, std::string_view id,
                                      std::string_view slug) {
  boost::json::object o;
  o["object"] = object;
  o["id"] = id;
  if (!slug.empty()) o["slug"] = slug;
  o["deleted"] = true;
  return o;
}

}  // namespace orgd::api::json
