#include "api/body_reader.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace orgd::api {
namespace {

http::Request WithBody(std::string body, std::string content_type = "application/json") {
  http::Request r;
  r.body = std::move(body);
  if (!content_type.empty()) r.headers.push_back({"content-type", content_type});
  return r;
}

TEST(BodyReaderTest, EmptyBodyIsAnEmptyObject) {
  for (const char* body : {"", "  \n"}) {
    auto parsed = ParseJsonObjectBody(WithBody(body));
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(parsed->empty());
  }
  EXPECT_TRUE(ParseJsonObjectBody(WithBody("{}", "")));
  EXPECT_TRUE(ParseJsonObjectBody(WithBody("{}", "application/json; charset=utf-8")));
}

// Found by fuzz/body_reader_fuzzer.cc: `Application/JSON` was refused with a 415, by the Backend
// API and (through this reader) by the Frontend API, which had taken it as JSON.
TEST(BodyReaderTest, MediaTypesCompareCaseInsensitively) {
  for (const char* type : {"Application/JSON", "application/Json; charset=UTF-8",
                           "application/json\t; charset=utf-8"}) {
    auto parsed = ParseJsonObjectBody(WithBody(R"({"name":"Acme"})", type));
    ASSERT_TRUE(parsed) << type;
    EXPECT_EQ(parsed->at("name").as_string(), "Acme");
  }
  EXPECT_FALSE(ParseJsonObjectBody(WithBody("{}", "application/jsonx")));
}

TEST(BodyReaderTest, RefusesNonObjectsAndOtherContentTypes) {
  for (const char* body : {"{", "[1]", "\"x\"", "nul"}) {
    auto r = ParseJsonObjectBody(WithBody(body));
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().clerk_code, "request_body_invalid");
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  }
  auto form = ParseJsonObjectBody(WithBody("name=x", "application/x-www-form-urlencoded"));
  ASSERT_FALSE(form);
  EXPECT_EQ(form.error().clerk_code, "unsupported_content_type");
}

TEST(BodyReaderTest, ReadsTypedFieldsAndTreatsNullAsAbsent) {
  auto body =
      boost::json::parse(
          R"({"name":"Acme","n":3,"big":9223372036854775807,"flag":true,"meta":{"a":1},"gone":null})")
          .as_object();
  BodyReader in(body);
  EXPECT_EQ(in.String("name"), "Acme");
  EXPECT_EQ(in.Int("n"), 3);
  EXPECT_EQ(in.Int("big"), INT64_MAX);
  EXPECT_EQ(in.Bool("flag"), true);
  EXPECT_EQ(in.Value("meta"), boost::json::parse(R"({"a":1})"));
  EXPECT_EQ(in.String("gone"), std::nullopt);
  EXPECT_EQ(in.String("absent"), std::nullopt);
  EXPECT_TRUE(in.Finish());
}

TEST(BodyReaderTest, StringArrays) {
  auto body = boost::json::parse(R"({"a":["x","y"],"b":"z","c":[1],"d":{}})").as_object();
  BodyReader in(body);
  EXPECT_EQ(in.StringArray("a"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(in.StringArray("b"), (std::vector<std::string>{"z"}));  // a lone string is one item
  EXPECT_EQ(in.StringArray("c"), std::nullopt);
  auto done = in.Finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().param_name, "c");
  boost::json::array many;
  for (int i = 0; i < 3; ++i) many.emplace_back("v");
  boost::json::object big{{"e", many}};
  BodyReader limited(big);
  limited.StringArray("e", 2);
  EXPECT_EQ(limited.Finish().error().clerk_code, "form_param_array_size_exceeded");
}

TEST(BodyReaderTest, ReportsTheFirstWrongType) {
  auto body = boost::json::parse(R"({"name":5,"n":"3"})").as_object();
  BodyReader in(body);
  in.String("name");
  in.Int("n");
  auto done = in.Finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().clerk_code, "form_param_value_invalid");
  EXPECT_EQ(done.error().param_name, "name");
  EXPECT_NE(done.error().long_message.find("must be of type string"), std::string::npos);
}

TEST(BodyReaderTest, RefusesFractionsForIntegers) {
  auto body = boost::json::parse(R"({"n":1.5})").as_object();
  BodyReader in(body);
  in.Int("n");
  EXPECT_EQ(in.Finish().error().param_name, "n");
}

TEST(BodyReaderTest, IntegersAreIntegerLiteralsOnly) {
  // 1e2 and 3.0 are integral values but not integer literals; Clerk's integer fields take only
  // the latter (issue 12).
  for (const char* text : {R"({"n":1e2})", R"({"n":3.0})", R"({"n":-1E1})", R"({"n":1.5})",
                           R"({"n":"5"})", R"({"n":9223372036854775808})"}) {
    auto body = boost::json::parse(text).as_object();
    BodyReader in(body);
    EXPECT_EQ(in.Int("n"), std::nullopt) << text;
    auto done = in.Finish();
    ASSERT_FALSE(done) << text;
    EXPECT_EQ(done.error().clerk_code, "form_param_value_invalid") << text;
    EXPECT_EQ(done.error().param_name, "n") << text;
    EXPECT_NE(done.error().long_message.find("must be of type integer"), std::string::npos);
  }
  auto body = boost::json::parse(R"({"n":-7})").as_object();
  BodyReader in(body);
  EXPECT_EQ(in.Int("n"), -7);
}

TEST(BodyReaderTest, RefusesNumbersBeyondADoublesRangeNamingTheTopLevelField) {
  for (const std::string& number :
       {std::string("1e400"), std::string("-1e400"), std::string(400, '9'),
        std::string("-") + std::string(400, '9')}) {
    std::string text = R"({"name":"x","public_metadata":{"a":[{"n":)" + number + "}]}}";
    auto r = ParseJsonObjectBody(WithBody(text, "application/json"));
    ASSERT_FALSE(r) << number;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().clerk_code, "form_param_value_invalid");
    EXPECT_EQ(r.error().param_name, "public_metadata");
  }
  auto fine = ParseJsonObjectBody(WithBody(
      R"({"public_metadata":{"n":1.7976931348623157e308,"s":"1e400"}})", "application/json"));
  EXPECT_TRUE(fine);
}

TEST(BodyReaderTest, ReportsUnknownFields) {
  auto body = boost::json::parse(R"({"name":"x","colour":"red"})").as_object();
  BodyReader in(body);
  in.String("name");
  auto done = in.Finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().clerk_code, "form_param_unknown");
  EXPECT_EQ(done.error().param_name, "colour");
}

}  // namespace
}  // namespace orgd::api
