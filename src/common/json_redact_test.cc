#include "common/json_redact.h"

#include <gtest/gtest.h>

#include "common/digest.h"

namespace orgd {
namespace {

TEST(RedactPrivateMetadataTest, ReplacesPrivateMetadataByItsHashAtAnyDepth) {
  const std::string secret = R"({"plan":"gold","api_key":"s3cr3t"})";
  const std::string out = RedactPrivateMetadata(
      R"({"id":"org_1","private_metadata":)" + secret +
      R"(,"public_metadata":{"a":1},"organization":{"private_metadata":{"x":true}},)"
      R"("list":[{"private_metadata":{"y":2}}]})");
  EXPECT_EQ(out.find("s3cr3t"), std::string::npos) << out;
  EXPECT_EQ(out.find("gold"), std::string::npos) << out;
  EXPECT_NE(out.find("\"private_metadata\":\"sha256:" + Sha256Hex(secret) + "\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("public_metadata":{"a":1})"), std::string::npos) << out;
  EXPECT_NE(out.find("\"private_metadata\":\"sha256:" + Sha256Hex(R"({"x":true})") + "\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"private_metadata\":\"sha256:" + Sha256Hex(R"({"y":2})") + "\""),
            std::string::npos)
      << out;
}

TEST(RedactPrivateMetadataTest, SameMetadataSameHashNullStaysNull) {
  EXPECT_EQ(RedactPrivateMetadata(R"({"private_metadata":{"a":1}})"),
            RedactPrivateMetadata(R"({"private_metadata":{"a":1}})"));
  EXPECT_NE(RedactPrivateMetadata(R"({"private_metadata":{"a":1}})"),
            RedactPrivateMetadata(R"({"private_metadata":{"a":2}})"));
  EXPECT_EQ(RedactPrivateMetadata(R"({"private_metadata":null,"b":[1,2]})"),
            R"({"private_metadata":null,"b":[1,2]})");
}

TEST(RedactPrivateMetadataTest, TextThatIsNotJsonBecomesAHash) {
  const std::string out = RedactPrivateMetadata("{not json private_metadata: 1");
  EXPECT_EQ(out, "\"sha256:" + Sha256Hex("{not json private_metadata: 1") + "\"");
}

}  // namespace
}  // namespace orgd
