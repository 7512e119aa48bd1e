// SmtpEmailSender: service::EmailSender over SMTP with libcurl. One connection per message (the
// jobs thread sends one at a time); STARTTLS as configured; every call bounded by timeouts.
//
//   url        smtp://host:port or smtps://host:port (implicit TLS)
//   user, password   AUTH credentials; empty user: none
//   starttls   kRequired (refuse a server without it), kOpportunistic, kOff
//
// The message is built here (RFC 5322 headers, a multipart/alternative body with a base64
// plain-text and HTML part); header values are kept to one line, a non-ASCII subject is
// RFC 2047-encoded. Passwords never reach a log or an error.
//
// Thread safety: Send() may be called from one thread at a time.
#pragma once

#include <string>

#include "service/email.h"

namespace orgd::jobs {

struct SmtpOptions {
  std::string url;
  std::string user;
  std::string password;
  enum class StartTls { kRequired, kOpportunistic, kOff } starttls = StartTls::kOpportunistic;
  long timeout_seconds = 30;
};

// Connects to the SMTP server (the TLS handshake too, for smtps://) and closes again, for
// `orgd doctor`. kUnavailable with libcurl's reason when it cannot; never names the password.
Result<void> ProbeSmtp(const SmtpOptions& options);

class SmtpEmailSender final : public service::EmailSender {
 public:
  explicit SmtpEmailSender(SmtpOptions options);
  ~SmtpEmailSender() override;

  // Errors: kUnavailable when the server cannot be reached, times out or answers with a failure
  // (retried by the job).
  Result<void> Send(const service::EmailMessage& message) override;

  // The whole message as sent (headers and body, CRLF line ends), for tests.
  static std::string Format(const service::EmailMessage& message, std::string_view boundary);

 private:
  SmtpOptions options_;
};

}  // namespace orgd::jobs
