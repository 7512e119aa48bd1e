// The Frontend API gate's pure parts: the publishable key and cookie suffix clerk-js derives,
// cookies as orgd sets and reads them, and the origin allow-list.
#include "api/frontend/frontend_gate.h"

#include <gtest/gtest.h>

namespace orgd::api {
namespace {

TEST(FrontendGate, PublishableKeyNamesTheFrontendHost) {
  // clerk-js's own example: clerk.orgd.test$ (CLERK-JS.md §1).
  EXPECT_EQ(PublishableKeyFor("https://clerk.orgd.test"), "pk_live_Y2xlcmsub3JnZC50ZXN0JA");
  EXPECT_EQ(PublishableKeyFor("https://clerk.orgd.test/"), "pk_live_Y2xlcmsub3JnZC50ZXN0JA");
  EXPECT_EQ(PublishableKeyFor("http://127.0.0.1:8081"), "pk_live_MTI3LjAuMC4xOjgwODEk");
}

TEST(FrontendGate, CookieSuffixIsClerkJsOwn) {
  // Computed with @clerk/shared's getCookieSuffix.
  EXPECT_EQ(CookieSuffix("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k"), "naoXFJnI");
}

TEST(FrontendGate, ReadsOneCookieAmongMany) {
  http::Request r;
  r.headers.push_back({"cookie", "__session=a.b.c; __client=client_1.secret; x=1"});
  r.headers.push_back({"cookie", "__client_uat=5"});
  EXPECT_EQ(CookieValue(r, "__client"), "client_1.secret");
  EXPECT_EQ(CookieValue(r, "__client_uat"), "5");
  EXPECT_EQ(CookieValue(r, "__client_uat_x"), "");
  EXPECT_EQ(CookieValue(r, "__clien"), "");
}

TEST(FrontendGate, CookiesAndOrigins) {
  FrontendSettings s;
  s.allowed_origins = {"https://app.example.com"};
  EXPECT_TRUE(s.IsAllowedOrigin("https://app.example.com"));
  EXPECT_FALSE(s.IsAllowedOrigin("https://app.example.com.evil.org"));
  EXPECT_FALSE(s.IsAllowedOrigin("http://app.example.com"));
  EXPECT_FALSE(s.IsAllowedOrigin(""));
  EXPECT_EQ(s.Cookie("__client", "v", true, 60),
            "__client=v; Path=/; Max-Age=60; SameSite=Lax; HttpOnly");
  s.cookie_domain = "example.com";
  s.secure_cookies = true;
  EXPECT_EQ(s.Cookie("__client_uat", "0", false, 0),
            "__client_uat=0; Path=/; Max-Age=0; SameSite=Lax; Domain=example.com; Secure");
}

}  // namespace
}  // namespace orgd::api
