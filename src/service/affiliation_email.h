// The email with a domain's affiliation code (DomainService::PrepareAffiliation queues it as a
// kAffiliationCodeJob; an outside handler of the jobs runner sends it, with no transaction open).
//
// Thread safety: the handler runs on the jobs thread.
#pragma once

#include <string>

#include "service/email.h"
#include "service/job_runner.h"

namespace orgd::service {

// Subject "Your verification code for <domain>"; the code alone on a line of the text part.
EmailMessage ComposeAffiliationEmail(const std::string& to, const std::string& domain,
                                     const std::string& code, const std::string& message_id,
                                     const std::string& from);

// REQUIRES: `sender` outlives the runner.
JobRunner::OutsideHandler AffiliationCodeJob(EmailSender& sender, std::string from);

}  // namespace orgd::service
