#include "api/backend/secret_key_auth.h"

#include <gtest/gtest.h>

namespace orgd::api {
namespace {

constexpr const char* kKey = "sk_test_0123456789abcdefABCDEF";
constexpr const char* kOldKey = "sk_live_ZZZZZZZZZZZZZZZZZZZZ";

http::Request WithAuthorization(std::string value) {
  http::Request r;
  r.headers.push_back({"authorization", std::move(value)});
  return r;
}

TEST(SecretKeyAuthTest, AcceptsEveryConfiguredKey) {
  SecretKeyAuth auth({kKey, kOldKey});
  EXPECT_TRUE(auth.Check(WithAuthorization(std::string("Bearer ") + kKey)));
  EXPECT_TRUE(auth.Check(WithAuthorization(std::string("bearer ") + kOldKey)));
}

TEST(SecretKeyAuthTest, NamesTheMatchingKeyWithoutShowingIt) {
  SecretKeyAuth auth({kKey, kOldKey});
  auto first = auth.Check(WithAuthorization(std::string("Bearer ") + kKey));
  auto second = auth.Check(WithAuthorization(std::string("Bearer ") + kOldKey));
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(*first, *second);
  EXPECT_EQ(first->size(), 12u);
  EXPECT_TRUE(first->starts_with("key_"));
  EXPECT_EQ(std::string(kKey).find(first->substr(4)), std::string::npos);
  // Stable: another SecretKeyAuth (a restart, another node) names the key the same.
  EXPECT_EQ(*SecretKeyAuth({kOldKey}).Check(WithAuthorization(std::string("Bearer ") + kOldKey)),
            *second);
}

TEST(SecretKeyAuthTest, NamesEachKindOfFailure) {
  SecretKeyAuth auth({kKey});
  EXPECT_EQ(auth.Check(http::Request{}).error().clerk_code, "authentication_invalid");
  EXPECT_EQ(auth.Check(WithAuthorization("Basic abc")).error().clerk_code,
            "authorization_header_format_invalid");
  EXPECT_EQ(auth.Check(WithAuthorization("Bearer ")).error().clerk_code,
            "authorization_header_format_invalid");
  auto wrong = auth.Check(WithAuthorization("Bearer sk_test_wrongwrongwrongwrong"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().clerk_code, "clerk_key_invalid");
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  // A prefix of the key is not the key.
  EXPECT_FALSE(auth.Check(WithAuthorization(std::string("Bearer ") + std::string(kKey, 20))));
}

TEST(SecretKeyAuthTest, WellFormedKeys) {
  EXPECT_TRUE(IsWellFormedSecretKey(kKey));
  EXPECT_TRUE(IsWellFormedSecretKey(kOldKey));
  EXPECT_FALSE(IsWellFormedSecretKey("sk_test_short"));
  EXPECT_FALSE(IsWellFormedSecretKey("pk_test_0123456789abcdef"));
  EXPECT_FALSE(IsWellFormedSecretKey("sk_test_0123456789abcdef!"));
}

}  // namespace
}  // namespace orgd::api
