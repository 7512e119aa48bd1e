#include "service/affiliation_email.h"

#include <boost/json/parse.hpp>

#include "domain/errors.h"

namespace orgd::service {

EmailMessage ComposeAffiliationEmail(const std::string& to, const std::string& domain,
                                     const std::string& code, const std::string& message_id,
                                     const std::string& from) {
  EmailMessage m;
  m.message_id = message_id;
  m.from = from;
  m.to = to;
  m.subject = OneLine("Your verification code for " + domain);
  m.text = "Enter this code to verify that you belong to " + domain + ":\n\n" + code +
           "\n\nIt expires in 10 minutes. If you did not ask for it, ignore this email.\n";
  m.html = "<p>Enter this code to verify that you belong to " + domain +
           ":</p>\n<p style=\"font-size:24px;letter-spacing:4px\"><strong>" + code +
           "</strong></p>\n<p>It expires in 10 minutes. If you did not ask for it, ignore this "
           "email.</p>\n";
  return m;
}

JobRunner::OutsideHandler AffiliationCodeJob(EmailSender& sender, std::string from) {
  return [&sender, from = std::move(from)](const store::Job& job) -> Result<void> {
    boost::system::error_code ec;
    boost::json::value payload = boost::json::parse(job.payload, ec);
    const auto* o = ec ? nullptr : payload.if_object();
    auto text = [&](const char* key) -> std::string {
      if (o == nullptr) return {};
      const auto* v = o->if_contains(key);
      return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    const std::string to = text("to"), domain = text("domain"), code = text("code");
    if (to.empty() || domain.empty() || code.empty()) {
      return errors::Internal("affiliation code job without to, domain or code: " + job.id);
    }
    // The domain names only [a-z0-9.-]: safe in a subject, a body and a Message-ID.
    return sender.Send(
        ComposeAffiliationEmail(to, domain, code, "<" + job.id + "@" + domain + ">", from));
  };
}

}  // namespace orgd::service
