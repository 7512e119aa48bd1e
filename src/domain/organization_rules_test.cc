#include "domain/organization_rules.h"

#include <gtest/gtest.h>

namespace orgd::domain {
namespace {

TEST(OrganizationNameTest, TrimsSurroundingWhitespace) {
  auto name = NormalizeOrganizationName("  Acme Corp\t\n");
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "Acme Corp");
}

TEST(OrganizationNameTest, RequiresSomeText) {
  for (const char* blank : {"", " ", "\t\r\n"}) {
    auto name = NormalizeOrganizationName(blank);
    ASSERT_FALSE(name) << '"' << blank << '"';
    EXPECT_EQ(name.error().clerk_code, "form_param_missing");
    EXPECT_EQ(name.error().param_name, "name");
  }
}

TEST(OrganizationNameTest, CountsCodePointsNotBytes) {
  std::string accented;
  for (int i = 0; i < 256; ++i) accented += "\xC3\xA9";  // é, two bytes each
  EXPECT_TRUE(NormalizeOrganizationName(accented));
  auto too_long = NormalizeOrganizationName(accented + "x");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().clerk_code, "form_param_max_length_exceeded");
  EXPECT_TRUE(NormalizeOrganizationName(std::string(256, 'a')));
  EXPECT_FALSE(NormalizeOrganizationName(std::string(257, 'a')));
}

TEST(OrganizationNameTest, RefusesUrlsAndHtml) {
  for (const char* bad : {"see https://evil.example", "WWW.evil.example", "<b>Acme</b>",
                          "Acme </script>", "<!-- x -->", "ftp://x"}) {
    auto name = NormalizeOrganizationName(bad);
    ASSERT_FALSE(name) << bad;
    EXPECT_EQ(name.error().clerk_code, "form_param_value_invalid") << bad;
  }
  for (const char* fine : {"A < B", "1<2", "Acme.io", "R&D", "Müller GmbH", "株式会社"}) {
    EXPECT_TRUE(NormalizeOrganizationName(fine)) << fine;
  }
}

TEST(OrganizationNameTest, RefusesControlCharactersInside) {
  for (std::string_view bad : {std::string_view("a\0b", 3), std::string_view("Acme\nCorp"),
                               std::string_view("A\tB"), std::string_view("a\x7f"),
                               std::string_view("a\xc2\x85"
                                                "b")}) {
    auto name = NormalizeOrganizationName(bad);
    ASSERT_FALSE(name);
    EXPECT_EQ(name.error().clerk_code, "form_param_format_invalid");
    EXPECT_EQ(name.error().param_name, "name");
  }
  // Surrounding whitespace (newlines included) is trimmed first, as before.
  EXPECT_EQ(NormalizeOrganizationName("\tAcme\n").value(), "Acme");
}

TEST(SlugTest, AcceptsLowercaseAlphanumericsAndDashes) {
  for (const char* ok : {"acme", "acme-corp", "a", "123", "-weird-", "a--b"}) {
    EXPECT_TRUE(ValidateSlug(ok)) << ok;
  }
  EXPECT_TRUE(ValidateSlug(std::string(256, 'a')));
}

TEST(SlugTest, RefusesEverythingElse) {
  for (const char* bad : {"", "Acme", "acme corp", "acme_corp", "acmé", "acme.io", "acme/x"}) {
    auto r = ValidateSlug(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_format_invalid") << bad;
    EXPECT_EQ(r.error().param_name, "slug");
  }
  auto too_long = ValidateSlug(std::string(257, 'a'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().clerk_code, "form_param_max_length_exceeded");
}

TEST(SlugTest, DerivedFromNameLikeClerk) {
  EXPECT_EQ(SlugFromName("Acme Corp"), "acme-corp");
  EXPECT_EQ(SlugFromName("  Acme   & Sons, Inc.  "), "acme-sons-inc");
  EXPECT_EQ(SlugFromName("ACME2024"), "acme2024");
  EXPECT_EQ(SlugFromName("Müller GmbH"), "m-ller-gmbh");
  EXPECT_EQ(SlugFromName("株式会社"), "org");
  EXPECT_EQ(SlugFromName("---"), "org");
  for (const char* name : {"Acme Corp", "!!!", "a b c", "Ünïcödé", "x-"}) {
    EXPECT_TRUE(ValidateSlug(SlugFromName(name))) << name;
  }
  std::string long_name(300, 'a');
  EXPECT_EQ(SlugFromName(long_name).size(), 256u);
}

}  // namespace
}  // namespace orgd::domain
