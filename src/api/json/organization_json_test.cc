#include "api/json/organization_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace orgd::api::json {
namespace {

domain::Organization Sample() {
  domain::Organization org;
  org.id = "org_1";
  org.name = "Acme";
  org.slug = "acme";
  org.max_allowed_memberships = 5;
  org.public_metadata = boost::json::parse(R"({"a":1})");
  org.private_metadata = boost::json::object();
  org.created_at = 1;
  org.updated_at = 2;
  org.members_count = 3;
  return org;
}

const ImageUrls kUrls{"http://127.0.0.1:8080"};

TEST(OrganizationJsonTest, HasClerksShapeAndNoDeletedKey) {
  auto o = OrganizationJson(Sample(), kUrls);
  EXPECT_EQ(o.at("object"), "organization");
  EXPECT_EQ(o.at("id"), "org_1");
  EXPECT_EQ(o.at("has_image"), false);
  EXPECT_EQ(o.at("image_url"), "http://127.0.0.1:8080/images/default/org_1.svg");
  EXPECT_EQ(o.at("max_allowed_memberships"), 5);
  EXPECT_EQ(o.at("admin_delete_enabled"), true);
  EXPECT_EQ(o.at("public_metadata"), boost::json::parse(R"({"a":1})"));
  EXPECT_TRUE(o.at("role_set_key").is_null());
  EXPECT_EQ(o.at("created_at"), 1);
  EXPECT_EQ(o.at("updated_at"), 2);
  EXPECT_FALSE(o.contains("members_count"));
  EXPECT_FALSE(o.contains("created_by"));
  EXPECT_FALSE(o.contains("logo_url"));
  EXPECT_FALSE(o.contains("deleted"));
}

TEST(OrganizationJsonTest, OptionsAddAndRemoveFields) {
  domain::Organization org = Sample();
  org.image_id = "img_9";
  org.created_by = "user_1";
  OrganizationJsonOptions options;
  options.include_members_count = true;
  options.include_logo_url = true;
  options.include_private_metadata = false;
  auto o = OrganizationJson(org, kUrls, options);
  EXPECT_EQ(o.at("members_count"), 3);
  EXPECT_EQ(o.at("has_image"), true);
  EXPECT_EQ(o.at("image_url"), "http://127.0.0.1:8080/images/img_9");
  EXPECT_EQ(o.at("logo_url"), o.at("image_url"));
  EXPECT_EQ(o.at("created_by"), "user_1");
  EXPECT_FALSE(o.contains("private_metadata"));
}

TEST(OrganizationJsonTest, ListAndDeletedObject) {
  store::Page<domain::Organization> page{{Sample()}, 7};
  auto list = OrganizationListJson(page, kUrls);
  EXPECT_EQ(list.at("total_count"), 7);
  EXPECT_EQ(list.at("data").as_array().size(), 1u);
  auto deleted = DeletedObjectJson("organization", "org_1", "acme");
  EXPECT_EQ(deleted, boost::json::parse(
                         R"({"object":"organization","id":"org_1","slug":"acme","deleted":true})"));
}

}  // namespace
}  // namespace orgd::api::json
