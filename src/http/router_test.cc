#include "http/router.h"

#include <gtest/gtest.h>

namespace orgd::http {
namespace {

Handler Named(std::string* out, std::string name) {
  return [out, name](const Request&, Responder) { *out = name; };
}

TEST(RouterTest, MatchesTemplatesAndDecodesPlaceholders) {
  Router router;
  std::string hit;
  router.Add(Method::kGet, "/v1/organizations", Named(&hit, "list"));
  router.Add(Method::kGet, "/v1/organizations/{organization_id}", Named(&hit, "get"));
  router.Add(Method::kPut, "/v1/organizations/{organization_id}/logo", Named(&hit, "logo"));

  auto m = router.Find(Method::kGet, "/v1/organizations/org_1%2Dx");
  ASSERT_EQ(m.status, Router::Match::Status::kFound);
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "organization_id");
  EXPECT_EQ(m.params[0].second, "org_1-x");
  (*m.handler)(Request{}, Responder([](auto) {}));
  EXPECT_EQ(hit, "get");

  EXPECT_EQ(router.Find(Method::kGet, "/v1/organizations").status, Router::Match::Status::kFound);
  // A trailing slash is another path (issue 12, item 7).
  EXPECT_EQ(router.Find(Method::kGet, "/v1/organizations/").status,
            Router::Match::Status::kNotFound);
  EXPECT_EQ(router.Find(Method::kPut, "/v1/organizations/x/logo").status,
            Router::Match::Status::kFound);
}

TEST(RouterTest, DistinguishesUnknownPathsFromWrongMethods) {
  Router router;
  router.Add(Method::kGet, "/v1/organizations", [](const Request&, Responder) {});
  router.Add(Method::kPost, "/v1/organizations", [](const Request&, Responder) {});
  EXPECT_EQ(router.Find(Method::kGet, "/v1/nope").status, Router::Match::Status::kNotFound);
  auto m = router.Find(Method::kPut, "/v1/organizations");
  EXPECT_EQ(m.status, Router::Match::Status::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<Method>{Method::kGet, Method::kPost}));
}

TEST(RouterTest, HeadUsesTheGetRoute) {
  Router router;
  router.Add(Method::kGet, "/images/{image_id}", [](const Request&, Responder) {});
  EXPECT_EQ(router.Find(Method::kHead, "/images/img_1").status, Router::Match::Status::kFound);
}

// A match names its route by index, and the index names the pattern and method the route was
// added with (what metrics and logs show instead of the path asked for).
TEST(RouterTest, MatchNamesItsRoutesPatternAndMethod) {
  Router router;
  router.Add(Method::kGet, "/images/{image_id}", [](const Request&, Responder) {});
  router.Add(Method::kGet, "/images/default/{file}", [](const Request&, Responder) {});
  router.Add(Method::kDelete, "/images/{image_id}", [](const Request&, Responder) {});
  ASSERT_EQ(router.size(), 3u);
  auto m = router.Find(Method::kDelete, "/images/img_1");
  ASSERT_EQ(m.status, Router::Match::Status::kFound);
  EXPECT_EQ(router.pattern(m.route), "/images/{image_id}");
  EXPECT_EQ(router.method(m.route), Method::kDelete);
  auto head = router.Find(Method::kHead, "/images/default/x.svg");
  ASSERT_EQ(head.status, Router::Match::Status::kFound);
  EXPECT_EQ(router.pattern(head.route), "/images/default/{file}");
  EXPECT_EQ(router.method(head.route), Method::kGet);
}

TEST(RouterTest, LiteralSegmentsWinOverPlaceholders) {
  Router router;
  std::string hit;
  router.Add(Method::kGet, "/images/{image_id}", Named(&hit, "stored"));
  router.Add(Method::kGet, "/images/default/{file}", Named(&hit, "default"));
  auto m = router.Find(Method::kGet, "/images/default/org_1.svg");
  ASSERT_EQ(m.status, Router::Match::Status::kFound);
  (*m.handler)(Request{}, Responder([](auto) {}));
  EXPECT_EQ(hit, "default");
}

TEST(RouterTest, RefusesMalformedEscapesAndEmptyPlaceholders) {
  Router router;
  router.Add(Method::kGet, "/v1/organizations/{organization_id}", [](const Request&, Responder) {});
  EXPECT_EQ(router.Find(Method::kGet, "/v1/organizations/%zz").status,
            Router::Match::Status::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/v1/organizations/%00").status,
            Router::Match::Status::kNotFound);
}

TEST(RouterTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b"), "a b");
  EXPECT_EQ(PercentDecode("%41%42"), "AB");
  EXPECT_EQ(PercentDecode("100%"), std::nullopt);
  EXPECT_EQ(PercentDecode("%4"), std::nullopt);
  EXPECT_EQ(PercentDecode("%g0"), std::nullopt);
  EXPECT_EQ(PercentDecode("caf%C3%A9"), "caf\xc3\xa9");
}

// Found with the fuzz targets' invariant that parsed text is UTF-8: /v1/users/%C3, ?query=%FF or
// a raw 0xFF byte in the target reached PostgreSQL, which refused the lookup (a 500), while SQLite
// took the bytes; a raw NUL was cut off by libpq.
TEST(RouterTest, PercentDecodeRefusesWhatIsNotUtf8OrHoldsANul) {
  const std::string_view refused[] = {"%FF",       "user_%C3", "\xff",     "%C0%AF",
                                      "%ED%A0%80", "a%00b",    {"a\0b", 3}};
  for (std::string_view s : refused) EXPECT_EQ(PercentDecode(s), std::nullopt) << s;
  Router router;
  router.Add(Method::kGet, "/v1/users/{user_id}", [](const Request&, Responder) {});
  EXPECT_EQ(router.Find(Method::kGet, "/v1/users/%C3").status, Router::Match::Status::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/v1/users/caf%C3%A9").status, Router::Match::Status::kFound);
}

TEST(RouterTest, SplitPathTakesOnlyTheCanonicalSpelling) {
  EXPECT_EQ(SplitPath("/a/b"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(SplitPath("/"), std::vector<std::string_view>{});
  EXPECT_EQ(SplitPath("//a///b/"), std::nullopt);
  EXPECT_EQ(SplitPath("/a/"), std::nullopt);
  EXPECT_EQ(SplitPath("a/b"), std::nullopt);
  EXPECT_EQ(SplitPath(""), std::nullopt);
}

// Issue 12, item 7: `DELETE /v1//organizations/{id}` deleted the organization, so a proxy rule on
// the `/v1/organizations` prefix could be passed by.
TEST(RouterTest, NonCanonicalPathsMatchNoRoute) {
  Router router;
  router.Add(Method::kDelete, "/v1/organizations/{organization_id}",
             [](const Request&, Responder) {});
  router.Add(Method::kGet, "/v1/organizations", [](const Request&, Responder) {});
  EXPECT_EQ(router.Find(Method::kDelete, "/v1/organizations/org_1").status,
            Router::Match::Status::kFound);
  for (std::string_view path :
       {"/v1//organizations/org_1", "//v1/organizations/org_1", "/v1/organizations/org_1/",
        "/v1/organizations//org_1", "v1/organizations/org_1", "/v1/organizations/.",
        "/v1/organizations/..", "/v1/organizations/%2e%2e", "/v1/./organizations/org_1",
        "http://h/v1/organizations/org_1"}) {
    EXPECT_EQ(router.Find(Method::kDelete, path).status, Router::Match::Status::kNotFound) << path;
  }
  EXPECT_EQ(router.Find(Method::kGet, "/v1/organizations/").status,
            Router::Match::Status::kNotFound);
}

}  // namespace
}  // namespace orgd::http
