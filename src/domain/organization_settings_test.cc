#include "domain/organization_settings.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace orgd::domain {
namespace {

TEST(OrganizationSettingsTest, RoundTripsEveryField) {
  OrganizationSettings s;
  s.enabled = false;
  s.max_allowed_memberships = 7;
  s.max_allowed_roles = 3;
  s.max_role_sets_allowed = 2;
  s.max_allowed_domains = 4;
  s.max_allowed_permissions = 9;
  s.creator_role = "org:owner";
  s.admin_delete_enabled = false;
  s.domains_enabled = true;
  s.slug_disabled = true;
  s.domains_enrollment_modes = {"manual_invitation", "automatic_suggestion"};
  s.domains_default_role = "org:viewer";
  s.initial_role_set_key = "default";
  OrganizationSettings back = OrganizationSettingsFromJson(ToJson(s));
  EXPECT_EQ(boost::json::value(ToJson(back)), boost::json::value(ToJson(s)));
  EXPECT_EQ(back.creator_role, "org:owner");
  EXPECT_EQ(back.initial_role_set_key, "default");
}

TEST(OrganizationSettingsTest, MissingOrMistypedFieldsKeepTheirDefaults) {
  auto s = OrganizationSettingsFromJson(
      boost::json::parse(R"({"enabled":"yes","max_allowed_memberships":12,"creator_role":7})"));
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.max_allowed_memberships, 12);
  EXPECT_EQ(s.creator_role, "org:admin");
  EXPECT_FALSE(s.initial_role_set_key);
  EXPECT_EQ(ToJson(s).at("initial_role_set_key"), nullptr);
  EXPECT_EQ(OrganizationSettingsFromJson(boost::json::value(3)).max_allowed_roles, 10);
}

}  // namespace
}  // namespace orgd::domain
