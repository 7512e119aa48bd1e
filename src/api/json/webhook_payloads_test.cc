#include "api/json/webhook_payloads.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "domain/organization.h"
#include "domain/roles.h"
#include "domain/user.h"
#include "service/invitation_service.h"
#include "service/membership_service.h"
#include "service/session_service.h"

namespace orgd::api::json {
namespace {

const std::string kPublicUrl = "http://127.0.0.1:8080";

boost::json::object Parse(const std::string& text) { return boost::json::parse(text).as_object(); }

domain::Organization Org() {
  domain::Organization org;
  org.id = "org_1";
  org.name = "Acme";
  org.slug = "acme";
  org.private_metadata = boost::json::object{{"tier", "gold"}};
  org.members_count = 2;
  org.created_at = 1;
  org.updated_at = 2;
  return org;
}

domain::User Jane() {
  domain::User user;
  user.id = "user_1";
  user.first_name = "Jane";
  user.email_addresses.push_back({"idn_1", "jane@acme.com", 1, 1});
  user.primary_email_address_id = "idn_1";
  user.private_metadata = boost::json::object{{"crm", 7}};
  return user;
}

TEST(WebhookPayloadsTest, OrganizationHasPrivateMetadataAndMembersCount) {
  WebhookPayloads payloads(kPublicUrl);
  auto o = Parse(payloads.Organization(Org()));
  EXPECT_EQ(o.at("object"), "organization");
  EXPECT_EQ(o.at("id"), "org_1");
  EXPECT_EQ(o.at("private_metadata").at("tier"), "gold");
  EXPECT_EQ(o.at("members_count"), 2);
  EXPECT_EQ(o.at("image_url"), "http://127.0.0.1:8080/images/default/org_1.svg");
  EXPECT_FALSE(o.contains("deleted"));
}

TEST(WebhookPayloadsTest, ImageUrlsFollowThePublicUrlSetLater) {
  // The app builds the renderer before it knows its public URL (the server binds later).
  std::string public_url;
  WebhookPayloads payloads(public_url);
  public_url = "https://orgd.example";
  EXPECT_EQ(Parse(payloads.Organization(Org())).at("image_url"),
            "https://orgd.example/images/default/org_1.svg");
}

TEST(WebhookPayloadsTest, MembershipIsTheFullMembership) {
  WebhookPayloads payloads(kPublicUrl);
  service::MembershipView view;
  view.membership.id = "orgmem_1";
  view.membership.organization_id = "org_1";
  view.membership.user_id = "user_1";
  view.membership.role = "org:member";
  view.organization = Org();
  view.user = Jane();
  view.role.key = "org:member";
  view.role.name = "Member";
  auto o = Parse(payloads.Membership(view));
  EXPECT_EQ(o.at("object"), "organization_membership");
  EXPECT_EQ(o.at("id"), "orgmem_1");
  EXPECT_EQ(o.at("role_name"), "Member");
  EXPECT_EQ(o.at("organization").at("id"), "org_1");
  EXPECT_EQ(o.at("public_user_data").at("identifier"), "jane@acme.com");
  EXPECT_TRUE(o.contains("private_metadata"));
}

TEST(WebhookPayloadsTest, InvitationsCarryTheirOrganizationAndAcceptedOnesTheirUser) {
  WebhookPayloads payloads(kPublicUrl);
  service::InvitationView view;
  view.invitation.id = "orginv_1";
  view.invitation.organization_id = "org_1";
  view.invitation.email_address = "jane@acme.com";
  view.invitation.role = "org:member";
  view.invitation.expires_at = 100;
  view.role_name = "Member";
  view.now = 10;
  auto pending = Parse(payloads.Invitation(view, Org()));
  EXPECT_EQ(pending.at("object"), "organization_invitation");
  EXPECT_EQ(pending.at("status"), "pending");
  EXPECT_EQ(pending.at("public_organization_data").at("slug"), "acme");
  EXPECT_FALSE(pending.contains("user_id"));

  view.invitation.status = "accepted";
  view.invitation.accepted_user_id = "user_1";
  auto accepted = Parse(payloads.Invitation(view, Org()));
  EXPECT_EQ(accepted.at("status"), "accepted");
  EXPECT_EQ(accepted.at("user_id"), "user_1");
}

TEST(WebhookPayloadsTest, SessionsCarryTheirUserOrNull) {
  WebhookPayloads payloads(kPublicUrl);
  service::SessionView view;
  view.session.id = "sess_1";
  view.session.user_id = "user_1";
  view.session.expire_at = view.session.abandon_at = 100;
  view.now = 10;
  const domain::User jane = Jane();
  auto with_user = Parse(payloads.Session(view, &jane));
  EXPECT_EQ(with_user.at("object"), "session");
  EXPECT_EQ(with_user.at("status"), "active");
  EXPECT_EQ(with_user.at("user").at("object"), "user");
  EXPECT_EQ(with_user.at("user").at("private_metadata").at("crm"), 7);
  view.session.status = "ended";
  auto without = Parse(payloads.Session(view, nullptr));
  EXPECT_EQ(without.at("status"), "ended");
  EXPECT_TRUE(without.at("user").is_null());
}

TEST(WebhookPayloadsTest, RolesAndPermissionsAreTheApisShapes) {
  WebhookPayloads payloads(kPublicUrl);
  domain::Permission p;
  p.id = "perm_1";
  p.key = "org:posts:read";
  p.type = "user";
  domain::Role role;
  role.id = "role_1";
  role.key = "org:editor";
  role.permissions = {p};
  auto r = Parse(payloads.Role(role));
  EXPECT_EQ(r.at("object"), "role");
  EXPECT_EQ(r.at("permissions").as_array().at(0).at("key"), "org:posts:read");
  EXPECT_EQ(Parse(payloads.Permission(p)).at("object"), "permission");
}

TEST(WebhookPayloadsTest, DeletedObjectsSayOnlyWhatIsGone) {
  WebhookPayloads payloads(kPublicUrl);
  auto org = Parse(payloads.Deleted({.object = "organization", .id = "org_1", .slug = "acme"}));
  EXPECT_EQ(org, boost::json::parse(
                     R"({"object":"organization","id":"org_1","slug":"acme","deleted":true})"));
  auto role = Parse(payloads.Deleted({.object = "role", .id = "role_1"}));
  EXPECT_EQ(role, boost::json::parse(R"({"object":"role","id":"role_1","deleted":true})"));
  auto user = Parse(payloads.Deleted({.object = "user", .id = "user_1", .external_id = "crm-7"}));
  EXPECT_EQ(user, boost::json::parse(
                      R"({"object":"user","id":"user_1","deleted":true,"external_id":"crm-7"})"));
}

}  // namespace
}  // namespace orgd::api::json
