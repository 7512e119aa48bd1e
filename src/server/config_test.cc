#include "server/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/temp_dir.h"

namespace orgd::server {
namespace {

Config Valid() {
  Config c;
  c.secret_keys = {"sk_test_0123456789abcdefABCDEF"};
  return c;
}

TEST(ConfigTest, DatabaseUrls) {
  auto a = ParseDatabaseUrl("sqlite:./data/orgd.db");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->path, "./data/orgd.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///tmp/x.db")->path, "/tmp/x.db");
  auto pg = ParseDatabaseUrl("postgres://u:p@127.0.0.1/db");
  ASSERT_TRUE(pg);
  EXPECT_EQ(pg->kind, DatabaseUrl::Kind::kPostgres);
  EXPECT_EQ(pg->path, "postgres://u:p@127.0.0.1/db");
  EXPECT_EQ(ParseDatabaseUrl("postgresql://h/db")->kind, DatabaseUrl::Kind::kPostgres);
  EXPECT_FALSE(ParseDatabaseUrl("mysql://x"));
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:"));
}

// A --database value may hold the password: errors and printed lines show it redacted.
TEST(ConfigTest, DatabaseUrlsArePrintedWithoutTheirPassword) {
  EXPECT_EQ(RedactUrl("postgres://orgd:s3cret@db.internal:5432/orgd"),
            "postgres://orgd:***@db.internal:5432/orgd");
  EXPECT_EQ(RedactUrl("postgres://orgd:p@ss@db/orgd"), "postgres://orgd:***@db/orgd");
  EXPECT_EQ(RedactUrl("postgres://orgd@db/orgd"), "postgres://orgd@db/orgd");
  EXPECT_EQ(RedactUrl("postgres://db/orgd?user=orgd&password=s3cret&sslmode=require"),
            "postgres://db/orgd?user=orgd&password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("postgres://db/a@b"), "postgres://db/a@b");  // an '@' past the host
  EXPECT_EQ(RedactUrl("orgd:s3cret@db/orgd"), "***@db/orgd");      // no scheme
  EXPECT_EQ(RedactUrl("sqlite:./data/orgd.db"), "sqlite:./data/orgd.db");
  for (const char* url :
       {"postgress://orgd:s3cret@db/orgd", "mysql://orgd:s3cret@db/orgd", "orgd:s3cret@db/orgd"}) {
    auto parsed = ParseDatabaseUrl(url);
    ASSERT_FALSE(parsed) << url;
    EXPECT_EQ(parsed.error().detail.find("s3cret"), std::string::npos) << parsed.error().detail;
  }
}

TEST(ConfigTest, RateLimitFlagsParse) {
  Config c = Valid();
  auto defaults = ParseRateLimits(c);
  ASSERT_TRUE(defaults);
  EXPECT_TRUE(defaults->frontend);
  EXPECT_EQ(defaults->backend, api::RateLimitConfig::Backend::kOff);
  c.frontend_rate_limit = "off";
  c.bapi_rate_limit = "clerk";
  EXPECT_FALSE(ParseRateLimits(c)->frontend);
  EXPECT_EQ(ParseRateLimits(c)->backend, api::RateLimitConfig::Backend::kClerk);
  c.bapi_rate_limit = "500/10s";
  auto custom = ParseRateLimits(c);
  ASSERT_TRUE(custom);
  EXPECT_EQ(custom->backend_limit, 500);
  EXPECT_EQ(custom->backend_window, std::chrono::seconds(10));
  for (const char* bad : {"", "fast", "0/10s", "10/0", "/10s", "10/", "-1/10s", "9999999999/1s"}) {
    c.bapi_rate_limit = bad;
    EXPECT_FALSE(ParseRateLimits(c)) << bad;
    EXPECT_FALSE(ValidateServeConfig(c)) << bad;
  }
  c.bapi_rate_limit = "off";
  c.frontend_rate_limit = "on";
  EXPECT_FALSE(ParseRateLimits(c));
}

TEST(ConfigTest, ConnectionLimitFlagsParse) {
  Config c = Valid();
  c.header_timeout = "3s";
  c.trusted_proxies = {"10.0.0.0/8", "::1"};
  auto options = ParseServerLimits(c);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->header_timeout, std::chrono::seconds(3));
  EXPECT_EQ(options->max_connections_per_ip, 256u);
  ASSERT_EQ(options->trusted_proxies.size(), 2u);
  EXPECT_TRUE(options->trusted_proxies[0].Contains("10.2.3.4"));
  c.trusted_proxies = {"10.0.0.0/33"};
  EXPECT_FALSE(ValidateServeConfig(c));
  c.trusted_proxies = {};
  c.header_timeout = "0";
  EXPECT_FALSE(ValidateServeConfig(c));
  c.header_timeout = "10s";
  c.max_connections = -1;
  EXPECT_FALSE(ValidateServeConfig(c));
}

TEST(ConfigTest, ServeNeedsWellFormedKeys) {
  EXPECT_TRUE(ValidateServeConfig(Valid()));
  Config none = Valid();
  none.secret_keys.clear();
  EXPECT_NE(ValidateServeConfig(none).error().detail.find("no secret key"), std::string::npos);
  Config bad = Valid();
  bad.secret_keys.push_back("hunter2");
  EXPECT_FALSE(ValidateServeConfig(bad));
}

TEST(ConfigTest, RefusesBadLevelsUrlsAndCounts) {
  Config c = Valid();
  c.log_level = "loud";
  EXPECT_FALSE(ValidateServeConfig(c));
  c = Valid();
  c.log_level = "off";
  EXPECT_TRUE(ValidateServeConfig(c));
  c = Valid();
  c.public_url = "ftp://x";
  EXPECT_FALSE(ValidateServeConfig(c));
  c = Valid();
  c.image_workers = 0;
  EXPECT_FALSE(ValidateServeConfig(c));
}

TEST(ConfigTest, DurationsAreSecondsOrANumberWithAUnit) {
  EXPECT_EQ(*ParseDurationSeconds("60", "--x"), 60);
  EXPECT_EQ(*ParseDurationSeconds("90s", "--x"), 90);
  EXPECT_EQ(*ParseDurationSeconds("15m", "--x"), 900);
  EXPECT_EQ(*ParseDurationSeconds("12h", "--x"), 43200);
  EXPECT_EQ(*ParseDurationSeconds("7d", "--x"), 604800);
  EXPECT_EQ(*ParseDurationSeconds("0", "--x"), 0);
  for (const char* bad : {"", "s", "-5", "1.5s", "5w", "5 s", "99999999999", "4000d"}) {
    auto r = ParseDurationSeconds(bad, "--token-lifetime");
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().detail.find("--token-lifetime"), std::string::npos);
  }
}

TEST(ConfigTest, SessionSettingsAreChecked) {
  Config c = Valid();
  c.token_lifetime = "0";
  EXPECT_FALSE(ValidateServeConfig(c));
  c = Valid();
  c.session_lifetime = "1h";
  c.session_inactivity_timeout = "1h";  // must be shorter than the lifetime
  EXPECT_FALSE(ValidateServeConfig(c));
  c.session_inactivity_timeout = "30m";
  EXPECT_TRUE(ValidateServeConfig(c));
  c = Valid();
  c.frontend_url = "clerk.example.com";
  EXPECT_FALSE(ValidateServeConfig(c));
  for (const char* bad : {"app.example.com", "https://app.example.com/", "https://a.com/x",
                          "https://", "https://a.com?x"}) {
    c = Valid();
    c.allowed_origins = {bad};
    EXPECT_FALSE(ValidateServeConfig(c)) << bad;
  }
  c = Valid();
  c.allowed_origins = {"https://app.example.com", "http://localhost:3000"};
  EXPECT_TRUE(ValidateServeConfig(c));
}

TEST(ConfigTest, SecretKeyFileHoldsOneKeyPerLine) {
  orgd::testing::TempDir dir;
  const std::string path = dir.path() + "/keys";
  std::ofstream(path) << "# rotation in progress\n  sk_test_0123456789abcdefABCDEF \n\n"
                         "sk_live_abcdefABCDEF0123456789\r\n";
  auto keys = ReadSecretKeyFile(path);
  ASSERT_TRUE(keys);
  EXPECT_EQ(*keys, (std::vector<std::string>{"sk_test_0123456789abcdefABCDEF",
                                             "sk_live_abcdefABCDEF0123456789"}));
}

TEST(ConfigTest, SecretKeyFileErrorsNameTheFileNotItsLines) {
  orgd::testing::TempDir dir;
  EXPECT_FALSE(ReadSecretKeyFile(dir.path() + "/missing"));
  const std::string empty = dir.path() + "/empty";
  std::ofstream(empty) << "# nothing here\n\n";
  auto r = ReadSecretKeyFile(empty);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find(empty), std::string::npos);
}

TEST(ConfigTest, PasswordFileIsItsFirstLineAsItIs) {
  orgd::testing::TempDir dir;
  const std::string path = dir.path() + "/smtp";
  std::ofstream(path) << "# not a comment here  \r\nsecond line\n";
  auto password = ReadPasswordFile(path);
  ASSERT_TRUE(password);
  EXPECT_EQ(*password, "# not a comment here  ");
  const std::string empty = dir.path() + "/empty";
  std::ofstream(empty) << "\n";
  auto refused = ReadPasswordFile(empty);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail.find("#"), std::string::npos);
  EXPECT_FALSE(ReadPasswordFile(dir.path() + "/missing"));
}

TEST(ConfigTest, EmailSettingsAreChecked) {
  Config c = Valid();
  c.smtp_url = "http://mail.example";
  EXPECT_FALSE(ValidateServeConfig(c));
  c.smtp_url = "smtps://mail.example:465";
  EXPECT_TRUE(ValidateServeConfig(c));
  c.smtp_starttls = "sometimes";
  EXPECT_FALSE(ValidateServeConfig(c));
  c.smtp_starttls = "required";
  c.email_from = "no address";
  EXPECT_FALSE(ValidateServeConfig(c));
  c.email_from = "Acme <no-reply@acme.test>\r\nBcc: x@y";
  EXPECT_FALSE(ValidateServeConfig(c));
  c.email_from = "Acme <no-reply@acme.test>";
  EXPECT_TRUE(ValidateServeConfig(c));
  c.invitation_url = "ftp://x";
  EXPECT_FALSE(ValidateServeConfig(c));
}

}  // namespace
}  // namespace orgd::server
