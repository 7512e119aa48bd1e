#include "jobs/smtp_email_sender.h"

#include <curl/curl.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

#include "common/base64.h"
#include "common/random.h"
#include "store/store_errors.h"

namespace orgd::jobs {
namespace {

// Base64 in lines of 76 characters (RFC 2045 §6.8).
std::string Base64Lines(std::string_view bytes) {
  const std::string flat = Base64Encode(bytes);
  std::string out;
  for (size_t i = 0; i < flat.size(); i += 76) out += flat.substr(i, 76) + "\r\n";
  return out;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// The address of "Name <address>" (or the whole value).
std::string Address(std::string_view mailbox) {
  size_t open = mailbox.rfind('<'), close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(mailbox.substr(open + 1, close - open - 1));
  }
  return std::string(mailbox);
}

std::string RfcDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t left = upload->data->size() - upload->offset;
  size_t n = std::min(left, size * count);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Result<void> ProbeSmtp(const SmtpOptions& options) {
  GlobalInit();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error(ErrorCode::kUnavailable, "", "", "", "", "libcurl could not start");
  char reason[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return {};
  return Error(ErrorCode::kUnavailable, "", "", "", "",
               reason[0] != '\0' ? std::string(reason) : std::string(curl_easy_strerror(rc)));
}

SmtpEmailSender::SmtpEmailSender(SmtpOptions options) : options_(std::move(options)) {
  GlobalInit();
}

SmtpEmailSender::~SmtpEmailSender() = default;

std::string SmtpEmailSender::Format(const service::EmailMessage& m, std::string_view boundary) {
  const std::string subject = IsAscii(m.subject)
                                  ? service::OneLine(m.subject)
                                  : "=?UTF-8?B?" + Base64Encode(service::OneLine(m.subject)) + "?=";
  std::string out;
  out += "Date: " + RfcDate() + "\r\n";
  out += "From: " + service::OneLine(m.from) + "\r\n";
  out += "To: " + service::OneLine(m.to) + "\r\n";
  out += "Subject: " + subject + "\r\n";
  out += "Message-ID: " + service::OneLine(m.message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + std::string(boundary) + "\"\r\n";
  out += "\r\n";
  for (auto [type, body] : {std::pair{"text/plain", &m.text}, std::pair{"text/html", &m.html}}) {
    out += "--" + std::string(boundary) + "\r\n";
    out += std::string("Content-Type: ") + type + "; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += Base64Lines(*body);
  }
  out += "--" + std::string(boundary) + "--\r\n";
  return out;
}

Result<void> SmtpEmailSender::Send(const service::EmailMessage& message) {
  const std::string payload = Format(message, "orgd-" + RandomBase62(24));
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return store::Unavailable("smtp: curl_easy_init failed");
  const std::string from = "<" + Address(message.from) + ">";
  const std::string to = "<" + Address(message.to) + ">";
  curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
  Upload upload{&payload};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadChunk);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, std::min(options_.timeout_seconds, 10L));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, options_.timeout_seconds);
  switch (options_.starttls) {
    case SmtpOptions::StartTls::kRequired:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
      break;
    case SmtpOptions::StartTls::kOpportunistic:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
      break;
    case SmtpOptions::StartTls::kOff:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
      break;
  }
  if (!options_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    // curl's messages name the server and the failure, never the credentials.
    return store::Unavailable(std::string("smtp: sending ") + message.message_id +
                              " failed: " + (error[0] != '\0' ? error : curl_easy_strerror(rc)));
  }
  return {};
}

}  // namespace orgd::jobs
