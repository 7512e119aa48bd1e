#include "api/json/invitation_json.h"

#include <boost/json/array.hpp>

#include "api/json/user_json.h"

namespace orgd::api::json {
namespace {

// BAPI schema OrganizationInvitationPublicUserData: exactly these keys, identifier a string.
boost::json::value PublicInviterData(const std::optional<domain::User>& inviter,
                                     const ImageUrls& urls, boost::json::storage_ptr sp) {
  if (!inviter) return nullptr;
  boost::json::object o(sp);
  o["user_id"] = inviter->id;
  o["first_name"] = inviter->first_name ? boost::json::value(*inviter->first_name) : nullptr;
  o["last_name"] = inviter->last_name ? boost::json::value(*inviter->last_name) : nullptr;
  o["image_url"] = UserImageUrl(*inviter, urls);
  o["has_image"] = inviter->image_id.has_value();
  o["identifier"] = inviter->DisplayIdentifier().value_or("");
  return o;
}

}  // namespace

boost::json::object PublicOrganizationDataJson(const domain::Organization& org,
                                               const ImageUrls& urls, boost::json::storage_ptr sp) {
  boost::json::object o(sp);
  o["id"] = org.id;
  o["name"] = org.name;
  o["slug"] = org.slug;
  o["image_url"] = org.image_id ? urls.Stored(*org.image_id) : urls.DefaultFor(org.id);
  o["has_image"] = org.image_id.has_value();
  return o;
}

boost::json::object InvitationJson(const service::InvitationView& view, const ImageUrls& urls,
                                   boost::json::storage_ptr sp) {
  const domain::Invitation& inv = view.invitation;
  boost::json::object o(sp);
  o.reserve(16);
  o["object"] = "organization_invitation";
  o["id"] = inv.id;
  o["email_address"] = inv.email_address;
  o["role"] = inv.role;
  o["role_name"] = view.role_name;
  o["organization_id"] = inv.organization_id;
  o["inviter_id"] = inv.inviter_user_id ? boost::json::value(*inv.inviter_user_id) : nullptr;
  o["public_inviter_data"] = PublicInviterData(view.inviter, urls, sp);
  o["status"] = inv.Status(view.now);
  o["public_metadata"] = inv.public_metadata;
  o["private_metadata"] = inv.private_metadata;
  o["url"] = inv.url ? boost::json::value(*inv.url) : nullptr;
  o["expires_at"] = inv.expires_at;
  o["created_at"] = inv.created_at;
  o["updated_at"] = inv.updated_at;
  if (view.organization) {
    o["public_organization_data"] = PublicOrganizationDataJson(*view.organization, urls, sp);
  }
  return o;
}

boost::json::object InvitationListJson(const store::Page<service::InvitationView>& page,
                                       const ImageUrls& urls, boost::json::storage_ptr sp) {
  boost::json::array data(sp);
  data.reserve(page.data.size());
  for (const auto& view : page.data) data.push_back(InvitationJson(view, urls, sp));
  boost::json::object o(sp);
  o["data"] = std::move(data);
  o["total_count"] = page.total_count;
  return o;
}

boost::json::object InvitationBulkJson(const std::vector<service::InvitationView>& views,
                                       const ImageUrls& urls, boost::json::storage_ptr sp) {
  boost::json::array data(sp);
  data.reserve(views.size());
  for (const auto& view : views) data.push_back(InvitationJson(view, urls, sp));
  boost::json::object o(sp);
  o["data"] = std::move(data);
  o["total_count"] = static_cast<int64_t>(views.size());
  return o;
}

}  // namespace orgd::api::json
