#include "domain/user_rules.h"

#include <gtest/gtest.h>

namespace orgd::domain {
namespace {

TEST(EmailAddressTest, TrimsAndLowercases) {
  EXPECT_EQ(NormalizeEmailAddress("  Jane.Doe+tag@Example.COM ", "email_address").value(),
            "jane.doe+tag@example.com");
  EXPECT_EQ(NormalizeEmailAddress("a@b-c.co.uk", "email_address").value(), "a@b-c.co.uk");
}

TEST(EmailAddressTest, RefusesWhatIsNotAnAddress) {
  for (const char* bad :
       {"", "jane", "jane@", "@example.com", "jane@example", "jane@example.c",
        "jane doe@example.com", "jane@exa mple.com", "jane@-example.com", "jane@example-.com",
        "jane@example..com", "jane@example.c0m", "jane@@example.com", "jané@example.com"}) {
    auto r = NormalizeEmailAddress(bad, "email_address");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_format_invalid") << bad;
    EXPECT_EQ(r.error().param_name, "email_address");
  }
  EXPECT_FALSE(NormalizeEmailAddress(std::string(65, 'a') + "@example.com", "email_address"));
}

TEST(UsernameTest, LengthAndCharacters) {
  EXPECT_EQ(NormalizeUsername(" Jane_Doe-1.x ").value(), "jane_doe-1.x");
  EXPECT_TRUE(NormalizeUsername(std::string(64, 'a')));
  EXPECT_EQ(NormalizeUsername("abc").error().clerk_code, "form_username_invalid_length");
  EXPECT_EQ(NormalizeUsername(std::string(65, 'a')).error().clerk_code,
            "form_username_invalid_length");
  for (const char* bad : {"jane doe", "jane@doe", "jäne", "jane!"}) {
    EXPECT_EQ(NormalizeUsername(bad).error().clerk_code, "form_username_invalid_character") << bad;
  }
}

TEST(PhoneNumberTest, E164) {
  EXPECT_EQ(NormalizePhoneNumber("+1 (555) 555-0100", "phone_number").value(), "+15555550100");
  EXPECT_EQ(NormalizePhoneNumber("+306912345678", "phone_number").value(), "+306912345678");
  for (const char* bad : {"", "5555550100", "+1555", "+0155555501", "+1555555010012345",
                          "+1555x5550100", "++15555550100"}) {
    auto r = NormalizePhoneNumber(bad, "phone_number");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_format_invalid");
  }
}

TEST(UserTextFieldTest, Length) {
  EXPECT_TRUE(CheckUserTextField(std::string(256, 'x'), "first_name"));
  EXPECT_EQ(CheckUserTextField(std::string(257, 'x'), "first_name").error().clerk_code,
            "form_param_max_length_exceeded");
}

TEST(UserTextFieldTest, RefusesControlCharacters) {
  for (const char* param : {"first_name", "last_name", "external_id"}) {
    auto r = CheckUserTextField(std::string_view("a\0b", 3), param);
    ASSERT_FALSE(r) << param;
    EXPECT_EQ(r.error().clerk_code, "form_param_format_invalid");
    EXPECT_EQ(r.error().param_name, param);
  }
  EXPECT_FALSE(CheckUserTextField("line\nbreak", "first_name"));
  EXPECT_TRUE(CheckUserTextField("Zoë", "first_name"));
}

}  // namespace
}  // namespace orgd::domain
