#include "api/json/webhook_payloads.h"

#include <boost/json/monotonic_resource.hpp>

#include "api/json/domain_json.h"
#include "api/json/invitation_json.h"
#include "api/json/organization_json.h"
#include "api/json/role_json.h"
#include "api/json/session_json.h"
#include "api/json/user_json.h"
#include "common/json_finite.h"

namespace orgd::api::json {
namespace {

// Builds with `build(storage)` in an arena that starts on the stack and is dropped whole once the
// text is written (as api/reply.h does for responses: a payload is many small strings). A
// non-finite number, which no stored value should hold, is written as null: a payload is JSON.
template <class Build>
std::string Render(Build build) {
  unsigned char first_block[4096];
  boost::json::monotonic_resource arena(first_block, sizeof first_block);
  return SerializeNonFiniteAsNull(build(boost::json::storage_ptr(&arena)));
}

}  // namespace

std::string WebhookPayloads::Organization(const domain::Organization& org) const {
  // Clerk's examples carry members_count; orgd keeps it exact, so it is sent.
  OrganizationJsonOptions options;
  options.include_members_count = true;
  const ImageUrls urls{public_url_};
  return Render([&](boost::json::storage_ptr sp) -> boost::json::value {
    return OrganizationJson(org, urls, options, std::move(sp));
  });
}

std::string WebhookPayloads::Membership(const service::MembershipView& view) const {
  const ImageUrls urls{public_url_};
  return Render([&](boost::json::storage_ptr sp) -> boost::json::value {
    return MembershipJson(view, urls, std::move(sp));
  });
}

std::string WebhookPayloads::Invitation(const service::InvitationView& view,
                                        const domain::Organization& org) const {
  const ImageUrls urls{public_url_};
  return Render([&](boost::json::storage_ptr sp) -> boost::json::value {
    boost::json::object o = InvitationJson(view, urls, sp);
    o["public_organization_data"] = PublicOrganizationDataJson(org, urls, sp);
    // WH schema OrganizationInvitationAcceptedPayload: who accepted.
    if (view.invitation.accepted_user_id) o["user_id"] = *view.invitation.accepted_user_id;
    return o;
  });
}

std::string WebhookPayloads::Role(const domain::Role& role) const {
  return Render([&](boost::json::storage_ptr) -> boost::json::value { return RoleJson(role); });
}

std::string WebhookPayloads::Permission(const domain::Permission& permission) const {
  return Render(
      [&](boost::json::storage_ptr) -> boost::json::value { return PermissionJson(permission); });
}

std::string WebhookPayloads::User(const domain::User& user) const {
  const ImageUrls urls{public_url_};
  return Render([&](boost::json::storage_ptr sp) -> boost::json::value {
    return UserJson(user, urls, std::move(sp));
  });
}

std::string WebhookPayloads::Session(const service::SessionView& view,
                                     const domain::User* user) const {
  const ImageUrls urls{public_url_};
  return Render([&](boost::json::storage_ptr sp) -> boost::json::value {
    boost::json::object o = SessionJson(view, sp);
    if (user != nullptr) {
      o["user"] = UserJson(*user, urls, sp);
    } else {
      o["user"] = nullptr;
    }
    return o;
  });
}

std::string WebhookPayloads::Domain(const service::DomainView& view) const {
  const ImageUrls urls{public_url_};
  return Render(
      [&](boost::json::storage_ptr) -> boost::json::value { return DomainJson(view, urls); });
}

std::string WebhookPayloads::Deleted(const service::DeletedObject& deleted) const {
  return Render([&](boost::json::storage_ptr) -> boost::json::value {
    boost::json::object o = DeletedObjectJson(deleted.object, deleted.id, deleted.slug);
    if (deleted.external_id) o["external_id"] = *deleted.external_id;
    return o;
  });
}

}  // namespace orgd::api::json
