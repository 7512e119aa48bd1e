#include "api/query_params.h"

#include <gtest/gtest.h>

namespace orgd::api {
namespace {

QueryParams Parse(std::string_view raw) {
  auto p = QueryParams::Parse(raw);
  EXPECT_TRUE(p);
  return *p;
}

TEST(QueryParamsTest, DecodesRepeatedKeysInOrder) {
  auto p = Parse("organization_id=org_1&query=acme%20corp&organization_id=-org_2&x=a+b&flag");
  EXPECT_EQ(p.GetAll("organization_id"), (std::vector<std::string_view>{"org_1", "-org_2"}));
  EXPECT_EQ(p.Get("query"), "acme corp");
  EXPECT_EQ(p.Get("x"), "a b");
  EXPECT_EQ(p.Get("flag"), "");
  EXPECT_FALSE(p.Get("missing"));
}

TEST(QueryParamsTest, RefusesBadEscapes) {
  auto p = QueryParams::Parse("a=%zz");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().clerk_code, "malformed_request_parameters");
}

// See RouterTest.PercentDecodeRefusesWhatIsNotUtf8OrHoldsANul: ?query=%FF failed on PostgreSQL
// with a 500; a FAPI form body reads the same way.
TEST(QueryParamsTest, RefusesWhatIsNotUtf8AndNuls) {
  const std::string_view refused[] = {"query=%FF",  "email_address=%C3", "a%E9=1",
                                      "query=\xff", "ticket=a%00",       {"ticket=a\0", 9}};
  for (std::string_view raw : refused) {
    auto p = QueryParams::Parse(raw);
    ASSERT_FALSE(p) << raw;
    EXPECT_EQ(p.error().clerk_code, "malformed_request_parameters");
  }
  EXPECT_EQ(Parse("query=caf%C3%A9+%E2%98%95").Get("query"), "caf\xc3\xa9 \xe2\x98\x95");
}

TEST(QueryParamsTest, PaginationDefaultsAndBounds) {
  auto page = ParsePagination(Parse(""));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 10);
  EXPECT_EQ(page->offset, 0);
  page = ParsePagination(Parse("limit=500&offset=20"));
  EXPECT_EQ(page->limit, 500);
  EXPECT_EQ(page->offset, 20);
  for (const char* bad : {"limit=0", "limit=501", "limit=abc", "limit=1.5", "limit=", "limit=-1"}) {
    auto r = ParsePagination(Parse(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_value_invalid");
    EXPECT_EQ(r.error().param_name, "limit");
  }
  auto r = ParsePagination(Parse("offset=-1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().param_name, "offset");
}

TEST(QueryParamsTest, Flags) {
  EXPECT_EQ(*ParseFlag(Parse("f=true"), "f"), true);
  EXPECT_EQ(*ParseFlag(Parse("f=false"), "f"), false);
  EXPECT_EQ(*ParseFlag(Parse(""), "f"), false);
  EXPECT_EQ(ParseFlag(Parse("f=yes"), "f").error().param_name, "f");
  // A filter that may be left out: absent or empty is no filter.
  EXPECT_EQ(*ParseOptionalFlag(Parse(""), "f"), std::nullopt);
  EXPECT_EQ(*ParseOptionalFlag(Parse("f="), "f"), std::nullopt);
  EXPECT_EQ(*ParseOptionalFlag(Parse("f=false"), "f"), std::optional<bool>(false));
  EXPECT_EQ(*ParseOptionalFlag(Parse("f=true"), "f"), std::optional<bool>(true));
  EXPECT_EQ(ParseOptionalFlag(Parse("f=yes"), "f").error().clerk_code, "form_param_value_invalid");
}

TEST(QueryParamsTest, OrderBy) {
  std::vector<std::string> allowed = {"name", "created_at"};
  OrderBy fallback{"created_at", store::SortDirection::kDescending};
  auto o = ParseOrderBy(Parse(""), allowed, fallback);
  EXPECT_EQ(o->field, "created_at");
  EXPECT_EQ(o->direction, store::SortDirection::kDescending);
  o = ParseOrderBy(Parse("order_by=name"), allowed, fallback);
  EXPECT_EQ(o->field, "name");
  EXPECT_EQ(o->direction, store::SortDirection::kAscending);
  o = ParseOrderBy(Parse("order_by=%2Bname"), allowed, fallback);
  EXPECT_EQ(o->direction, store::SortDirection::kAscending);
  o = ParseOrderBy(Parse("order_by=+name"), allowed, fallback);  // '+' decoded as a space
  EXPECT_EQ(o->field, "name");
  o = ParseOrderBy(Parse("order_by=-name"), allowed, fallback);
  EXPECT_EQ(o->direction, store::SortDirection::kDescending);
  auto bad = ParseOrderBy(Parse("order_by=colour"), allowed, fallback);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param_name, "order_by");
}

TEST(QueryParamsTest, SignedListsSplitIncludesAndExcludes) {
  auto ids =
      ParseSignedList(Parse("user_id=a&user_id=%2Bb&user_id=+c&user_id=-d&user_id="), "user_id");
  ASSERT_TRUE(ids);
  EXPECT_EQ(ids->include, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(ids->exclude, (std::vector<std::string>{"d"}));
  std::string many;
  for (int i = 0; i < 101; ++i) many += "role=r&";
  auto too_many = ParseList(Parse(many), "role");
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().clerk_code, "form_param_array_size_exceeded");
  EXPECT_EQ(too_many.error().param_name, "role");
  EXPECT_EQ(ParseList(Parse(many), "role", 200)->size(), 101u);
}

TEST(QueryParamsTest, Millis) {
  EXPECT_EQ(*ParseMillis(Parse("created_at_before=1700000000000"), "created_at_before"),
            1'700'000'000'000);
  EXPECT_FALSE(*ParseMillis(Parse(""), "created_at_before"));
  auto bad = ParseMillis(Parse("created_at_after=yesterday"), "created_at_after");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param_name, "created_at_after");
}

}  // namespace
}  // namespace orgd::api

namespace orgd::api {
namespace {

TEST(ParseCursorLimitTest, IsOneTo500WithAFallback) {
  auto parse = [](std::string_view raw) { return ParseCursorLimit(*QueryParams::Parse(raw), 10); };
  EXPECT_EQ(*parse(""), 10);
  EXPECT_EQ(*parse("limit="), 10);
  EXPECT_EQ(*parse("limit=1"), 1);
  EXPECT_EQ(*parse("limit=500"), 500);
  for (auto bad : {"limit=0", "limit=501", "limit=-1", "limit=x", "limit=1.5"}) {
    auto r = parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_value_invalid");
    EXPECT_EQ(r.error().param_name, "limit");
  }
}

}  // namespace
}  // namespace orgd::api
