#include "common/json_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace orgd {
namespace {

TEST(JsonLogTest, EscapesQuotesControlCharactersAndIllFormedUtf8) {
  std::string out;
  AppendJsonString(out, std::string("a\"b\\c\nd\te\x01\x7f\xff", 12));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\xEF\xBF\xBD\"");
  // And it parses back as JSON.
  boost::system::error_code ec;
  auto v = boost::json::parse(out, ec);
  ASSERT_FALSE(ec);
  EXPECT_TRUE(v.is_string());
}

TEST(JsonLogTest, FieldsAreCommaSeparatedAfterTheMarker) {
  std::string out(1, kLogFieldsMarker);
  AppendJsonField(out, "message", "http request");
  AppendJsonField(out, "status", int64_t{200});
  EXPECT_EQ(out, std::string(1, kLogFieldsMarker) + "\"message\":\"http request\",\"status\":200");
  boost::system::error_code ec;
  boost::json::parse("{" + out.substr(1) + "}", ec);
  EXPECT_FALSE(ec);
}

}  // namespace
}  // namespace orgd
