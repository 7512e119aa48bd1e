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

TEST(RedactPrivateMetadataTest, EmptyOrNullMetadataIsKeptAsItIs) {
  // The fast path (no parse) and the full one agree: {} and null hold nothing to hide.
  for (std::string text : {R"({"private_metadata":{},"a":{"private_metadata":null}})",
                           R"({"private_metadata":{}, "public_metadata":{"x":"y"}})"}) {
    EXPECT_EQ(RedactPrivateMetadata(text), text);
  }
  EXPECT_EQ(RedactPrivateMetadata(R"({"a":{"private_metadata":{}},"private_metadata":{"k":1}})"),
            R"({"a":{"private_metadata":{}},"private_metadata":"sha256:)" +
                Sha256Hex(R"({"k":1})") + R"("})");
  // The name inside a string is not a member: escaped quotes never match the pattern.
  const std::string in_string = R"({"public_metadata":{"note":"\"private_metadata\":{\"k\":1}"}})";
  EXPECT_EQ(RedactPrivateMetadata(in_string), in_string);
}

TEST(RedactPrivateMetadataTest, SameMetadataSameHashNullStaysNull) {
  EXPECT_EQ(RedactPrivateMetadata(R"({"private_metadata":{"a":1}})"),
            RedactPrivateMetadata(R"({"private_metadata":{"a":1}})"));
  EXPECT_NE(RedactPrivateMetadata(R"({"private_metadata":{"a":1}})"),
            RedactPrivateMetadata(R"({"private_metadata":{"a":2}})"));
  EXPECT_EQ(RedactPrivateMetadata(R"({"private_metadata":null,"b":[1,2]})"),
            R"({"private_metadata":null,"b":[1,2]})");
}

TEST(RedactPrivateMetadataTest, TextThatIsNotJsonBecomesAHashWhenItNamesPrivateMetadata) {
  const std::string bad = R"({"private_metadata":{"k":1} not json)";
  EXPECT_EQ(RedactPrivateMetadata(bad), "\"sha256:" + Sha256Hex(bad) + "\"");
  // Without a private_metadata that holds something there is nothing to hide (and no parse).
  EXPECT_EQ(RedactPrivateMetadata("{not json"), "{not json");
}

}  // namespace
}  // namespace orgd
