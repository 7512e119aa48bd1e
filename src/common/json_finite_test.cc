#include "common/json_finite.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <limits>

namespace orgd {
namespace {

TEST(JsonFiniteTest, Boost181ParsesHugeNumbersAsInfinity) {
  // The premise of these helpers: if this starts failing, Boost.JSON changed.
  EXPECT_TRUE(std::isinf(boost::json::parse("1e400").get_double()));
  EXPECT_TRUE(std::isinf(boost::json::parse(std::string(400, '9')).get_double()));
}

TEST(JsonFiniteTest, FindsNonFiniteNumbersAtAnyDepth) {
  EXPECT_TRUE(AllNumbersFinite(boost::json::parse(R"({"a":[1,2.5,{"b":-3e300}],"s":"NaN"})")));
  EXPECT_FALSE(AllNumbersFinite(boost::json::parse(R"({"a":[1,{"b":1e400}]})")));
  EXPECT_FALSE(AllNumbersFinite(boost::json::parse(R"([-1e400])")));
  EXPECT_FALSE(AllNumbersFinite(boost::json::value(std::nan(""))));
}

TEST(JsonFiniteTest, NullsNonFiniteNumbers) {
  boost::json::value v = boost::json::parse(R"({"a":[1,{"b":1e400}],"c":-1e400,"d":2})");
  EXPECT_EQ(NullNonFiniteNumbers(v), 2);
  EXPECT_EQ(v, boost::json::parse(R"({"a":[1,{"b":null}],"c":null,"d":2})"));
}

TEST(JsonFiniteTest, SerializeFiniteRefusesWhatBoostWouldWriteAsInfinity) {
  EXPECT_EQ(SerializeFinite(boost::json::parse(R"({"a":1.5})")), R"({"a":1.5E0})");
  EXPECT_EQ(SerializeFinite(boost::json::parse(R"({"a":1e400})")), std::nullopt);
  EXPECT_EQ(SerializeFinite(boost::json::value(std::numeric_limits<double>::quiet_NaN())),
            std::nullopt);
}

TEST(JsonFiniteTest, SerializeNonFiniteAsNullWritesJson) {
  int replaced = -1;
  std::string out =
      SerializeNonFiniteAsNull(boost::json::parse(R"({"s":"Infinity","n":-1e400})"), &replaced);
  EXPECT_EQ(out, R"({"s":"Infinity","n":null})");
  EXPECT_EQ(replaced, 1);
  boost::system::error_code ec;
  boost::json::parse(out, ec);
  EXPECT_FALSE(ec);
  EXPECT_EQ(SerializeNonFiniteAsNull(boost::json::parse(R"({"s":"NaN"})"), &replaced),
            R"({"s":"NaN"})");
  EXPECT_EQ(replaced, 0);
}

TEST(JsonFiniteTest, RepairsBareTokensOutsideStringsOnly) {
  EXPECT_EQ(NullNonFiniteTokens(R"({"a":Infinity,"b":[-Infinity,NaN],"c":"Infinity NaN"})"),
            R"({"a":null,"b":[null,null],"c":"Infinity NaN"})");
  // Escaped quotes do not end a string.
  EXPECT_EQ(NullNonFiniteTokens(R"({"a\"Infinity":"x\\","b":NaN})"),
            R"({"a\"Infinity":"x\\","b":null})");
  EXPECT_EQ(NullNonFiniteTokens(R"({"a":"Infinity","b":1})"), std::nullopt);
  EXPECT_EQ(NullNonFiniteTokens("Infinity"), "null");
}

}  // namespace
}  // namespace orgd
