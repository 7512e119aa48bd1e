// An email as orgd sends it, and the seam to whatever sends it (jobs/smtp_email_sender.h; tests
// may use a fake).
//
// Thread safety: EmailMessage is a value; an EmailSender is called from the jobs thread only.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::service {

struct EmailMessage {
  std::string message_id;  // "<…@…>", stable for one logical email (receivers dedupe on it)
  std::string from;        // "Name <address>" or "address"
  std::string to;          // an address
  std::string subject;     // one line
  std::string text;        // the plain-text part
  std::string html;        // the HTML part
};

// `s` as one header line: CR, LF and tabs become spaces, so a value can never start a header of
// its own.
inline std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  // Sends `message`. kUnavailable when the mail server cannot be reached or refuses it for now
  // (the job is retried); kInternal for a message it can never take.
  virtual Result<void> Send(const EmailMessage& message) = 0;
};

}  // namespace orgd::service
