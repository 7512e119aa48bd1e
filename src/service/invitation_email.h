// The invitation email: its templates (files an operator can replace), their rendering, and the
// background job that sends one per invitation created with notify (service/job_runner.h, an
// outside handler: the send runs with no transaction open).
//
// Templates use {{organization_name}}, {{inviter_name}}, {{email_address}}, {{role_name}},
// {{accept_url}} and {{expires_at}} (a UTC date); every value is HTML-escaped in the HTML part and
// kept to one line in the subject.
//
// Thread safety: the templates are immutable; the job handler runs on the jobs thread.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "service/email.h"
#include "service/invitation_service.h"
#include "service/job_runner.h"
#include "store/database.h"

namespace orgd::service {

struct EmailTemplates {
  std::string subject;
  std::string text;
  std::string html;
};

// The built-in invitation templates.
EmailTemplates DefaultInvitationTemplates();

// The built-in templates with those of `dir` in their place: invitation.subject.txt,
// invitation.txt and invitation.html, each optional. kInvalidArgument (a sentence in `detail`,
// naming the path) when the directory or a file present cannot be read.
Result<EmailTemplates> LoadInvitationTemplates(const std::string& dir);

// The email for one invitation. REQUIRES: view.invitation.url is set.
EmailMessage ComposeInvitationEmail(const InvitationView& view, const domain::Organization& org,
                                    const EmailTemplates& templates, const std::string& from);

// The job handler: reads the invitation, and sends its email while it is still pending (a revoked,
// accepted or expired invitation sends nothing). REQUIRES: every argument outlives the runner.
JobRunner::OutsideHandler InvitationEmailJob(store::Database& db, EmailSender& sender,
                                             const PermissionAuthority& authority,
                                             const Clock& clock, EmailTemplates templates,
                                             std::string from);

}  // namespace orgd::service
