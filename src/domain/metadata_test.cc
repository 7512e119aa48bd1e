#include "domain/metadata.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace orgd::domain {
namespace {

namespace json = boost::json;

TEST(MetadataTest, OnlyObjectsAreMetadata) {
  EXPECT_TRUE(RequireMetadataObject(json::parse(R"({"a":1})"), "public_metadata"));
  for (const char* bad : {"[]", "1", "\"x\"", "null", "true"}) {
    auto r = RequireMetadataObject(json::parse(bad), "public_metadata");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_value_invalid");
    EXPECT_EQ(r.error().param_name, "public_metadata");
  }
}

TEST(MetadataTest, SizeLimitIsOnCompactSerializedBytes) {
  // {"k":"<v>"} is 8 bytes of framing around v.
  json::object at_limit{{"k", std::string(kMaxMetadataBytes - 8, 'x')}};
  ASSERT_EQ(json::serialize(at_limit).size(), static_cast<size_t>(kMaxMetadataBytes));
  EXPECT_TRUE(CheckMetadataSize(at_limit, "private_metadata"));
  json::object over{{"k", std::string(kMaxMetadataBytes - 7, 'x')}};
  auto r = CheckMetadataSize(over, "private_metadata");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().clerk_code, "form_param_exceeds_allowed_size");
  EXPECT_EQ(r.error().param_name, "private_metadata");
}

TEST(MetadataTest, DeepMergeMergesObjectsAndReplacesOtherValues) {
  json::value target =
      json::parse(R"({"plan":"free","limits":{"seats":5,"sso":false},"tags":[1,2]})");
  DeepMergeMetadata(target,
                    json::parse(R"({"limits":{"seats":10},"tags":[3],"new":{"x":1}})").as_object());
  EXPECT_EQ(
      target,
      json::parse(R"({"plan":"free","limits":{"seats":10,"sso":false},"tags":[3],"new":{"x":1}})"));
}

TEST(MetadataTest, DeepMergeRemovesNullKeysAtAnyDepth) {
  json::value target = json::parse(R"({"a":1,"b":{"c":2,"d":3}})");
  DeepMergeMetadata(target, json::parse(R"({"a":null,"b":{"c":null},"missing":null})").as_object());
  EXPECT_EQ(target, json::parse(R"({"b":{"d":3}})"));
}

TEST(MetadataTest, DeepMergeReplacesNonObjectWithObject) {
  json::value target = json::parse(R"({"a":5})");
  DeepMergeMetadata(target, json::parse(R"({"a":{"b":null,"c":1}})").as_object());
  EXPECT_EQ(target, json::parse(R"({"a":{"c":1}})"));
  json::value null_target;
  DeepMergeMetadata(null_target, json::parse(R"({"x":1})").as_object());
  EXPECT_EQ(null_target, json::parse(R"({"x":1})"));
}

}  // namespace
}  // namespace orgd::domain
