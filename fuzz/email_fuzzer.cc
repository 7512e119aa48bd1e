// Fuzzes email rendering: the invitation email with operator templates
// (service/invitation_email.h ComposeInvitationEmail) and the affiliation-code email
// (service/affiliation_email.h ComposeAffiliationEmail).
//
// Input: fields separated by NUL bytes, in this order: organization name, inviter first name,
// inviter last name, inviter username, invitee address, role name, accept URL, expires_at (ms,
// decimal), subject template, text template, HTML template. A template left out is the built-in
// one. The affiliation email takes the invitee address, the organization name as the domain and
// the role name as the code.
//
// Invariants: the subject, To and From are one line, and so is the Message-ID when From is;
// the HTML part holds exactly the template's own `<`, `>`, `"` and `'` (every value is escaped,
// so no value can open a tag or leave an attribute); each part is the template with each known
// {{name}} replaced once, left to right, by its value (escaped for HTML, one-lined for the
// subject), and a value is never expanded again; expires_at renders as a UTC date.
// The affiliation email's HTML is its fixed text when the domain and code are what its job
// allows ([a-z0-9.-]).
#include <charconv>
#include <ctime>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "service/affiliation_email.h"
#include "service/invitation_email.h"

namespace orgd::fuzz {
namespace {

struct Value {
  std::string name;
  std::string text;
};

std::string Escape(std::string_view s) {
  std::string out;
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
        out.push_back(c);
    }
  }
  return out;
}

// The template language as invitation_email.h states it, written out independently.
std::string Expand(std::string_view tmpl, const std::vector<Value>& values,
                   std::string (*transform)(std::string_view)) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl.substr(i, 2) == "{{") {
      const size_t close = tmpl.find("}}", i + 2);
      if (close != std::string_view::npos) {
        const std::string_view name = tmpl.substr(i + 2, close - i - 2);
        auto it = std::find_if(values.begin(), values.end(),
                               [&](const Value& v) { return v.name == name; });
        if (it != values.end()) {
          out += transform(it->text);
          i = close + 2;
          continue;
        }
      }
    }
    out.push_back(tmpl[i++]);
  }
  return out;
}

std::string Same(std::string_view s) { return std::string(s); }
std::string Flatten(std::string_view s) { return service::OneLine(s); }

bool OneLine(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

size_t Count(std::string_view s, char c) { return std::count(s.begin(), s.end(), c); }

// YYYY-MM-DD of a UTC day, by Howard Hinnant's civil_from_days (not the C library, which the
// code under test uses).
std::string CivilDate(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

void CheckAffiliation(const std::string& to, const std::string& domain, const std::string& code) {
  const service::EmailMessage m = service::ComposeAffiliationEmail(
      to, domain, code, "<job_1@example.test>", "orgd@example.test");
  ORGD_FUZZ_CHECK(OneLine(m.subject));
  ORGD_FUZZ_CHECK(m.text.find(code) != std::string::npos);
  auto allowed = [](const std::string& s) {
    return s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string::npos;
  };
  if (allowed(domain) && allowed(code)) {
    const service::EmailMessage plain =
        service::ComposeAffiliationEmail(to, "", "", "<job_1@example.test>", "orgd@example.test");
    for (char c : {'<', '>', '"', '\'', '&'})
      ORGD_FUZZ_CHECK(Count(m.html, c) == Count(plain.html, c));
  }
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  std::string_view in = AsText(data, size);
  std::vector<std::string> fields;
  while (!in.empty() && fields.size() < 11) {
    const size_t nul = in.find('\0');
    fields.emplace_back(in.substr(0, nul));
    in = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  }
  auto field = [&](size_t i) { return i < fields.size() ? fields[i] : std::string(); };

  domain::Organization org;
  org.id = "org_1";
  org.name = field(0);
  service::InvitationView view;
  view.invitation.id = "orginv_1";
  view.invitation.email_address = field(4);
  view.invitation.url = field(6);
  view.role_name = field(5);
  if (!field(1).empty() || !field(2).empty() || !field(3).empty()) {
    domain::User inviter;
    inviter.id = "user_1";
    if (!field(1).empty()) inviter.first_name = field(1);
    if (!field(2).empty()) inviter.last_name = field(2);
    if (!field(3).empty()) inviter.username = field(3);
    view.inviter = inviter;
  }
  int64_t expires_at = 1'700'000'000'000;
  const std::string expires_text = field(7);
  std::from_chars(expires_text.data(), expires_text.data() + expires_text.size(), expires_at);
  view.invitation.expires_at = expires_at;

  service::EmailTemplates templates = service::DefaultInvitationTemplates();
  if (fields.size() > 8) templates.subject = fields[8];
  if (fields.size() > 9) templates.text = fields[9];
  if (fields.size() > 10) templates.html = fields[10];
  const std::string from = "Acme <no-reply@acme.test>";

  const service::EmailMessage m = service::ComposeInvitationEmail(view, org, templates, from);
  ORGD_FUZZ_CHECK(OneLine(m.subject) && m.subject.find('\t') == std::string::npos);
  ORGD_FUZZ_CHECK(OneLine(m.to) && OneLine(m.from) && OneLine(m.message_id));
  ORGD_FUZZ_CHECK(m.message_id == "<orginv_1@acme.test>");
  for (char c : {'<', '>', '"', '\''})
    ORGD_FUZZ_CHECK(Count(m.html, c) == Count(templates.html, c));

  // Each part against the template language (the inviter's name as the code builds it, and the
  // date from the expires_at check below).
  std::string inviter = "An administrator";
  if (view.inviter) {
    std::string name = field(1);
    if (!field(2).empty()) name += (name.empty() ? "" : " ") + field(2);
    if (name.empty()) name = field(3);
    if (!name.empty()) inviter = name;
  }
  const service::EmailMessage dated =
      service::ComposeInvitationEmail(view, org, {"", "{{expires_at}}", ""}, from);
  const std::string& date = dated.text;
  const std::vector<Value> values = {
      {"organization_name", org.name}, {"inviter_name", inviter}, {"email_address", field(4)},
      {"role_name", field(5)},         {"accept_url", field(6)},  {"expires_at", date},
  };
  ORGD_FUZZ_CHECK(m.subject == service::OneLine(Expand(templates.subject, values, Flatten)));
  ORGD_FUZZ_CHECK(m.text == Expand(templates.text, values, Same));
  ORGD_FUZZ_CHECK(m.html == Expand(templates.html, values, Escape));

  // The date is the UTC day of expires_at's whole seconds (checked for the years 1000-9999,
  // which strftime's %Y writes with four digits).
  const int64_t seconds = expires_at / 1000;
  if (seconds >= -30'610'224'000 && seconds <= 253'402'300'799) {
    int64_t days = seconds / 86400;
    if (seconds % 86400 < 0) --days;
    ORGD_FUZZ_CHECK(date == CivilDate(days));
  }

  CheckAffiliation(field(4), field(0), field(5));
  return 0;
}
