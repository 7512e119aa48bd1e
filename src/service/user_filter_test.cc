#include "service/user_filter.h"

#include <gtest/gtest.h>

namespace orgd::service {
namespace {

TEST(UserFilterTest, ExactValuesTakeTheirStoredForm) {
  store::UserFilter f;
  f.email_addresses = {"Jane@ACME.com", "not an email"};
  f.usernames = {"JaneDoe"};
  f.phone_numbers = {"+1 (415) 555-0100"};
  f.include_user_ids = {"user_ABC"};
  NormalizeUserFilter(f);
  EXPECT_EQ(f.email_addresses, (std::vector<std::string>{"jane@acme.com", "not an email"}));
  EXPECT_EQ(f.usernames, std::vector<std::string>{"janedoe"});
  EXPECT_EQ(f.phone_numbers, std::vector<std::string>{"+14155550100"});
  EXPECT_EQ(f.include_user_ids, std::vector<std::string>{"user_ABC"});  // IDs are exact
}

}  // namespace
}  // namespace orgd::service
