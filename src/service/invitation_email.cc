#include "service/invitation_email.h"

#include <boost/json/parse.hpp>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/errors.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

constexpr const char* kDefaultSubject = "You are invited to join {{organization_name}}";

constexpr const char* kDefaultText =
    "Hello,\n"
    "\n"
    "{{inviter_name}} invited {{email_address}} to join {{organization_name}} as {{role_name}}.\n"
    "\n"
    "Accept the invitation:\n"
    "{{accept_url}}\n"
    "\n"
    "The invitation expires on {{expires_at}}. If you did not expect it, ignore this email.\n";

constexpr const char* kDefaultHtml =
    "<!DOCTYPE html>\n"
    "<html><body style=\"font-family: sans-serif\">\n"
    "<p>Hello,</p>\n"
    "<p>{{inviter_name}} invited {{email_address}} to join <strong>{{organization_name}}</strong> "
    "as {{role_name}}.</p>\n"
    "<p><a href=\"{{accept_url}}\">Accept the invitation</a></p>\n"
    "<p>The invitation expires on {{expires_at}}. If you did not expect it, ignore this "
    "email.</p>\n"
    "</body></html>\n";

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Value {
  std::string_view name;
  std::string text;
};

std::string Render(std::string_view tmpl, const std::vector<Value>& values,
                   std::string (*escape)(std::string_view)) {
  std::string out;
  for (size_t i = 0; i < tmpl.size();) {
    if (tmpl.compare(i, 2, "{{") == 0) {
      size_t end = tmpl.find("}}", i + 2);
      if (end != std::string_view::npos) {
        std::string_view name = tmpl.substr(i + 2, end - i - 2);
        const Value* found = nullptr;
        for (const Value& v : values) {
          if (v.name == name) found = &v;
        }
        if (found != nullptr) {
          out += escape != nullptr ? escape(found->text) : found->text;
          i = end + 2;
          continue;
        }
      }
    }
    out += tmpl[i++];
  }
  return out;
}

std::string UtcDate(int64_t millis) {
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// The domain of the From address, for Message-IDs ("orgd" without one).
std::string FromDomain(const std::string& from) {
  size_t at = from.rfind('@');
  if (at == std::string::npos) return "orgd";
  std::string domain = from.substr(at + 1);
  while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) domain.pop_back();
  return domain.empty() ? "orgd" : domain;
}

// A start-up error for people (no Clerk code: it never reaches the API).
Error TemplateError(std::string sentence) {
  return Error(ErrorCode::kInvalidArgument, "", "", "", "", std::move(sentence));
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return TemplateError("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The invitation, its organization and its inviter, read in one snapshot (blocking: the jobs
// thread may wait).
struct Loaded {
  InvitationView view;
  domain::Organization organization;
};

Result<Loaded> Load(store::Database& db, const std::string& invitation_id,
                    const PermissionAuthority& authority, int64_t now) {
  return store::ReadBlocking<Loaded>(
      db, [&invitation_id, &authority, now](store::ReadTransaction& tx) -> Result<Loaded> {
        auto inv = tx.invitations().Get(invitation_id);
        if (!inv) return inv.error();
        auto org = tx.organizations().Get(inv->organization_id);
        if (!org) return org.error();
        Loaded loaded;
        const auto* role = authority.Current()->Find(inv->role);
        loaded.view.role_name = role != nullptr ? role->name : inv->role;
        if (inv->inviter_user_id) {
          auto inviter = tx.users().Get(*inv->inviter_user_id);
          if (inviter) {
            loaded.view.inviter = std::move(*inviter);
          } else if (inviter.error().store_reason != StoreReason::kNotFound) {
            return inviter.error();
          }
        }
        loaded.view.now = now;
        loaded.view.invitation = std::move(*inv);
        loaded.organization = std::move(*org);
        return loaded;
      });
}

}  // namespace

EmailTemplates DefaultInvitationTemplates() {
  return EmailTemplates{kDefaultSubject, kDefaultText, kDefaultHtml};
}

Result<EmailTemplates> LoadInvitationTemplates(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return TemplateError("--email-templates " + dir + " is not a directory");
  }
  EmailTemplates t = DefaultInvitationTemplates();
  for (auto [name, field] :
       {std::pair{"invitation.subject.txt", &t.subject}, std::pair{"invitation.txt", &t.text},
        std::pair{"invitation.html", &t.html}}) {
    const std::filesystem::path path = std::filesystem::path(dir) / name;
    if (!std::filesystem::exists(path, ec)) continue;
    auto content = ReadFile(path);
    if (!content) return content.error();
    *field = std::move(*content);
  }
  return t;
}

EmailMessage ComposeInvitationEmail(const InvitationView& view, const domain::Organization& org,
                                    const EmailTemplates& templates, const std::string& from) {
  const domain::Invitation& inv = view.invitation;
  std::string inviter = "An administrator";
  if (view.inviter) {
    std::string name = view.inviter->first_name.value_or("");
    if (view.inviter->last_name) name += (name.empty() ? "" : " ") + *view.inviter->last_name;
    if (name.empty()) name = view.inviter->DisplayIdentifier().value_or("");
    if (!name.empty()) inviter = std::move(name);
  }
  const std::vector<Value> values = {
      {"organization_name", org.name},      {"inviter_name", inviter},
      {"email_address", inv.email_address}, {"role_name", view.role_name},
      {"accept_url", inv.url.value_or("")}, {"expires_at", UtcDate(inv.expires_at)},
  };
  EmailMessage m;
  m.message_id = "<" + inv.id + "@" + FromDomain(from) + ">";
  m.from = OneLine(from);
  m.to = OneLine(inv.email_address);
  m.subject = OneLine(Render(templates.subject, values, OneLine));
  m.text = Render(templates.text, values, nullptr);
  m.html = Render(templates.html, values, HtmlEscape);
  return m;
}

JobRunner::OutsideHandler InvitationEmailJob(store::Database& db, EmailSender& sender,
                                             const PermissionAuthority& authority,
                                             const Clock& clock, EmailTemplates templates,
                                             std::string from) {
  return [&db, &sender, &authority, &clock, templates = std::move(templates),
          from = std::move(from)](const store::Job& job) -> Result<void> {
    boost::system::error_code ec;
    boost::json::value payload = boost::json::parse(job.payload, ec);
    if (ec || !payload.is_object() || !payload.get_object().contains("invitation_id") ||
        !payload.get_object().at("invitation_id").is_string()) {
      return errors::Internal("invitation email job without an invitation_id: " + job.id);
    }
    const std::string id(payload.get_object().at("invitation_id").get_string());
    const int64_t now = clock.NowMillis();
    auto loaded = Load(db, id, authority, now);
    if (!loaded) {
      // The organization (and with it the invitation) is gone: nothing to send.
      if (loaded.error().store_reason == StoreReason::kNotFound) return {};
      return loaded.error();
    }
    const InvitationView& view = loaded->view;
    if (!view.invitation.IsPendingAt(now) || !view.invitation.url) return {};
    return sender.Send(ComposeInvitationEmail(view, loaded->organization, templates, from));
  };
}

}  // namespace orgd::service
