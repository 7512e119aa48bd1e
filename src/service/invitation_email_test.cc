#include "service/invitation_email.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

InvitationView View() {
  InvitationView view;
  view.invitation.id = "orginv_1";
  view.invitation.email_address = "jane@example.test";
  view.invitation.url = "https://app.example/accept?__clerk_ticket=t&__clerk_status=sign_up";
  view.invitation.expires_at = 1'700'000'000'000;
  view.role_name = "Member";
  domain::User inviter;
  inviter.id = "user_1";
  inviter.first_name = "Tom";
  inviter.last_name = "<script>";
  view.inviter = inviter;
  return view;
}

domain::Organization Org() {
  domain::Organization org;
  org.id = "org_1";
  org.name = "Acme & Co";
  return org;
}

TEST(InvitationEmailTest, EscapesEveryValueInTheHtmlAndKeepsTheSubjectOneLine) {
  EmailMessage m = ComposeInvitationEmail(View(), Org(), DefaultInvitationTemplates(),
                                          "Acme <no-reply@acme.test>");
  EXPECT_EQ(m.message_id, "<orginv_1@acme.test>");
  EXPECT_EQ(m.to, "jane@example.test");
  EXPECT_EQ(m.subject, "You are invited to join Acme & Co");
  EXPECT_NE(m.text.find("Tom <script> invited jane@example.test to join Acme & Co as Member"),
            std::string::npos);
  EXPECT_NE(m.text.find(*View().invitation.url), std::string::npos);
  EXPECT_NE(m.text.find("2023-11-14"), std::string::npos);  // expires_at as a UTC date
  EXPECT_EQ(m.html.find("<script>"), std::string::npos);
  EXPECT_NE(m.html.find("Tom &lt;script&gt;"), std::string::npos);
  EXPECT_NE(m.html.find("Acme &amp; Co"), std::string::npos);
  EXPECT_NE(m.html.find("href=\"https://app.example/accept?__clerk_ticket=t&amp;__clerk_status"),
            std::string::npos);
}

TEST(InvitationEmailTest, AnOperatorsTemplatesReplaceTheBuiltInOnes) {
  orgd::testing::TempDir dir;
  std::ofstream(dir.File("invitation.subject.txt")) << "Welcome to {{organization_name}}\nX: y";
  std::ofstream(dir.File("invitation.html")) << "<b>{{organization_name}}</b> {{accept_url}}";
  auto templates = LoadInvitationTemplates(dir.path());
  ASSERT_TRUE(templates);
  EmailMessage m = ComposeInvitationEmail(View(), Org(), *templates, "no-reply@acme.test");
  EXPECT_EQ(m.subject, "Welcome to Acme & Co X: y");  // one line: no header from a template
  EXPECT_EQ(m.html,
            "<b>Acme &amp; Co</b> https://app.example/accept?__clerk_ticket=t&amp;"
            "__clerk_status=sign_up");
  // The text part was not replaced: the built-in one.
  EXPECT_NE(m.text.find("Accept the invitation:"), std::string::npos);
  auto missing = LoadInvitationTemplates(dir.File("missing"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find(dir.File("missing")), std::string::npos);
}

}  // namespace
}  // namespace orgd::service
