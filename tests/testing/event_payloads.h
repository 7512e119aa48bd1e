// TestEventPayloads: an EventPayloads (service/event_payloads.h) for service tests, which may not
// link the api layer that renders the real shapes (api/json/webhook_payloads.h). Each payload is
// small but real JSON: the object's `object` and `id`, and the fields tests check the events by.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "domain/organization.h"
#include "domain/roles.h"
#include "domain/user.h"
#include "service/domain_service.h"
#include "service/event_payloads.h"
#include "service/invitation_service.h"
#include "service/membership_service.h"
#include "service/session_service.h"

namespace orgd::testing {

class TestEventPayloads final : public service::EventPayloads {
 public:
  std::string Organization(const domain::Organization& org) const override {
    return boost::json::serialize(boost::json::object{{"object", "organization"},
                                                      {"id", org.id},
                                                      {"slug", org.slug},
                                                      {"members_count", org.members_count},
                                                      {"has_image", org.image_id.has_value()}});
  }
  std::string Membership(const service::MembershipView& view) const override {
    return boost::json::serialize(
        boost::json::object{{"object", "organization_membership"},
                            {"id", view.membership.id},
                            {"role", view.membership.role},
                            {"organization_id", view.organization.id},
                            {"members_count", view.organization.members_count},
                            {"user_id", view.user.id}});
  }
  std::string Invitation(const service::InvitationView& view,
                         const domain::Organization& org) const override {
    boost::json::object o{{"object", "organization_invitation"},
                          {"id", view.invitation.id},
                          {"status", view.invitation.Status(view.now)},
                          {"organization_id", org.id}};
    if (view.invitation.accepted_user_id) o["user_id"] = *view.invitation.accepted_user_id;
    return boost::json::serialize(o);
  }
  std::string Role(const domain::Role& role) const override {
    boost::json::array permissions;
    for (const auto& p : role.permissions) permissions.emplace_back(p.key);
    return boost::json::serialize(boost::json::object{{"object", "role"},
                                                      {"id", role.id},
                                                      {"key", role.key},
                                                      {"permissions", std::move(permissions)}});
  }
  std::string Permission(const domain::Permission& p) const override {
    return boost::json::serialize(
        boost::json::object{{"object", "permission"}, {"id", p.id}, {"key", p.key}});
  }
  std::string User(const domain::User& user) const override {
    return boost::json::serialize(boost::json::object{
        {"object", "user"}, {"id", user.id}, {"has_image", user.image_id.has_value()}});
  }
  std::string Session(const service::SessionView& view, const domain::User* user) const override {
    boost::json::object o{{"object", "session"},
                          {"id", view.session.id},
                          {"user_id", view.session.user_id},
                          {"status", view.session.Status(view.now)}};
    if (user != nullptr) {
      o["user"] = boost::json::object{{"object", "user"}, {"id", user->id}};
    } else {
      o["user"] = nullptr;
    }
    return boost::json::serialize(o);
  }
  std::string Domain(const service::DomainView& view) const override {
    return boost::json::serialize(boost::json::object{
        {"object", "organization_domain"}, {"id", view.domain.id}, {"name", view.domain.name}});
  }
  std::string Deleted(const service::DeletedObject& deleted) const override {
    boost::json::object o{{"object", deleted.object}, {"id", deleted.id}, {"deleted", true}};
    if (!deleted.slug.empty()) o["slug"] = deleted.slug;
    if (deleted.external_id) o["external_id"] = *deleted.external_id;
    return boost::json::serialize(o);
  }
};

}  // namespace orgd::testing
