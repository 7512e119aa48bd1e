#include "jobs/smtp_email_sender.h"

#include <gtest/gtest.h>

namespace orgd::jobs {
namespace {

service::EmailMessage Message() {
  service::EmailMessage m;
  m.message_id = "<orginv_1@acme.com>";
  m.from = "Acme <no-reply@acme.com>";
  m.to = "jane@acme.com";
  m.subject = "Join Acme";
  m.text = "Hello\nhttps://app.example/accept?__clerk_ticket=t";
  m.html = "<p>Hello</p>";
  return m;
}

TEST(SmtpEmailSenderTest, FormatsTwoBase64PartsWithTheHeaders) {
  const std::string raw = SmtpEmailSender::Format(Message(), "B");
  EXPECT_NE(raw.find("From: Acme <no-reply@acme.com>\r\n"), std::string::npos);
  EXPECT_NE(raw.find("To: jane@acme.com\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Subject: Join Acme\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Message-ID: <orginv_1@acme.com>\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: multipart/alternative; boundary=\"B\"\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(raw.find("PHA+SGVsbG88L3A+"), std::string::npos);  // base64 of <p>Hello</p>
  EXPECT_TRUE(raw.ends_with("--B--\r\n"));
}

TEST(SmtpEmailSenderTest, HeaderValuesCannotAddHeaders) {
  auto m = Message();
  m.subject = "Hi\r\nBcc: victim@example.com";
  m.to = "jane@acme.com\r\nBcc: other@example.com";
  const std::string raw = SmtpEmailSender::Format(m, "B");
  EXPECT_EQ(raw.find("\r\nBcc:"), std::string::npos);
}

TEST(SmtpEmailSenderTest, ANonAsciiSubjectIsEncoded) {
  auto m = Message();
  m.subject = "Rejoignez Société";
  const std::string raw = SmtpEmailSender::Format(m, "B");
  EXPECT_NE(raw.find("Subject: =?UTF-8?B?"), std::string::npos);
}

TEST(SmtpEmailSenderTest, AnUnreachableServerIsUnavailable) {
  SmtpOptions options;
  options.url = "smtp://127.0.0.1:1";  // nothing listens on port 1
  options.timeout_seconds = 5;
  SmtpEmailSender sender(options);
  auto r = sender.Send(Message());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace orgd::jobs
