#include "domain/domain_rules.h"

#include <gtest/gtest.h>

namespace orgd::domain {
namespace {

TEST(DomainRules, NormalizesAndRefuses) {
  EXPECT_EQ(*NormalizeDomainName("Acme.COM"), "acme.com");
  EXPECT_EQ(*NormalizeDomainName("eu.acme-corp.co.uk"), "eu.acme-corp.co.uk");
  for (const char* bad : {"", "acme", ".acme.com", "acme.com.", "acme..com", "-acme.com",
                          "acme-.com", "ac me.com", "acme.com/x", "user@acme.com", "acmé.com"}) {
    auto r = NormalizeDomainName(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().clerk_code, "form_param_format_invalid") << bad;
  }
  auto common = NormalizeDomainName("GMail.com");
  ASSERT_FALSE(common);
  EXPECT_EQ(common.error().clerk_code, "organization_domain_common");
}

TEST(DomainRules, EmailDomainIsTheExactPartAfterTheLastAt) {
  EXPECT_EQ(EmailDomain("ada@acme.com"), "acme.com");
  EXPECT_EQ(EmailDomain("ada@evil-acme.com"), "evil-acme.com");
  EXPECT_EQ(EmailDomain("no-at"), "");
}

}  // namespace
}  // namespace orgd::domain
