// The JSON shape of organization invitations (BEHAVIOR.md §2.3; BAPI schemas
// OrganizationInvitation and OrganizationInvitationWithPublicOrganizationData).
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "api/json/organization_json.h"
#include "service/invitation_service.h"
#include "store/page.h"

namespace orgd::api::json {

// `{object:"organization_invitation", id, email_address, role, role_name, organization_id,
// inviter_id, public_inviter_data, status, public_metadata, private_metadata, url, expires_at,
// created_at, updated_at}`, plus `public_organization_data` when the view carries its
// organization (the instance-wide and per-user lists).
boost::json::object InvitationJson(const service::InvitationView& view, const ImageUrls& urls,
                                   boost::json::storage_ptr sp = {});

// `{id, name, slug, image_url, has_image}` (BAPI schema
// OrganizationInvitationPublicOrganizationData).
boost::json::object PublicOrganizationDataJson(const domain::Organization& org,
                                               const ImageUrls& urls,
                                               boost::json::storage_ptr sp = {});

// `{data: [...], total_count}`.
boost::json::object InvitationListJson(const store::Page<service::InvitationView>& page,
                                       const ImageUrls& urls, boost::json::storage_ptr sp = {});

// POST …/invitations/bulk: `{data: [...], total_count}` with every invitation created.
boost::json::object InvitationBulkJson(const std::vector<service::InvitationView>& views,
                                       const ImageUrls& urls, boost::json::storage_ptr sp = {});

}  // namespace orgd::api::json
