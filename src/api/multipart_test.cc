#include "api/multipart.h"

#include <gtest/gtest.h>

namespace orgd::api {
namespace {

TEST(MultipartBoundaryTest, ReadsPlainAndQuotedBoundaries) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=----abc123"), "----abc123");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; charset=utf-8; BOUNDARY=x"), "x");
}

TEST(MultipartBoundaryTest, RefusesOtherTypesAndBadBoundaries) {
  EXPECT_FALSE(MultipartBoundary(""));
  EXPECT_FALSE(MultipartBoundary("application/json"));
  EXPECT_FALSE(MultipartBoundary("multipart/mixed; boundary=x"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary="));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"unterminated"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"a\x01\""));
}

std::string Body(std::initializer_list<std::string> parts, std::string_view boundary = "XyZ") {
  std::string body;
  for (const auto& part : parts) body += "--" + std::string(boundary) + "\r\n" + part + "\r\n";
  body += "--" + std::string(boundary) + "--\r\n";
  return body;
}

TEST(MultipartParseTest, SplitsFieldsAndFiles) {
  // Binary, with NULs and a near-delimiter inside (15 bytes: the literal without its terminator).
  std::string png("\x89PNG\r\n\x1a\n\0\0--XyZ", 15);
  std::string body = Body({
      "Content-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\n"
      "Content-Type: image/png\r\n\r\n" +
          png,
      "content-disposition: form-data; name=uploader_user_id\r\n\r\nuser_123",
  });
  auto parts = ParseMultipartFormData("XyZ", body);
  ASSERT_TRUE(parts) << parts.error().long_message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "file");
  EXPECT_EQ((*parts)[0].filename, "logo.png");
  EXPECT_EQ((*parts)[0].content_type, "image/png");
  EXPECT_EQ((*parts)[0].data, png);
  EXPECT_EQ((*parts)[1].name, "uploader_user_id");
  EXPECT_FALSE((*parts)[1].filename);
  EXPECT_EQ((*parts)[1].data, "user_123");
}

TEST(MultipartParseTest, IgnoresPreambleEpilogueAndTransportPadding) {
  std::string body =
      "preamble text\r\n--XyZ  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
      "--XyZ--\r\nepilogue";
  auto parts = ParseMultipartFormData("XyZ", body);
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(MultipartParseTest, EmptyFormHasNoParts) {
  auto parts = ParseMultipartFormData("XyZ", "--XyZ--\r\n");
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->empty());
}

void ExpectMalformed(std::string_view body) {
  auto parts = ParseMultipartFormData("XyZ", body);
  ASSERT_FALSE(parts) << body;
  EXPECT_EQ(parts.error().clerk_code, "request_body_invalid");
}

TEST(MultipartParseTest, RefusesMalformedBodies) {
  ExpectMalformed("");
  ExpectMalformed("no boundary here");
  ExpectMalformed("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated");
  ExpectMalformed("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--");
  ExpectMalformed("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--");
  ExpectMalformed("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--");
  ExpectMalformed("--XyZ\r\nno colon line\r\n\r\nx\r\n--XyZ--");
  ExpectMalformed("--XyZjunk\r\n\r\nx\r\n--XyZ--");
  ExpectMalformed("--XyZ\r\nContent-Disposition: form-data; name=\"a\"");
  // Control characters in a part header, bare or escaped inside a quoted-string.
  ExpectMalformed("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\\\nb\"\r\n\r\nx\r\n--XyZ--");
  ExpectMalformed("--XyZ\r\nContent-Disposition: form-data; name=\"a\nb\"\r\n\r\nx\r\n--XyZ--");
  using namespace std::string_view_literals;
  ExpectMalformed(
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: image/png\0\r\n\r\nx\r\n--XyZ--"sv);
}

TEST(MultipartParseTest, BoundsHeadersAndPartCount) {
  std::string huge_header =
      "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: " + std::string(9000, 'p') +
      "\r\n\r\nx";
  ExpectMalformed(Body({huge_header}));

  std::vector<std::string> many;
  std::string body;
  for (int i = 0; i < 65; ++i) {
    body +=
        "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  }
  body += "--XyZ--";
  ExpectMalformed(body);
}

}  // namespace
}  // namespace orgd::api
