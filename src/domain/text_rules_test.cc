#include "domain/text_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace orgd::domain {
namespace {

TEST(TextRulesTest, FindsC0DelAndC1ControlCharacters) {
  for (int c = 0; c < 0x20; ++c) {
    EXPECT_TRUE(ContainsControlCharacter(std::string("a") + static_cast<char>(c) + "b")) << c;
  }
  EXPECT_TRUE(ContainsControlCharacter("a\x7f"));
  EXPECT_TRUE(ContainsControlCharacter("a\xc2\x80"));  // U+0080
  EXPECT_TRUE(ContainsControlCharacter("\xc2\x9f"));   // U+009F
  EXPECT_TRUE(ContainsControlCharacter(std::string_view("a\0b", 3)));
}

TEST(TextRulesTest, AllowsPrintableTextInAnyScript) {
  for (const char* text : {"Acme Corp", "caf\xc3\xa9", "\xc2\xa0nbsp", "\xc2\xa9 2024",
                           "\xe6\x97\xa5\xe6\x9c\xac", "emoji \xf0\x9f\x9a\x80", ""}) {
    EXPECT_FALSE(ContainsControlCharacter(text)) << text;
  }
}

TEST(TextRulesTest, RefusalNamesTheParam) {
  EXPECT_TRUE(RefuseControlCharacters("fine", "name"));
  auto r = RefuseControlCharacters(std::string_view("a\0b", 3), "last_name");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().clerk_code, "form_param_format_invalid");
  EXPECT_EQ(r.error().param_name, "last_name");
}

}  // namespace
}  // namespace orgd::domain
